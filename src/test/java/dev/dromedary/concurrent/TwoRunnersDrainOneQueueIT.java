package dev.dromedary.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunLedger;
import dev.dromedary.testing.RunningDromedary;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given two instances polling one jobs table, when 200 jobs are created at once, then each job runs exactly
 * once, and neither instance ever runs more than PARALLEL_JOBS jobs at a time nor holds more than
 * JOB_IN_QUEUE_SIZE claimed jobs that it has not started.
 */
@ExtendWith(RealServices.class)
class TwoRunnersDrainOneQueueIT {

    private static final int JOBS = 200;
    private static final int PARALLEL_JOBS = 2;
    private static final int JOB_IN_QUEUE_SIZE = 5;

    @Test
    void eachJobRunsExactlyOnceWithinEachInstancesBounds() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        RunLedger ledgerA = new RunLedger();
        RunLedger ledgerB = new RunLedger();
        try (RunningDromedary a = runner("runner-a", database, ledgerA).start();
             RunningDromedary b = runner("runner-b", database, ledgerB)
                     .with("camel.server.enabled", false)
                     .with("camel.main.routes-exclude-pattern", "file:routes/*-api.camel.yaml")
                     .start();
             QueueWatcher watcher = new QueueWatcher(database.dataSource())) {

            List<String> uuids = createAtOnce(a.api());

            await().atMost(Duration.ofMinutes(2)).until(() ->
                    database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") == JOBS);

            System.out.printf("%d jobs: runner-a ran %d, runner-b ran %d; most at once a=%d b=%d; most queued %s%n",
                    JOBS, ledgerA.jobsRun(), ledgerB.jobsRun(), ledgerA.mostAtOnce(), ledgerB.mostAtOnce(),
                    watcher.mostQueued());
            for (String uuid : uuids) {
                assertThat(ledgerA.runsOf(uuid) + ledgerB.runsOf(uuid)).as("runs of job %s", uuid).isEqualTo(1);
            }
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE attempts <> 1")).isZero();
            assertThat(database.queryLong("SELECT count(DISTINCT claimed_by) FROM jobs")).isEqualTo(2);
            assertThat(ledgerA.jobsRun()).as("jobs run by runner-a").isPositive();
            assertThat(ledgerB.jobsRun()).as("jobs run by runner-b").isPositive();

            assertThat(ledgerA.mostAtOnce()).isEqualTo(PARALLEL_JOBS);
            assertThat(ledgerB.mostAtOnce()).isEqualTo(PARALLEL_JOBS);
            assertThat(watcher.mostQueued()).containsOnlyKeys("runner-a", "runner-b");
            assertThat(watcher.mostQueued().values()).allSatisfy(most ->
                    assertThat(most).isPositive().isLessThanOrEqualTo(JOB_IN_QUEUE_SIZE));
        }
    }

    private static RunningDromedary.Builder runner(String name, RealServices.TestDatabase database, RunLedger ledger) {
        return RunningDromedary.named(name, database)
                .with("PARALLEL_JOBS", PARALLEL_JOBS)
                .with("JOB_IN_QUEUE_SIZE", JOB_IN_QUEUE_SIZE)
                .with("TICKER_INTERVAL_SECONDS", 0.05)
                .bind("runLedger", ledger);
    }

    private static List<String> createAtOnce(JobsApi api) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> created = IntStream.range(0, JOBS)
                    .mapToObj(i -> clients.submit(() -> api.createJob("test_counted", "{\"work_ms\": 20}")))
                    .toList();
            return created.stream().map(future -> {
                try {
                    return future.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        } finally {
            clients.shutdown();
        }
    }

    /**
     * Samples every 5 ms how many claimed-but-not-started jobs each instance holds, on one connection; a
     * sample that fails is kept and fails the test when it asks for the figures.
     */
    private static final class QueueWatcher implements AutoCloseable {

        private final Map<String, Integer> mostQueued = new ConcurrentHashMap<>();
        private final AtomicInteger samples = new AtomicInteger();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private final Connection connection;
        private volatile Exception failure;

        QueueWatcher(DataSource dataSource) throws Exception {
            connection = dataSource.getConnection();
            sampler.scheduleWithFixedDelay(this::sample, 0, 5, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            if (failure != null) {
                return;
            }
            try (Statement statement = connection.createStatement();
                 ResultSet counts = statement.executeQuery(
                         "SELECT claimed_by, count(*) FROM jobs WHERE status = 'in_queue' GROUP BY claimed_by")) {
                while (counts.next()) {
                    mostQueued.merge(counts.getString(1), counts.getInt(2), Math::max);
                }
                samples.incrementAndGet();
            } catch (Exception e) {
                failure = e;
            }
        }

        Map<String, Integer> mostQueued() {
            if (failure != null) {
                throw new AssertionError("the queue watcher stopped sampling", failure);
            }
            assertThat(samples.get()).as("samples taken while the jobs ran").isGreaterThan(20);
            return mostQueued;
        }

        @Override
        public void close() throws Exception {
            sampler.shutdown();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
            connection.close();
        }
    }
}
