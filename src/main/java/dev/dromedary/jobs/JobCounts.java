package dev.dromedary.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Jobs by queue and by status, for the metrics and the status answer, at a cost that stays bounded as the table
 * grows: exact while the table is small; beyond 200,000 rows, exact for the jobs not done and the
 * failed ones, and estimated from the table's statistics for completed and cancelled ones, since an exact count
 * reads every row (a full scan, every METRICS_REFRESH_SECONDS on every instance and on every status request).
 */
public final class JobCounts {

    private static final long EXACT_BELOW = 200_000;
    private static final String TABLE_ROWS = SqlFile.load("sql/status/jobs-table-rows.sql");
    private static final String ALL_BY_QUEUE = SqlFile.load("sql/status/jobs-by-queue.sql");
    private static final String UNFINISHED_BY_QUEUE = SqlFile.load("sql/status/unfinished-jobs-by-queue.sql");
    private static final String FINISHED_ESTIMATE = SqlFile.load("sql/status/finished-jobs-estimate.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final long exactBelow;

    public JobCounts(DataSource dataSource) {
        this(dataSource, EXACT_BELOW);
    }

    /** {@code exactBelow}: the table's rows under which every count is exact. */
    JobCounts(DataSource dataSource, long exactBelow) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.exactBelow = exactBelow;
    }

    /**
     * Every status (0 where none), and per queue the statuses it has jobs in; {@code estimated} when completed and
     * cancelled are estimates, which then appear in {@code byStatus} only, not per queue.
     */
    public record Counts(Map<String, Long> byStatus, Map<String, Map<String, Long>> byQueue, boolean estimated) {
    }

    public Counts read() {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            byStatus.put(status.wireName(), 0L);
        }
        Map<String, Map<String, Long>> byQueue = new LinkedHashMap<>();
        Long rows = jdbc.queryForObject(TABLE_ROWS, new MapSqlParameterSource(), Long.class);
        boolean estimated = rows != null && rows >= exactBelow;
        jdbc.query(estimated ? UNFINISHED_BY_QUEUE : ALL_BY_QUEUE, new MapSqlParameterSource(), row -> {
            byStatus.merge(row.getString("status"), row.getLong("jobs"), Long::sum);
            byQueue.computeIfAbsent(row.getString("queue"), queue -> new LinkedHashMap<>())
                    .put(row.getString("status"), row.getLong("jobs"));
        });
        if (estimated) {
            jdbc.query(FINISHED_ESTIMATE, new MapSqlParameterSource("rows", rows),
                    (RowCallbackHandler) row -> byStatus.put(row.getString("status"), row.getLong("jobs")));
        }
        return new Counts(byStatus, byQueue, estimated);
    }
}
