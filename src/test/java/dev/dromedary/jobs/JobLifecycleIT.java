package dev.dromedary.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.Gate;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Jobs go through the runners from open to a final state, as the test job types make them. */
@Order(5)
@ExtendWith(RealServices.class)
class JobLifecycleIT {

    private RunningDromedary dromedary;

    @AfterEach
    void stop() {
        if (dromedary != null) {
            dromedary.close();
        }
    }

    @Test
    void aJobWaitsOpenThenInQueueThenRunsUntilCompleted() throws Exception {
        Gate gate = new Gate();
        dromedary = RunningDromedary.named("one-worker", RealServices.freshDatabase())
                .with("PARALLEL_JOBS", 1)
                .with("JOB_IN_QUEUE_SIZE", 1)
                .bind("gate", gate)
                .start();
        JobsApi api = dromedary.api();
        String running = startGatedJob(api, "processing");
        String queued = startGatedJob(api, "in_queue");
        String waiting = api.createJob("test_gated", "{}");

        // one worker busy and a queue of one full: the third job is not claimed, however many ticks pass
        await().during(Duration.ofSeconds(1)).until(() -> api.status(waiting).equals("open"));
        assertThat(api.status(queued)).isEqualTo("in_queue");
        JsonNode runningJob = api.job(running);
        assertThat(runningJob.get("claimed_by").asText()).isEqualTo("one-worker");
        assertThat(runningJob.get("attempts").asInt()).isEqualTo(1);
        assertThat(runningJob.get("started_at").isNull()).isFalse();

        gate.open();
        for (String uuid : new String[] {running, queued, waiting}) {
            await().until(() -> api.status(uuid).equals("completed"));
            JsonNode job = api.job(uuid);
            assertThat(job.get("job_response").get("messages").asText()).isEqualTo("Job completed successfully");
            assertThat(job.get("completed_at").isNull()).isFalse();
            assertThat(job.get("attempts").asInt()).isEqualTo(1);
        }
    }

    @Test
    void whatAJobRouteSaysBecomesItsResponseAndEveryLineOfItsWorkIsTaggedWithItsUuid() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try {
            dromedary = RunningDromedary.named("messages", RealServices.freshDatabase()).start();
            JobsApi api = dromedary.api();

            String uuid = api.createJob("test_succeed", "{\"name\": \"Grace\"}");

            await().until(() -> api.status(uuid).equals("completed"));
            assertThat(api.job(uuid).get("job_response").get("messages").asText()).isEqualTo("greeted Grace");
            await().until(() -> log.list.stream().anyMatch(event -> event.getFormattedMessage().contains(uuid)
                    && event.getFormattedMessage().contains("completed")));
            // the console pattern writes the JobUuid of the MDC as job=<uuid>
            ILoggingEvent completed = log.list.stream().filter(event -> event.getFormattedMessage().contains(uuid)
                    && event.getFormattedMessage().contains("completed")).findFirst().orElseThrow();
            assertThat(completed.getMDCPropertyMap()).containsEntry("JobUuid", uuid);
            OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("console");
            assertThat(new String(console.getEncoder().encode(completed), java.nio.charset.StandardCharsets.UTF_8))
                    .contains(" job=" + uuid + " - ");
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void aFailingJobWithoutRetriesEndsFailedWithItsError() throws Exception {
        dromedary = RunningDromedary.named("failures", RealServices.freshDatabase()).start();
        JobsApi api = dromedary.api();

        String uuid = api.createJob("test_fail", "{}");

        await().until(() -> api.status(uuid).equals("failed"));
        JsonNode job = api.job(uuid);
        assertThat(job.get("job_response").get("runtime_errors")).hasSize(1);
        assertThat(job.get("job_response").get("runtime_errors").get(0).asText()).isEqualTo("the test job failed on purpose");
        assertThat(job.get("job_response").get("messages").asText()).isEqualTo("Job failed on attempt 1; no retries left");
        assertThat(job.get("run_after").isNull()).isTrue();
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        await().during(Duration.ofSeconds(1)).until(() -> api.status(uuid).equals("failed"));
    }

    @Test
    void aFailedJobWithRetriesLeftRunsAgainWithinASecondOfItsInterval() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String uuid;
        try (RunningDromedary creator = RunningDromedary.named("creator", database)
                .with("FIRST_TIME_RUNNER_ENABLED", false).with("RETRY_RUNNER_ENABLED", false).start()) {
            uuid = creator.api().create("""
                    {"job_type": "test_fail_first_attempt", "job_data": {}, "retry_count": 2, "retry_interval": 2}""")
                    .body().get("uuid").asText();
        }
        // its runners tick once at start and then once an hour: only the retry's own wake-up can run it again soon
        dromedary = RunningDromedary.named("retries", database).with("TICKER_INTERVAL_SECONDS", 3600).start();
        JobsApi api = dromedary.api();

        await().until(() -> api.status(uuid).equals("failed"));
        JsonNode failed = api.job(uuid);
        assertThat(failed.get("job_response").get("messages").asText()).isEqualTo("Job failed on attempt 1; retrying in 2 s");
        Instant runAfter = Instant.parse(failed.get("run_after").asText());
        assertThat(runAfter).isAfter(Instant.parse(failed.get("completed_at").asText()).plusMillis(1900));

        await().atMost(Duration.ofSeconds(15)).until(() -> api.status(uuid).equals("completed"));
        JsonNode completed = api.job(uuid);
        assertThat(completed.get("attempts").asInt()).isEqualTo(2);
        assertThat(completed.get("job_response").get("messages").asText()).isEqualTo("completed on attempt 2");
        assertThat(completed.get("run_after").isNull()).isTrue();
        Instant secondStart = Instant.parse(completed.get("started_at").asText());
        assertThat(secondStart).isBetween(runAfter, runAfter.plusSeconds(5));
    }

    @Test
    void aManualRetryRunsAFailedJobAgainAtOnce() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String uuid;
        try (RunningDromedary first = RunningDromedary.named("first", database).start()) {
            uuid = first.api().createJob("test_fail_first_attempt", "{}");
            await().until(() -> first.api().status(uuid).equals("failed"));
        }
        // an instance whose runners poll once an hour: only the retry request itself can get the job running
        dromedary = RunningDromedary.named("hourly", database).with("TICKER_INTERVAL_SECONDS", 3600).start();
        JobsApi api = dromedary.api();
        // its retry runner's first tick (one second after start, whatever the period) has passed: the next is in an hour
        MeterRegistry meters = dromedary.context().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        await().until(() -> meters.find("dromedary.claim").tag("runner", "retry").timer() != null
                && meters.find("dromedary.claim").tag("runner", "retry").timer().count() == 1);
        assertThat(api.job(uuid).get("job_response").get("messages").asText()).endsWith("no retries left");

        JobsApi.Response retry = api.retry(uuid);

        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.body().get("message").asText()).isEqualTo("Job scheduled to run again now");
        await().atMost(Duration.ofSeconds(5)).until(() -> api.status(uuid).equals("completed"));
        JsonNode job = api.job(uuid);
        assertThat(job.get("attempts").asInt()).isEqualTo(2);
        assertThat(job.get("retry_count").asInt()).isEqualTo(1);
        assertThat(job.get("claimed_by").asText()).isEqualTo("hourly");
    }

    @Test
    void aJobCancelledWhileQueuedNeverRuns() throws Exception {
        Gate gate = new Gate();
        dromedary = RunningDromedary.named("cancel", RealServices.freshDatabase())
                .with("PARALLEL_JOBS", 1)
                .bind("gate", gate)
                .start();
        JobsApi api = dromedary.api();
        String running = startGatedJob(api, "processing");
        String queued = startGatedJob(api, "in_queue");

        assertThat(api.cancel(queued).status()).isEqualTo(200);
        assertThat(api.cancel(running).status()).isEqualTo(200);
        gate.open();

        await().during(Duration.ofSeconds(1)).until(() ->
                api.status(queued).equals("cancelled") && api.status(running).equals("cancelled"));
        assertThat(api.job(queued).get("attempts").asInt()).isZero();
        assertThat(api.job(running).get("job_response").has("messages")).isFalse();
    }

    @Test
    void aJobStillRunningWhenTheGraceRunsOutIsHandedBackUnfinishedAndRunsOnAnotherInstance() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Gate gate = new Gate();
        String uuid;
        try (RunningDromedary stopping = RunningDromedary.named("stopping", database)
                .with("SHUTDOWN_GRACE_SECONDS", 2).bind("gate", gate).start()) {
            uuid = startGatedJob(stopping.api(), "processing");
        }
        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE uuid = ?::uuid AND status = 'open' AND attempts = 0 "
                + "AND claimed_by IS NULL AND job_response->>'messages' LIKE 'Handed back unfinished as instance stopping %'", uuid))
                .isEqualTo(1);

        gate.open();
        dromedary = RunningDromedary.named("taking-over", database).bind("gate", gate).start();
        await().until(() -> dromedary.api().status(uuid).equals("completed"));
        assertThat(dromedary.api().job(uuid).get("claimed_by").asText()).isEqualTo("taking-over");
        assertThat(dromedary.api().job(uuid).get("attempts").asInt()).isEqualTo(1);
    }

    /** Creates a job that waits at the gate, and waits until the runner has brought it to {@code status}. */
    private static String startGatedJob(JobsApi api, String status) {
        String uuid = api.createJob("test_gated", "{}");
        await().until(() -> api.status(uuid).equals(status));
        return uuid;
    }
}
