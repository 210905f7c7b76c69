package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.jobs.Job;
import dev.dromedary.jobs.JobQueues;
import dev.dromedary.jobs.JobStatus;
import dev.dromedary.testing.RouteFiles;
import dev.dromedary.testing.RouteTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * routes/job-runner.camel.yaml with the job store and the run of a job stubbed: an announced job wakes only
 * its queue's claimer (none for a queue run elsewhere), and a queue's workers take its claimed jobs highest
 * priority first, whatever order they were claimed in.
 */
class JobQueueRoutesTest extends RouteTest {

    private final StubJobStore jobStore = new StubJobStore();
    private final StubJobExecution jobExecution = new StubJobExecution();
    private final JobQueues queues = JobQueues.of(List.of("bulk:1", "fast:2"), 1, List.of("default", "bulk"), 10);

    @Test
    void anAnnouncementWakesOnlyItsQueuesClaimerAndTheWorkersRunTheHighestPriorityFirst() throws Exception {
        OffsetDateTime now = OffsetDateTime.now();
        Job blocker = job(0, now.minusSeconds(10));
        jobStore.next.put("default", List.of(blocker));
        template.sendBody("direct:jobs-announced", "default");
        assertThat(jobExecution.blockerStarted.await(10, TimeUnit.SECONDS)).isTrue();

        Job low = job(0, now.minusSeconds(5));
        Job high = job(10, now.minusSeconds(1));
        Job middleOlder = job(5, now.minusSeconds(4));
        Job middleNewer = job(5, now.minusSeconds(2));
        Job negative = job(-3, now.minusSeconds(9));
        jobStore.next.put("default", List.of(low, middleOlder));
        template.sendBody("direct:jobs-announced", "default");
        await().atMost(Duration.ofSeconds(10)).until(() -> queues.claimed("default").size() == 2);
        jobStore.next.put("default", List.of(negative, middleNewer, high));
        template.sendBody("direct:jobs-announced", "default");
        await().atMost(Duration.ofSeconds(10)).until(() -> queues.claimed("default").size() == 5);

        template.sendBody("direct:jobs-announced", "fast");
        template.sendBody("direct:jobs-announced", "no-such-queue");
        jobExecution.release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> jobExecution.started.size() == 6);
        assertThat(jobExecution.started).containsExactly(blocker.uuid(), high.uuid(), middleOlder.uuid(), middleNewer.uuid(),
                low.uuid(), negative.uuid());
        assertThat(jobStore.claimsOf("fast")).as("fast runs elsewhere: no claimer here").isZero();
        int bulkClaims = jobStore.claimsOf("bulk");
        template.sendBody("direct:jobs-announced", "bulk");
        await().atMost(Duration.ofSeconds(10)).until(() -> jobStore.claimsOf("bulk") == bulkClaims + 1);
    }

    private static Job job(int priority, OffsetDateTime createdAt) {
        return new Job(createdAt.toEpochSecond(), UUID.randomUUID(), "noop", null, JobStatus.IN_QUEUE, null, 0, 30, null, 0,
                null, "here", null, new Job.Progress(0, 0, 0, 0, null), null, null, null, createdAt, createdAt, priority,
                "default", null, List.of(), 0, null);
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("FIRST_TIME_RUNNER_ENABLED", "true", "TICKER_INTERVAL_MILLIS", "3600000", "JOB_IN_QUEUE_SIZE", "10",
                "COMPLETED_JOBS_WRITE_MILLIS", "5", "MAX_REDELIVERIES", "1", "REDELIVERY_DELAY_MS", "10", "MAX_REDELIVERY_DELAY_MS", "100");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("jobStore", jobStore);
        registry.bind("jobExecution", jobExecution);
        registry.bind("jobQueues", queues);
        for (String queue : queues.runHere()) {
            registry.bind("jobQueue-" + queue, queues.claimed(queue));
        }
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.load(context, "redelivery.camel.yaml", "job-runner.camel.yaml").toArray(RoutesBuilder[]::new);
    }

    @Override
    protected void doPostSetup() throws Exception {
        for (String queue : queues.runHere()) {
            TemplatedRouteBuilder.builder(context, "queue-claimer").routeId("claim-" + queue).parameter("queue", queue).add();
            TemplatedRouteBuilder.builder(context, "queue-workers").routeId("workers-" + queue).parameter("queue", queue)
                    .parameter("workers", queues.workers(queue)).add();
        }
    }

    /** The method of JobStore that the claimers call: each claim of a queue takes what the test put there. */
    public static final class StubJobStore {
        final Map<String, List<Job>> next = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();

        public List<Job> claimOpen(String queue, int queueSize) {
            claims.computeIfAbsent(queue, key -> new AtomicInteger()).incrementAndGet();
            List<Job> claimed = next.remove(queue);
            return claimed == null ? List.of() : claimed;
        }

        int claimsOf(String queue) {
            AtomicInteger count = claims.get(queue);
            return count == null ? 0 : count.get();
        }
    }

    /** The methods of JobExecution that run-job calls: records the order jobs start in; the first waits for the test. */
    public static final class StubJobExecution {
        final List<UUID> started = new CopyOnWriteArrayList<>();
        final CountDownLatch blockerStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public void begin(Exchange exchange) throws InterruptedException {
            started.add(exchange.getMessage().getBody(Job.class).uuid());
            if (started.size() == 1) {
                blockerStarted.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
            exchange.getMessage().setHeader("JobStarted", false);
        }

        public void succeed(Exchange exchange) {
        }

        public void recordCompleted(List<Object> completed) {
        }

        public void fail(Exchange exchange) {
        }
    }
}
