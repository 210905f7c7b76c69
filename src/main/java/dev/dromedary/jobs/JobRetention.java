package dev.dromedary.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prunes finished jobs past their retention (sql/retention/prune-jobs.sql says which, and what a job keeps while
 * something needs it), in batches of a transaction each, by one instance at a time: an advisory lock per batch.
 */
public final class JobRetention {

    private static final Logger LOG = LoggerFactory.getLogger(JobRetention.class);
    private static final String LOCK = SqlFile.load("sql/retention/lock.sql");
    private static final String PRUNE = SqlFile.load("sql/retention/prune-jobs.sql");
    /** A retention of 0 days keeps jobs: as good as for ever, within what a timestamp holds. */
    private static final int KEPT_DAYS = 36_500;
    /** A turn stops starting batches after this long, so that a backlog is pruned over several turns. */
    private static final Duration TURN = Duration.ofSeconds(10);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final MapSqlParameterSource parameters;
    private final int batch;
    private final BooleanSupplier stopping;
    private final BiConsumer<String, Long> pruned;

    /**
     * {@code pruned} is told how many jobs of each status a batch pruned; {@code stopping} ends a turn between batches.
     */
    public JobRetention(DataSource dataSource, int retentionDays, int failedRetentionDays, int idempotencyKeyDays, int batch,
                        BooleanSupplier stopping, BiConsumer<String, Long> pruned) {
        // a negative retention would put the cut-off in the future, and prune every finished job at once
        requireWithin("JOB_RETENTION_DAYS", retentionDays, 0, KEPT_DAYS);
        requireWithin("FAILED_JOB_RETENTION_DAYS", failedRetentionDays, 0, KEPT_DAYS);
        requireWithin("IDEMPOTENCY_KEY_DAYS", idempotencyKeyDays, 0, KEPT_DAYS);
        requireWithin("PRUNE_BATCH_SIZE", batch, 1, 10_000);
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.parameters = new MapSqlParameterSource()
                .addValue("retentionDays", retentionDays == 0 ? KEPT_DAYS : retentionDays)
                .addValue("failedRetentionDays", failedRetentionDays == 0 ? KEPT_DAYS : failedRetentionDays)
                .addValue("keyDays", idempotencyKeyDays)
                .addValue("batch", batch);
        this.batch = batch;
        this.stopping = stopping;
        this.pruned = pruned;
    }

    private static void requireWithin(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " is " + value + "; it must be from " + min + " to " + max);
        }
    }

    /** One turn: batches until one comes back short, or the turn's time is up; nothing while another instance prunes. */
    public long prune() {
        long total = 0;
        long started = System.nanoTime();
        while (!stopping.getAsBoolean() && System.nanoTime() - started < TURN.toNanos()) {
            Map<String, Long> byStatus = transactions.execute(status -> {
                Map<String, Long> counts = new LinkedHashMap<>();
                if (Boolean.TRUE.equals(jdbc.queryForObject(LOCK, new MapSqlParameterSource(), Boolean.class))) {
                    jdbc.query(PRUNE, parameters, row -> {
                        counts.put(row.getString("status"), row.getLong("jobs"));
                    });
                }
                return counts;
            });
            long jobs = byStatus.values().stream().mapToLong(Long::longValue).sum();
            byStatus.forEach(pruned);
            total += jobs;
            if (jobs < batch) {
                break;
            }
        }
        if (total > 0) {
            LOG.info("Retention pruned {} finished jobs", total);
        }
        return total;
    }
}
