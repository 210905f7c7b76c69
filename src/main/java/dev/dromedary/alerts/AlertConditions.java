package dev.dromedary.alerts;

import dev.dromedary.jobs.SqlFile;
import dev.dromedary.schedules.Schedule;
import dev.dromedary.schedules.Schedules;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.health.HealthCheck;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** What each condition finds holding now: the subjects it is about, each with a line that says so and its details. */
final class AlertConditions {

    /** One subject for which a condition holds. */
    record Hit(String subject, String summary, Map<String, Object> details) {
    }

    /** The most subjects one rule finds at one evaluation. */
    static final int MAX_HITS = 100;
    private static final String FAILED_JOBS = SqlFile.load("sql/alerts/failed-jobs.sql");
    private static final String JOBS_WITH_DEAD_LETTERS = SqlFile.load("sql/alerts/jobs-with-dead-letters.sql");
    private static final String HOURLY_DEAD_LETTERS = SqlFile.load("sql/alerts/hourly-dead-letters.sql");
    private static final String LAST_COMPLETED = SqlFile.load("sql/alerts/last-completed-of-schedule.sql");
    private static final String OPEN_JOBS = SqlFile.load("sql/alerts/open-jobs-by-queue.sql");
    private static final String LONG_RUNNING = SqlFile.load("sql/alerts/long-running-jobs.sql");
    private static final String CHANGED_WATCHES = SqlFile.load("sql/alerts/changed-watches.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final Schedules schedules;
    private final Map<String, HealthCheck> services;
    /** When each service's health check first answered down, as this instance saw it. */
    private final Map<String, Instant> downSince = new ConcurrentHashMap<>();

    AlertConditions(NamedParameterJdbcTemplate jdbc, Schedules schedules, Map<String, HealthCheck> services) {
        this.jdbc = jdbc;
        this.schedules = schedules;
        this.services = services;
    }

    List<Hit> holding(AlertRule rule, Instant since) {
        AlertCondition c = rule.condition();
        MapSqlParameterSource parameters = new MapSqlParameterSource("since", Timestamp.from(since)).addValue("rule", rule.name())
                .addValue("limit", MAX_HITS).addValue("jobType", c.jobType()).addValue("queue", c.queue())
                .addValue("dataset", c.dataset()).addValue("over", c.over()).addValue("watch", c.watch());
        return switch (c.kind()) {
            case JOB_FAILED -> jdbc.query(FAILED_JOBS, parameters, (row, n) -> new Hit(row.getString("subject"),
                    "job " + row.getString("subject") + " (" + row.getString("job_type") + ") failed after " + row.getInt("attempts")
                    + " attempts: " + clip(row.getString("error")),
                    details("job_uuid", row.getString("subject"), "job_type", row.getString("job_type"), "queue", row.getString("queue"),
                            "error", clip(row.getString("error")))));
            case DEAD_LETTERS -> c.hourly()
                    ? jdbc.query(HOURLY_DEAD_LETTERS, parameters, (row, n) -> new Hit(row.getString("subject"),
                    "dataset " + row.getString("subject") + " has " + row.getLong("dead_letters") + " dead letters in the last hour (over "
                            + c.over() + ")", details("dataset", row.getString("subject"), "dead_letters", row.getLong("dead_letters"))))
                    : jdbc.query(JOBS_WITH_DEAD_LETTERS, parameters, (row, n) -> new Hit(row.getString("subject"),
                    "job " + row.getString("subject") + " (" + row.getString("job_type") + ") left " + row.getLong("rows_failed")
                            + " dead letters of " + row.getLong("rows_read") + " rows (over " + c.over() + ")",
                    details("job_uuid", row.getString("subject"), "job_type", row.getString("job_type"), "dataset",
                            row.getString("dataset"), "dead_letters", row.getLong("rows_failed"))));
            case SCHEDULE_MISSED -> scheduleMissed(c, since);
            case QUEUE_BACKLOG -> backlog(c, parameters);
            case JOB_TOO_LONG -> jdbc.query(LONG_RUNNING, parameters.addValue("seconds", c.threshold().toSeconds()), (row, n) ->
                    new Hit(row.getString("subject"), "job " + row.getString("subject") + " (" + row.getString("job_type")
                            + ") has run since " + row.getTimestamp("started_at").toInstant() + " on " + row.getString("claimed_by")
                            + ", longer than " + c.threshold(),
                            details("job_uuid", row.getString("subject"), "job_type", row.getString("job_type"),
                                    "started_at", row.getTimestamp("started_at").toInstant().toString())));
            case WATCH_CHANGED -> jdbc.query(CHANGED_WATCHES, parameters, (row, n) -> new Hit(row.getString("subject"),
                    "watch " + row.getString("watch") + " changed: " + row.getInt("lines_added") + " lines added, "
                            + row.getInt("lines_removed") + " removed (" + row.getString("url") + ")",
                    details("watch", row.getString("watch"), "job_uuid", row.getString("subject"), "url", row.getString("url"),
                            "lines_added", row.getInt("lines_added"), "lines_removed", row.getInt("lines_removed"),
                            "diff", row.getString("diff"))));
            case SERVICE_DOWN -> serviceDown(c);
        };
    }

    private List<Hit> scheduleMissed(AlertCondition c, Instant since) {
        Schedule schedule = schedules.named(c.schedule());
        Timestamp last = jdbc.queryForObject(LAST_COMPLETED, new MapSqlParameterSource("prefix",
                schedule.keyPrefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"), Timestamp.class);
        Instant reference = last == null || last.toInstant().isBefore(since) ? since : last.toInstant();
        Instant now = Instant.now();
        Duration period = schedule.period(reference);
        if (Duration.between(reference, now).compareTo(period.plus(c.threshold())) <= 0) {
            return List.of();
        }
        return List.of(new Hit(schedule.name(), "schedule " + schedule.name() + " has completed no job since "
                + (last == null ? "the rule began (" + since + ")" : last.toInstant()) + ": its period is " + period + ", and the grace "
                + c.threshold(), details("schedule", schedule.name(), "last_completed_at", last == null ? null : last.toInstant().toString(),
                "period_seconds", period.toSeconds())));
    }

    private List<Hit> backlog(AlertCondition c, MapSqlParameterSource parameters) {
        Instant now = Instant.now();
        List<Hit> hits = new ArrayList<>();
        jdbc.query(OPEN_JOBS, parameters, row -> {
            long open = row.getLong("open_jobs");
            Instant oldest = row.getTimestamp("oldest").toInstant();
            boolean tooOld = c.threshold() != null && oldest.isBefore(now.minus(c.threshold()));
            boolean tooMany = c.openOver() != null && open > c.openOver();
            if (tooOld || tooMany) {
                hits.add(new Hit(row.getString("subject"), "queue " + row.getString("subject") + " has " + open
                        + " jobs waiting, the oldest since " + oldest + (tooOld ? " (older than " + c.threshold() + ")" : "")
                        + (tooMany ? " (over " + c.openOver() + ")" : ""),
                        details("queue", row.getString("subject"), "open_jobs", open, "oldest_open_at", oldest.toString())));
            }
        });
        return hits;
    }

    private List<Hit> serviceDown(AlertCondition c) {
        HealthCheck check = services.get(c.service());
        HealthCheck.Result result = check == null ? null : check.call();
        if (result == null || result.getState() == HealthCheck.State.UP) {
            downSince.remove(c.service());
            return List.of();
        }
        Instant since = downSince.computeIfAbsent(c.service(), service -> Instant.now());
        if (Duration.between(since, Instant.now()).compareTo(c.threshold()) < 0) {
            return List.of();
        }
        String why = result.getMessage().orElse("its health check is " + result.getState());
        return List.of(new Hit(c.service(), c.service() + " has been down since " + since + ": " + clip(why),
                details("service", c.service(), "down_since", since.toString())));
    }

    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            details.put((String) pairs[i], pairs[i + 1]);
        }
        return details;
    }

    private static String clip(String text) {
        return text == null ? "(no reason given)" : text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
