package dev.dromedary.analysis;

import dev.dromedary.api.ApiError;
import dev.dromedary.api.JobResponses;
import dev.dromedary.jobs.Job;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.SqlFile;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.Body;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The report of one job, of any type: what ran and when, each attempt with its outcome, the rows read, landed in
 * each sink and dead, the dead letters by reason with examples, the rows a second over the run (from the
 * progress it sampled, {@code job_samples}), and the time by stage. Read from the tables the job left, so it lasts
 * as long as the job.
 */
public final class JobReports {

    /** Points of the rows-a-second chart at most: longer runs are thinned evenly. */
    static final int MAX_SAMPLES = 500;
    private static final String ATTEMPTS = SqlFile.load("sql/reports/attempts.sql");
    private static final String DEAD_LETTERS_BY_REASON = SqlFile.load("sql/reports/dead-letters-by-reason.sql");
    private static final String DEAD_LETTER_COUNT = SqlFile.load("sql/reports/dead-letter-count.sql");
    private static final String SAMPLES = SqlFile.load("sql/reports/samples.sql");

    private final JobStore store;
    private final NamedParameterJdbcTemplate jdbc;

    public JobReports(JobStore store, DataSource dataSource) {
        this.store = store;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    public Map<String, Object> report(@Body UUID uuid) {
        Job job = store.find(uuid).orElseThrow(() -> ApiError.notFound("ERR_JOB_NOT_FOUND: no job has the uuid " + uuid));
        MapSqlParameterSource byJob = new MapSqlParameterSource("uuid", uuid);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("job", JobResponses.view(job));

        List<Map<String, Object>> attempts = jdbc.query(ATTEMPTS, byJob, (row, n) -> {
            Map<String, Object> attempt = new LinkedHashMap<>();
            attempt.put("attempt", row.getInt("attempt"));
            attempt.put("instance", row.getString("instance"));
            attempt.put("started_at", instant(row.getTimestamp("started_at")));
            attempt.put("ended_at", instant(row.getTimestamp("ended_at")));
            attempt.put("outcome", row.getString("outcome") == null ? "running" : row.getString("outcome"));
            attempt.put("reason", row.getString("reason"));
            Timestamp started = row.getTimestamp("started_at");
            Timestamp ended = row.getTimestamp("ended_at");
            attempt.put("duration_ms", ended == null ? null : ended.getTime() - started.getTime());
            return attempt;
        });
        report.put("attempts", attempts);

        long dead = jdbc.queryForObject(DEAD_LETTER_COUNT, byJob, Long.class);
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("read", job.progress().rowsRead());
        Map<String, Object> landed = new LinkedHashMap<>();
        // the sinks take the same rows: what Elasticsearch refuses is a dead letter, which no other sink writes
        landed.put("postgresql", job.progress().rowsWritten());
        landed.put("elasticsearch", job.progress().rowsWritten());
        rows.put("landed", landed);
        rows.put("dead", dead);
        // what change detection left alone, and what a mirror deleted (its first keys beside the count)
        rows.put("unchanged", job.jobResponse().path("rows_unchanged").asLong(0));
        rows.put("deleted", job.jobResponse().path("rows_deleted").asLong(0));
        if (job.jobResponse().has("mirror")) {
            rows.put("mirror", job.jobResponse().get("mirror"));
        }
        report.put("rows", rows);

        Map<String, Map<String, Object>> reasons = new LinkedHashMap<>();
        jdbc.query(DEAD_LETTERS_BY_REASON, byJob, row -> {
            Map<String, Object> reason = reasons.computeIfAbsent(row.getString("reason"), name -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("reason", name);
                entry.put("count", 0L);
                entry.put("examples", new ArrayList<Map<String, Object>>());
                return entry;
            });
            reason.put("count", row.getLong("dead_letters"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> examples = (List<Map<String, Object>>) reason.get("examples");
            examples.add(Map.of("row_number", row.getLong("row_number"), "payload", row.getString("payload"),
                    "error", row.getString("error")));
        });
        report.put("dead_letters_by_reason", List.copyOf(reasons.values()));

        List<Map<String, Object>> samples = new ArrayList<>();
        long[] previous = {-1, 0};
        jdbc.query(SAMPLES, byJob.addValue("limit", MAX_SAMPLES), row -> {
            long at = row.getTimestamp("at").getTime();
            long read = row.getLong("rows_read");
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("at", instant(row.getTimestamp("at")));
            sample.put("attempt", row.getInt("attempt"));
            sample.put("rows_read", read);
            sample.put("rows_written", row.getLong("rows_written"));
            sample.put("rows_failed", row.getLong("rows_failed"));
            sample.put("rows_per_second", previous[0] < 0 || at <= previous[0] || read < previous[1] ? null
                    : Math.round((read - previous[1]) * 1000.0 / (at - previous[0]) * 10) / 10.0);
            previous[0] = at;
            previous[1] = read;
            samples.add(sample);
        });
        report.put("samples", samples);

        Map<String, Object> stages = new LinkedHashMap<>();
        OffsetDateTime firstStart = attempts.isEmpty() ? null : OffsetDateTime.parse((String) attempts.get(0).get("started_at"));
        stages.put("waiting_ms", firstStart == null ? null : Duration.between(job.createdAt(), firstStart).toMillis());
        stages.put("running_ms", attempts.stream().mapToLong(attempt -> attempt.get("duration_ms") == null ? 0
                : (Long) attempt.get("duration_ms")).sum());
        stages.put("between_attempts_ms", firstStart == null || job.completedAt() == null ? null
                : Duration.between(firstStart, job.completedAt()).toMillis() - (Long) stages.get("running_ms"));
        report.put("stages", stages);
        return Map.of("data", report, "success", true);
    }

    private static String instant(Timestamp time) {
        return time == null ? null : time.toInstant().truncatedTo(ChronoUnit.MILLIS).atOffset(java.time.ZoneOffset.UTC).toString();
    }
}
