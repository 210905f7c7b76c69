package dev.dromedary.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.jobs.JobCounts;
import dev.dromedary.jobs.JobStatus;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.SqlFile;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * What {@code GET /common/status} (and {@code ./dromedary status}) shows at a glance: jobs by status and queue,
 * the running jobs with their progress, the oldest claimable job per queue, stuck or overdue runs, fire times schedules
 * skipped in the last day, dead letters waiting, and the instances with their heartbeats.
 */
public final class StatusView {

    private static final String OLDEST_WAITING = SqlFile.load("sql/status/oldest-waiting.sql");
    private static final String TROUBLED = SqlFile.load("sql/status/troubled.sql");
    private static final String DEAD_LETTERS_WAITING = SqlFile.load("sql/status/dead-letters-waiting.sql");
    private static final String INSTANCES = SqlFile.load("sql/status/instances.sql");
    private static final String RETENTION = SqlFile.load("sql/retention/status.sql");
    private static final String JOBS_PER_HOUR = SqlFile.load("sql/status/jobs-per-hour.sql");
    private static final String SCHEDULE_SKIPS = SqlFile.load("sql/status/schedule-skips.sql");
    private static final int LISTED = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NamedParameterJdbcTemplate jdbc;
    private final JobCounts jobCounts;
    private final JobStore jobs;
    private final int leaseSeconds;

    public StatusView(DataSource dataSource, JobStore jobs, int leaseSeconds) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.jobCounts = new JobCounts(dataSource);
        this.jobs = jobs;
        this.leaseSeconds = leaseSeconds;
    }

    public Map<String, Object> report() {
        Map<String, Object> status = new LinkedHashMap<>();
        JobCounts.Counts counts = jobCounts.read();
        status.put("jobs_by_status", counts.byStatus());
        // completed and cancelled are estimates in a large table, and then counted per queue no more
        status.put("jobs_by_status_estimated", counts.estimated());
        status.put("jobs_by_queue", counts.byQueue());
        status.put("running", jobs.running(LISTED).stream().map(JobResponses::view).toList());
        status.put("oldest_waiting", jdbc.query(OLDEST_WAITING, (row, n) -> {
            Map<String, Object> waiting = new LinkedHashMap<>();
            waiting.put("queue", row.getString("queue"));
            waiting.put("uuid", row.getString("uuid"));
            waiting.put("job_type", row.getString("job_type"));
            waiting.put("waiting_seconds", Math.round(row.getDouble("waiting_seconds") * 10) / 10.0);
            return waiting;
        }));
        MapSqlParameterSource lease = new MapSqlParameterSource("leaseSeconds", leaseSeconds)
                .addValue("running", JobStatus.RUNNING).addValue("limit", LISTED);
        status.put("troubled", jdbc.query(TROUBLED, lease, (row, n) -> {
            Map<String, Object> troubled = new LinkedHashMap<>();
            troubled.put("uuid", row.getString("uuid"));
            troubled.put("job_type", row.getString("job_type"));
            troubled.put("queue", row.getString("queue"));
            troubled.put("claimed_by", row.getString("claimed_by"));
            troubled.put("stuck", row.getBoolean("stuck"));
            troubled.put("overdue", row.getBoolean("overdue"));
            troubled.put("heartbeat_at", timestamp(row.getObject("heartbeat_at", OffsetDateTime.class)));
            return troubled;
        }));
        status.put("jobs_per_hour", jdbc.query(JOBS_PER_HOUR, (row, n) -> {
            Map<String, Object> hour = new LinkedHashMap<>();
            hour.put("hour", timestamp(row.getObject("hour", OffsetDateTime.class)));
            hour.put("completed", row.getLong("completed"));
            hour.put("failed", row.getLong("failed"));
            return hour;
        }));
        status.put("schedule_skips", jdbc.query(SCHEDULE_SKIPS, (row, n) -> {
            Map<String, Object> skips = new LinkedHashMap<>();
            skips.put("schedule", row.getString("schedule"));
            skips.put("skips", row.getLong("skips"));
            skips.put("last_skipped_at", timestamp(row.getObject("last_skipped_at", OffsetDateTime.class)));
            skips.put("last_reason", row.getString("last_reason"));
            return skips;
        }));
        status.put("dead_letters_waiting", jdbc.queryForObject(DEAD_LETTERS_WAITING, new MapSqlParameterSource(), Long.class));
        status.put("retention", jdbc.queryForObject(RETENTION, new MapSqlParameterSource(), (row, n) -> {
            Map<String, Object> retention = new LinkedHashMap<>();
            retention.put("jobs_pruned", row.getLong("jobs_pruned"));
            retention.put("last_pruned_at", timestamp(row.getObject("last_pruned_at", OffsetDateTime.class)));
            return retention;
        }));
        status.put("instances", jdbc.query(INSTANCES, lease, (row, n) -> {
            Map<String, Object> instance = new LinkedHashMap<>();
            instance.put("id", row.getString("id"));
            instance.put("alive", row.getBoolean("alive"));
            instance.put("started_at", timestamp(row.getObject("started_at", OffsetDateTime.class)));
            instance.put("heartbeat_at", timestamp(row.getObject("heartbeat_at", OffsetDateTime.class)));
            try {
                instance.put("runs", JSON.readTree(row.getString("runs")));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                instance.put("runs", null);
            }
            return instance;
        }));
        return status;
    }

    private static String timestamp(OffsetDateTime time) {
        return time == null ? null : time.toInstant().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** The answer's shape: {@code {"data": …, "success": true}}. */
    public Map<String, Object> answer() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", report());
        body.put("success", true);
        return body;
    }
}
