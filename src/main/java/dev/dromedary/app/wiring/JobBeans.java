package dev.dromedary.app.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.app.Settings;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.JobQueues;
import dev.dromedary.jobs.JobRetention;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.JobTypes;
import dev.dromedary.jobs.RetryBackoff;
import dev.dromedary.observe.InstanceHeartbeat;
import dev.dromedary.observe.JobMetrics;
import dev.dromedary.schedules.ClusteredScheduler;
import dev.dromedary.schedules.Schedules;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.seda.SedaEndpoint;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job system: the store of jobs, the queues this instance claims for, how a job runs and ends, the job types
 * the routes define, this instance's heartbeat, the schedules and the clustered scheduler that fires them.
 */
public record JobBeans(ObjectMapper json, JobStore jobStore, JobTypes jobTypes, JobQueues queues, JobMetrics metrics,
                       JobExecution jobExecution, InstanceHeartbeat instanceHeartbeat, Schedules schedules,
                       Scheduler clusteredScheduler) {

    private static final Logger LOG = LoggerFactory.getLogger(JobBeans.class);

    public static JobBeans bind(Wiring wiring, ServiceBeans services) throws Exception {
        Settings settings = wiring.settings();
        CamelContext context = wiring.context();
        ObjectMapper json = new ObjectMapper();
        JobStore jobStore = wiring.bind("jobStore", new JobStore(services.dataSource(), json, wiring.instanceId()));
        jobStore.instanceLease(Duration.ofSeconds(settings.integer("LEASE_SECONDS")));
        JobTypes jobTypes = wiring.bind("jobTypes", new JobTypes(context));
        // the registry that camel-micrometer-prometheus serves at /observe/metrics, with Camel's route metrics
        JobMetrics metrics = wiring.bind("jobMetrics", new JobMetrics(
                () -> wiring.registry().lookupByNameAndType("metricsRegistry", MeterRegistry.class), services.dataSource()));
        jobStore.timeClaims(metrics::claimTook);
        jobStore.defaultTimeouts(jobType -> defaultTimeout(settings, jobType));
        jobStore.sampleEvery(Double.parseDouble(settings.text("JOB_SAMPLE_SECONDS")));

        JobQueues queues = wiring.bind("jobQueues", JobQueues.of(settings.list("QUEUES"), settings.integer("PARALLEL_JOBS"),
                settings.list("RUN_QUEUES"), settings.integer("JOB_IN_QUEUE_SIZE")));
        for (String queue : queues.runHere()) {
            wiring.bind("jobQueue-" + queue, queues.claimed(queue));
        }
        metrics.queueDepth("first_time", queues::waitingHere);
        metrics.queueDepth("retry", () -> queueDepth(context, "retry-worker"));

        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(settings.integer("RETRY_BACKOFF_MAX_SECONDS")));
        JobExecution jobExecution = wiring.bind("jobExecution", new JobExecution(jobStore, backoff, json, metrics));
        int maxJobs = settings.integer("MAX_JOBS");
        if (maxJobs > 0) {
            AtomicInteger ended = new AtomicInteger();
            jobExecution.onEnded(() -> {
                if (ended.incrementAndGet() == maxJobs) {
                    LOG.info("MAX_JOBS: {} jobs ran here; stopping", maxJobs);
                    jobExecution.stop();
                    new Thread(context::stop, "max-jobs-stop").start();
                }
            });
        }

        wiring.bind("jobRetention", new JobRetention(services.dataSource(), settings.integer("JOB_RETENTION_DAYS"),
                settings.integer("FAILED_JOB_RETENTION_DAYS"), settings.integer("IDEMPOTENCY_KEY_DAYS"),
                settings.integer("PRUNE_BATCH_SIZE"), jobExecution::isStopping, metrics::jobsPruned));

        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("first_time_runner", settings.bool("FIRST_TIME_RUNNER_ENABLED"));
        runs.put("retry_runner", settings.bool("RETRY_RUNNER_ENABLED"));
        runs.put("queues", queues.runHere().stream().map(queue -> queue + ":" + queues.workers(queue)).toList());
        runs.put("http", wiring.servesHttp());
        InstanceHeartbeat instanceHeartbeat = wiring.bind("instanceHeartbeat",
                new InstanceHeartbeat(services.dataSource(), wiring.instanceId(), json.writeValueAsString(runs)));
        instanceHeartbeat.beat();

        Schedules schedules = wiring.bind("schedules", !settings.bool("SCHEDULES_ENABLED") ? Schedules.none(jobStore)
                : Schedules.load(Path.of(settings.text("SCHEDULES_FILE")), jobStore, settings.integer("DEFAULT_RETRY_INTERVAL_SECONDS"))
                        .countingIn(services.dataSource(), metrics::scheduleSkipped));
        Scheduler scheduler = null;
        if (!schedules.recurring().isEmpty()) {
            scheduler = ClusteredScheduler.create(services.dataSource(), wiring.instanceId(),
                    settings.integer("SCHEDULE_MISFIRE_GRACE_SECONDS"));
            context.getComponent("quartz", QuartzComponent.class).setScheduler(scheduler);
            wiring.stopWithContext("Quartz scheduler", scheduler::shutdown);
        }
        return new JobBeans(json, jobStore, jobTypes, queues, metrics, jobExecution, instanceHeartbeat, schedules, scheduler);
    }

    /** JOB_TIMEOUT_SECONDS_<TYPE>, e.g. JOB_TIMEOUT_SECONDS_INSERT_CSV_FILE; null when unset. */
    private static Integer defaultTimeout(Settings settings, String jobType) {
        String name = "JOB_TIMEOUT_SECONDS_" + jobType.toUpperCase(Locale.ROOT);
        String value = settings.text(name);
        if (value.isEmpty()) {
            return null;
        }
        int seconds = settings.integer(name);
        if (seconds < 1) {
            throw new IllegalArgumentException("the setting " + name + " must be a positive number of seconds");
        }
        return seconds;
    }

    private static int queueDepth(CamelContext context, String workerRoute) {
        Route route = context.getRoute(workerRoute);
        return route != null && route.getEndpoint() instanceof SedaEndpoint seda ? seda.getCurrentQueueSize() : 0;
    }
}
