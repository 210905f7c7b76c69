package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.testing.RouteFiles;
import dev.dromedary.testing.RouteTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * routes/retry-runner.camel.yaml with the job store stubbed: the ticker claims once an hour, and the
 * one-second wake-up claims only when a retry is due, whatever the ticker.
 */
class RetryRunnerRouteTest extends RouteTest {

    private final StubJobStore jobStore = new StubJobStore();

    @Test
    void theWakeUpClaimsNothingUntilARetryIsDueAndThenHandsEveryClaimedJobToTheRunner() throws Exception {
        NotifyBuilder threeWakeUps = new NotifyBuilder(context).fromRoute("retry-wake-up").whenCompleted(3).create();
        assertThat(threeWakeUps.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(jobStore.claims.get()).as("only the ticker's first tick claimed").isEqualTo(1);

        MockEndpoint runner = getMockEndpoint("mock:run-job");
        runner.expectedBodiesReceived("job-1", "job-2");
        jobStore.due.set(true);

        // a deadline, not a speed: a loaded machine may take seconds to wake the route
        runner.assertIsSatisfied(30_000);
        assertThat(jobStore.claims.get()).isEqualTo(2);
        // the read follows the hand-over in the route: it may come a moment after the runner got the jobs
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(jobStore.refreshes.get()).as("after each claim it reads when the next retry is due").isEqualTo(2));
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("RETRY_RUNNER_ENABLED", "true", "TICKER_INTERVAL_MILLIS", "3600000", "JOB_IN_QUEUE_SIZE", "10");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("jobStore", jobStore);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> builders = new ArrayList<>(RouteFiles.load(context, "retry-runner.camel.yaml"));
        builders.add(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:run-job").to("mock:run-job");
            }
        });
        return builders.toArray(RoutesBuilder[]::new);
    }

    /** The methods of JobStore that the retry runner's routes call. */
    public static final class StubJobStore {
        final AtomicBoolean due = new AtomicBoolean();
        final AtomicInteger claims = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();

        public boolean retryDue() {
            return due.get();
        }

        public List<String> claimDueRetries(int queueSize) {
            claims.incrementAndGet();
            return due.getAndSet(false) ? List.of("job-1", "job-2") : List.of();
        }

        public void refreshNextRetry() {
            refreshes.incrementAndGet();
        }
    }
}
