package dev.dromedary.observe;

import dev.dromedary.jobs.JobCounts;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Dromedary's own Prometheus metrics, beside Camel's route metrics: jobs by status (as the table holds
 * them, refreshed by {@link #refreshTableCounts}), jobs started/completed/failed by type, rows per sink and
 * dataset, batch and claim latency, the runners' queue depth, and dead letters waiting.
 */
public final class JobMetrics implements JobExecution.Outcomes {

    private static final MeterRegistry SCRATCH = new SimpleMeterRegistry();

    private final Supplier<MeterRegistry> registries;
    private final JdbcTemplate jdbc;
    private final JobCounts jobCounts;
    private final Map<String, AtomicLong> jobsByStatus = new ConcurrentHashMap<>();
    private final AtomicLong deadLettersWaiting = new AtomicLong();
    private final Map<String, Supplier<Number>> queues = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /**
     * {@code registries} finds the registry that /observe/metrics serves (camel-micrometer-prometheus makes
     * it while Camel starts), or null while there is none; the meters go there once there is.
     */
    public JobMetrics(Supplier<MeterRegistry> registries, DataSource dataSource) {
        this.registries = registries;
        this.jdbc = new JdbcTemplate(dataSource);
        this.jobCounts = new JobCounts(dataSource);
        for (JobStatus status : JobStatus.values()) {
            jobsByStatus.put(status.wireName(), new AtomicLong());
        }
    }

    /** The served registry once there is one; until then (metrics off, or Camel still starting) a scratch one. */
    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            synchronized (this) {
                if (registry == null) {
                    MeterRegistry served = registries.get();
                    if (served == null) {
                        return SCRATCH;
                    }
                    registry = registerGauges(served);
                }
                found = registry;
            }
        }
        return found;
    }

    private MeterRegistry registerGauges(MeterRegistry target) {
        jobsByStatus.forEach((status, count) -> Gauge.builder("dromedary.jobs", count, AtomicLong::get)
                .description("Jobs in the table, by status").tag("status", status).register(target));
        Gauge.builder("dromedary.dead.letters.waiting", deadLettersWaiting, AtomicLong::get)
                .description("Dead letters not reprocessed yet").register(target);
        queues.forEach((runner, depth) -> Gauge.builder("dromedary.queue.depth", depth)
                .description("Claimed jobs waiting for a worker").tag("runner", runner).register(target));
        for (ImportStage stage : ImportStage.values()) {
            FunctionCounter.builder("dromedary.import.stage.seconds", stage, each -> each.nanos() / 1e9)
                    .description("Time imports spent in each stage, summed over the threads that ran it").tag("stage", stage.tag())
                    .register(target);
        }
        return target;
    }

    /** Reads the jobs by status and the waiting dead letters from the tables (all instances' work). */
    public void refreshTableCounts() {
        Map<String, Long> counts = jobCounts.read().byStatus();
        jobsByStatus.forEach((status, count) -> count.set(counts.getOrDefault(status, 0L)));
        registry();
        deadLettersWaiting.set(jdbc.queryForObject("SELECT count(*) FROM dead_letters WHERE reprocessed_at IS NULL", Long.class));
    }

    @Override
    public void started(String jobType) {
        counter("dromedary.jobs.started", "Jobs this instance started", jobType).increment();
    }

    @Override
    public void completed(String jobType) {
        counter("dromedary.jobs.completed", "Jobs this instance completed", jobType).increment();
    }

    @Override
    public void failed(String jobType) {
        counter("dromedary.jobs.failed", "Jobs this instance saw fail", jobType).increment();
    }

    /** Rows a sink committed for a dataset (sink: postgresql, elasticsearch, dead_letters). */
    public void rowsWritten(String sink, String dataset, long rows) {
        Counter.builder("dromedary.rows.written").description("Rows committed, by sink and dataset")
                .tag("sink", sink).tag("dataset", dataset).register(registry()).increment(rows);
    }

    /** What change detection found of a batch's valid rows: inserted, updated (both written) or unchanged (not written). */
    public void rowsCompared(String dataset, long inserted, long updated, long unchanged) {
        for (var outcome : java.util.Map.of("inserted", inserted, "updated", updated, "unchanged", unchanged).entrySet()) {
            Counter.builder("dromedary.rows.compared").description("Valid rows by what change detection found, by dataset")
                    .tag("outcome", outcome.getKey()).tag("dataset", dataset).register(registry()).increment(outcome.getValue());
        }
    }

    /** Finished jobs that retention pruned here, by the status they had. */
    public void jobsPruned(String status, long jobs) {
        Counter.builder("dromedary.jobs.pruned").description("Finished jobs deleted past their retention, by the status they had")
                .tag("status", status).register(registry()).increment(jobs);
    }

    /** A schedule's fire time that made no job, as max_running of its jobs were unfinished. */
    public void scheduleSkipped(String schedule) {
        Counter.builder("dromedary.schedule.skips").description("Fire times that made no job, its schedule's earlier jobs unfinished")
                .tag("schedule", schedule).register(registry()).increment();
    }

    /** An alert began (fired) under a rule of ALERTS_FILE. */
    public void alertFired(String rule) {
        Counter.builder("dromedary.alerts.fired").description("Alerts that began, by rule").tag("rule", rule)
                .register(registry()).increment();
    }

    /** A notice of an alert went to its channel (sent), or not (failed, retried), or was given up (gave_up). */
    public void alertNotice(String channel, String outcome) {
        Counter.builder("dromedary.alert.notices").description("Alert notices by channel and outcome: sent, failed (retried), gave_up")
                .tag("channel", channel).tag("outcome", outcome).register(registry()).increment();
    }

    /** How long a batch took from validation until every sink had committed it. */
    public void batchTook(String dataset, Duration took) {
        Timer.builder("dromedary.batch").description("Import batches, validation to the last sink's commit")
                .tag("dataset", dataset).register(registry()).record(took);
    }

    /** How long one claim statement of a runner took. */
    public void claimTook(String runner, Duration took) {
        Timer.builder("dromedary.claim").description("Claim statements of the runners").tag("runner", runner)
                .register(registry()).record(took);
    }

    /** The depth of a runner's in-memory queue of claimed jobs; to be said before the first meter is used. */
    public void queueDepth(String runner, Supplier<Number> depth) {
        queues.put(runner, depth);
    }

    private Counter counter(String name, String description, String jobType) {
        return Counter.builder(name).description(description).tag("job_type", jobType).register(registry());
    }
}
