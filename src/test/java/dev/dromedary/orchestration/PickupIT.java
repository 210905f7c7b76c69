package dev.dromedary.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunLedger;
import dev.dromedary.testing.RunningDromedary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Jobs start the moment they are created, on whichever listening instance has a worker free, though the ticker polls
 * every five minutes. Isolated: it measures how soon, which a test class running beside it on the same two cores
 * (one filing 700 S3 objects, say) stretched past a second once.
 */
@Isolated
@ExtendWith(RealServices.class)
class PickupIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void jobsStartWithinASecondOnTwoListeningInstancesThoughTheTickerWaitsFiveMinutes() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        // pickup-a, which serves the API, is a slow instance: one worker that takes 40 ms a job, and 1 claimed job
        // beside it, so it cannot keep up with jobs created one by one; pickup-b's 4 workers run 20 ms jobs faster
        // than they are created, so no job waits much more than a run of pickup-a's
        RunLedger ledgerA = new RunLedger(20);
        RunLedger ledgerB = new RunLedger();
        try (RunningDromedary a = instance("pickup-a", database).bind("runLedger", ledgerA).with("JOB_IN_QUEUE_SIZE", 1)
                .with("PARALLEL_JOBS", 1).start();
             RunningDromedary b = instance("pickup-b", database).bind("runLedger", ledgerB).with("JOB_IN_QUEUE_SIZE", 1)
                     .with("camel.server.enabled", false)
                     .with("camel.main.routes-exclude-pattern", "file:routes/*-api.camel.yaml")
                     .start()) {
            // a first claim and run on each instance loads and compiles their code paths: that is start-up, not pickup;
            // warm-up jobs are made until each instance has run one (pickup-a may take a round of them all, and
            // pickup-b's first measured jobs then waited for its start-up: 1.2 s)
            long warmUp = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            do {
                for (int i = 0; i < 10; i++) {
                    a.api().createJob("test_succeed", "{}");
                }
                long created = warmUp += 10;
                await().atMost(WAIT).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") == created);
            } while (database.queryLong("SELECT count(DISTINCT claimed_by) FROM jobs WHERE status = 'completed'") < 2
                    && System.nanoTime() < deadline);
            assertThat(database.queryLong("SELECT count(DISTINCT claimed_by) FROM jobs WHERE status = 'completed'"))
                    .as("instances that ran a warm-up job").isEqualTo(2);
            long warmedUp = warmUp;
            List<String> uuids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                uuids.add(a.api().createJob("test_counted", "{\"work_ms\": 20}"));
            }
            await().atMost(WAIT).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") == warmedUp + 60);

            for (String uuid : uuids) {
                assertThat(ledgerA.runsOf(uuid) + ledgerB.runsOf(uuid)).as("runs of job %s", uuid).isEqualTo(1);
            }
            assertThat(ledgerA.jobsRun()).as("jobs run by pickup-a").isPositive();
            assertThat(ledgerB.jobsRun()).as("jobs run by pickup-b").isPositive();
            long slowestPickupMillis = database.queryLong(
                    "SELECT max(extract(epoch FROM started_at - created_at) * 1000)::bigint FROM jobs WHERE job_type = 'test_counted'");
            System.out.printf("60 jobs on two instances: slowest created -> processing %d ms; the slowest: %s%n", slowestPickupMillis,
                    database.queryStrings("SELECT claimed_by || ' ' || (extract(epoch FROM started_at - created_at) * 1000)::bigint "
                            + "FROM jobs WHERE job_type = 'test_counted' ORDER BY started_at - created_at DESC LIMIT 3"));
            assertThat(slowestPickupMillis).as("slowest pickup, ms").isLessThan(1000);
        }
    }

    private static RunningDromedary.Builder instance(String name, RealServices.TestDatabase database) {
        return RunningDromedary.named(name, database)
                .with("TICKER_INTERVAL_SECONDS", "")
                .with("TICKER_INTERVAL_MINUTES", 5)
                .with("INBOX_ENABLED", false);
    }
}
