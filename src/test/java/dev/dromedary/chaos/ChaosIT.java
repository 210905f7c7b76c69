package dev.dromedary.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dromedary.testing.DromedaryProcess;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.ServiceOutage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault suite: an import of the contacts file and an export run through each fault, and, for the last, no-op
 * jobs on three instances; after every round, no row is lost or found twice, PostgreSQL and Elasticsearch hold the
 * same keys, no job ran twice, and the counts are the files'. A job a fault fails for good is retried by hand once,
 * and must complete then. {@code ./mvnw verify} runs one round of each at 20,000 rows; {@code scripts/chaos.sh}
 * runs more, and prints the table ({@code target/chaos-report.md}).
 *
 * <p>Set by system properties: {@code chaos.rounds} (1), {@code chaos.rows} (20,000), {@code chaos.jobs} (no-op
 * jobs, 200), {@code chaos.faults} (the faults to run, by id; all when empty), {@code chaos.seed} (the random moments).
 */
@Order(3)
@ExtendWith(RealServices.class)
class ChaosIT {

    private static final int ROUNDS = Integer.getInteger("chaos.rounds", 1);
    private static final int ROWS = Integer.getInteger("chaos.rows", 20_000);
    private static final int JOBS = Integer.getInteger("chaos.jobs", 200);
    private static final Set<String> FAULTS = Set.of(System.getProperty("chaos.faults", "").split(","));
    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime() % 1_000_000);
    /** Lines of an instance's start-up, in order: SIGKILLed during start-up, it dies at one of them. */
    private static final List<String> START_UP = List.of("Apache Camel (Main)", "Auto-configuration summary",
            "(dromedary) is starting", "Routes startup");
    private static final ChaosOutcome.Table TABLE = new ChaosOutcome.Table();
    private static final Random RANDOM = new Random(SEED);

    private static ChaosFiles files;

    @BeforeAll
    static void uploadTheFiles() throws Exception {
        files = ChaosFiles.upload(ROWS);
    }

    @AfterAll
    static void printTheTable() {
        String heading = String.format("Fault suite: %d round(s) of each fault, %,d rows imported and %,d exported a round, "
                + "%,d no-op jobs; LEASE_SECONDS %d, retry_count %d, retry_interval %d s; seed %d (-Dchaos.seed)",
                ROUNDS, ROWS, files.companyKeys().size(), JOBS, ChaosRound.LEASE_SECONDS, ChaosRound.RETRY_COUNT,
                ChaosRound.RETRY_INTERVAL_SECONDS, SEED);
        System.out.println(TABLE.render(heading));
        TABLE.write(Path.of("target/chaos-report.md"), heading);
    }

    @Test
    void anInstanceSigkilledMidImportThenDuringStartUpThenDuringResumeLosesAndRepeatsNothing() throws Exception {
        String fault = "SIGKILL mid-import, in start-up, in resume";
        assumeTrue(selected("sigkill"));
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosRound work = ChaosRound.begin(files, fault, round);
            List<Launched> launched = new ArrayList<>();
            try {
                Launched first = launch(work, "a", Map.of(), launched);
                first.process().awaitStarted();
                work.importCompanies(first.api());
                work.startImport(first.api(), "");
                work.awaitImportPast(share());
                work.startExport(first.api());
                first.process().kill();

                Launched second = launch(work, "b", Map.of(), launched);
                second.process().awaitOutput(START_UP.get(RANDOM.nextInt(START_UP.size())));
                second.process().kill();

                Launched third = launch(work, "c", Map.of(), launched);
                third.process().awaitStarted();
                // the import's lease runs out, and the third instance resumes it: killed as it takes the import, or
                // once it has written its first batch
                String importUuid = work.importUuid();
                await().atMost(Duration.ofMinutes(2)).until(() -> work.database.queryLong("SELECT count(*) FROM jobs "
                        + "WHERE uuid = ?::uuid AND status = 'retrying' AND claimed_by = ?", importUuid, third.id()) == 1);
                if (RANDOM.nextBoolean()) {
                    long resumedAt = work.rowsRead();
                    await().atMost(Duration.ofMinutes(2)).until(() -> work.rowsRead() != resumedAt
                            || !work.statusOf(importUuid).equals("retrying"));
                }
                third.process().kill();
                work.faultEnded(third.id());

                Launched last = launch(work, "d", Map.of(), launched);
                last.process().awaitStarted();
                work.settle(last::api);
                TABLE.add(work.outcome());
                last.process().close();
            } finally {
                for (Launched instance : launched) {
                    instance.process().process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                work.dispose();
            }
        }
        assertEveryRoundClean(fault);
    }

    @Test
    void anImportAndAnExportThroughAPostgresqlRestartLoseAndRepeatNothing() throws Exception {
        throughServiceFault("postgres-restart", "PostgreSQL restarted (down 5 s)", Map.of(), outage -> down(outage.postgres(), Duration.ofSeconds(5)));
    }

    @Test
    void anImportAndAnExportWhosePostgresqlBackendsAreTerminatedThreeTimesLoseAndRepeatNothing() throws Exception {
        throughServiceFault("postgres-backends", "PostgreSQL backends terminated (3 times)", Map.of(), outage -> {
            ChaosRound work = outage.work();
            for (int kill = 0; kill < 3; kill++) {
                long before = work.rowsRead();
                try (Connection connection = work.database.dataSource().getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            + "WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()");
                }
                // the next comes once the import has gone on, or has stopped for good
                await().atMost(Duration.ofMinutes(2)).until(() -> work.rowsRead() > before
                        || Set.of("completed", "failed").contains(work.statusOf(work.importUuid())));
            }
        });
    }

    @Test
    void anImportAndAnExportWhosePoolIsExhaustedByAHeldLockLoseAndRepeatNothing() throws Exception {
        int poolSize = 5;
        throughServiceFault("pool", "pool exhausted by a held lock", Map.of("DATABASE_POOL_SIZE", String.valueOf(poolSize)), outage -> {
            ChaosRound work = outage.work();
            try (Connection holder = work.database.dataSource().getConnection()) {
                holder.setAutoCommit(false);
                try (Statement statement = holder.createStatement()) {
                    statement.execute("LOCK TABLE contacts, jobs IN ACCESS EXCLUSIVE MODE");
                }
                await().atMost(Duration.ofMinutes(1)).until(() -> work.database.queryLong("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND wait_event_type = 'Lock'") >= poolSize);
                // every connection of the pool waits on the lock: held past DATABASE_CONNECTION_TIMEOUT_SECONDS, so
                // that asking the pool for one fails (a set time, as in the outages)
                lastFor(Duration.ofSeconds(7));
                holder.rollback();
            }
        });
    }

    @Test
    void anImportAndAnExportThroughAnElasticsearchRestartLoseAndRepeatNothing() throws Exception {
        throughServiceFault("elasticsearch", "Elasticsearch stopped and restarted (down 8 s)", Map.of(), outage -> down(outage.elasticsearch(), Duration.ofSeconds(8)));
    }

    @Test
    void anImportAndAnExportThroughAnS3ServerRestartLoseAndRepeatNothing() throws Exception {
        throughServiceFault("s3", "S3 server stopped and restarted (down 5 s)", Map.of(), outage -> down(outage.s3(), Duration.ofSeconds(5)));
    }

    @Test
    void oneOfThreeInstancesSigkilledWhileAllDrainJobsAndASixPartitionImportLosesAndRepeatsNothing() throws Exception {
        String fault = "1 of 3 instances SIGKILLed (6 partitions, no-op jobs)";
        assumeTrue(selected("instances"));
        Map<String, String> small = Map.of("PARALLEL_JOBS", "2", "JOB_IN_QUEUE_SIZE", "1");
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosRound work = ChaosRound.begin(files, fault, round);
            List<Launched> launched = new ArrayList<>();
            try (RunningDromedary one = survivor(work, "s1", small); RunningDromedary two = survivor(work, "s2", small)) {
                Launched victim = launch(work, "victim", small, launched);
                victim.process().awaitStarted();
                work.importCompanies(one.api());
                String parent = work.startImport(victim.api(), ", \"partitions\": 6");
                // killed midway through a partition of its own, past a checkpoint, while it holds a no-op job
                long partitionRows = (long) (share() * ROWS / 6);
                await().atMost(Duration.ofMinutes(5)).until(() -> work.database.queryLong("SELECT count(*) FROM jobs "
                        + "WHERE batch_uuid = ?::uuid AND claimed_by = ? AND status IN ('processing', 'retrying') "
                        + "AND checkpoint IS NOT NULL AND rows_read >= ?", parent, victim.id(), partitionRows) > 0
                        || !work.statusOf(parent).equals("processing"));
                work.startNoopJobs(one.api(), JOBS);
                work.startExport(one.api());
                await().atMost(Duration.ofMinutes(2)).until(() -> work.database.queryLong("SELECT count(*) FROM jobs "
                        + "WHERE job_type = 'noop' AND claimed_by = ?", victim.id()) > 0
                        || work.database.queryLong("SELECT count(*) FROM jobs WHERE job_type = 'noop' AND status <> 'completed'") == 0);
                victim.process().kill();
                work.faultEnded(victim.id());
                work.settle(one::api);
                work.note(work.database.queryLong("SELECT count(*) FROM jobs WHERE batch_uuid = ?::uuid AND attempts > 1 "
                        + "AND job_response->>'resumed_at_row' IS NOT NULL", parent) + " partition(s) resumed at a checkpoint");
                // the first runs of the partitions, shared out: none ran more than ⌈6/3⌉ + 1 of them
                List<String> firstRuns = work.database.queryStrings("SELECT instance || '=' || count(*) FROM job_transitions "
                        + "WHERE to_status = 'processing' AND attempts = 1 AND job_uuid IN (SELECT uuid FROM jobs WHERE batch_uuid = ?::uuid) "
                        + "GROUP BY instance ORDER BY instance", parent);
                work.note("partitions first run per instance: " + String.join(", ", firstRuns));
                if (firstRuns.stream().anyMatch(entry -> Long.parseLong(entry.substring(entry.lastIndexOf('=') + 1)) > 6 / 3 + 1)) {
                    work.wrong("an instance ran more than " + (6 / 3 + 1) + " of the 6 partitions: " + firstRuns);
                }
                TABLE.add(work.outcome());
            } finally {
                for (Launched instance : launched) {
                    instance.process().process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                work.dispose();
            }
        }
        assertEveryRoundClean(fault);
    }

    @Test
    void aMirrorSigkilledWhileItDeletesAndResumedDeletesExactlyTheRowsItsFileLacks() throws Exception {
        String fault = "mirror import SIGKILLed mid-delete, resumed";
        assumeTrue(selected("mirror"));
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosRound work = ChaosRound.begin(files, fault, round);
            List<Launched> launched = new ArrayList<>();
            try {
                // small pages (400 of them), so that the deletes take long enough to be cut through
                Map<String, String> pages = Map.of("MIRROR_PAGE_SIZE", String.valueOf(Math.max(50, ROWS / 400)));
                Launched first = launch(work, "a", pages, launched);
                first.process().awaitStarted();
                String full = first.api().createJob("insert_csv_file", "{\"s3_key\": \"" + files.contactsKey() + "\"}");
                await().atMost(Duration.ofMinutes(10)).until(() -> !Set.of("open", "in_queue", "processing").contains(work.statusOf(full)));
                String mirror = first.api().createJob("insert_csv_file", "{\"s3_key\": \"" + files.mirrorKey() + "\", "
                        + "\"mode\": \"mirror\", \"mirror_max_delete\": \"15%\"}");
                // killed after a random share of the rows to delete are gone from PostgreSQL
                long toDelete = ROWS - files.mirrorKeys().size();
                long killAfter = Math.max(1, (long) (toDelete * share()));
                await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(5)).until(() ->
                        work.database.queryLong("SELECT count(*) FROM contacts") <= ROWS - killAfter
                                || !Set.of("open", "in_queue", "processing").contains(work.statusOf(mirror)));
                first.process().kill();
                work.note("killed with " + (ROWS - work.database.queryLong("SELECT count(*) FROM contacts")) + " of " + toDelete
                        + " rows deleted from PostgreSQL");
                long killedAt = System.nanoTime();

                Launched second = launch(work, "b", pages, launched);
                second.process().awaitStarted();
                await().atMost(Duration.ofMinutes(10)).until(() -> Set.of("completed", "failed", "cancelled").contains(work.statusOf(mirror))
                        && work.database.queryLong("SELECT count(*) FROM jobs WHERE uuid = ?::uuid AND run_after IS NOT NULL", mirror) == 0);
                double recovery = (System.nanoTime() - killedAt) / 1e9;
                TABLE.add(work.mirrorOutcome(mirror, recovery));
                second.process().close();
            } finally {
                for (Launched instance : launched) {
                    instance.process().process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                work.dispose();
            }
        }
        assertEveryRoundClean(fault);
    }

    /** The fault, injected while the import runs and the export has been asked for; it returns once it is over. */
    private interface ServiceFault {
        void inject(Outage outage) throws Exception;
    }

    /** The round, and the proxies through which its instance reaches PostgreSQL, Elasticsearch and S3. */
    private record Outage(ChaosRound work, ServiceOutage postgres, ServiceOutage elasticsearch, ServiceOutage s3) {
    }

    private static void throughServiceFault(String id, String fault, Map<String, String> settings, ServiceFault inject)
            throws Exception {
        assumeTrue(selected(id));
        for (int round = 1; round <= ROUNDS; round++) {
            ChaosRound work = ChaosRound.begin(files, fault, round);
            try (ServiceOutage postgres = ServiceOutage.inFrontOf(work.database.jdbcUrl());
                 ServiceOutage elasticsearch = ServiceOutage.inFrontOf(RealServices.elasticsearchUrl());
                 ServiceOutage s3 = ServiceOutage.inFrontOf(RealServices.s3Endpoint())) {
                RunningDromedary.Builder builder = RunningDromedary.named("chaos-" + id + "-" + round, work.database)
                        .with("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + work.database.name())
                        .with("ELASTICSEARCH_URL", elasticsearch.url())
                        .with("S3_ENDPOINT", s3.url());
                ChaosRound.SETTINGS.forEach(builder::with);
                settings.forEach(builder::with);
                try (RunningDromedary instance = builder.start()) {
                    work.importCompanies(instance.api());
                    work.startImport(instance.api(), "");
                    work.awaitImportPast(share());
                    work.startExport(instance.api());
                    inject.inject(new Outage(work, postgres, elasticsearch, s3));
                    work.faultEnded();
                    work.settle(instance::api);
                    TABLE.add(work.outcome());
                }
            } finally {
                work.dispose();
            }
        }
        assertEveryRoundClean(fault);
    }

    private static RunningDromedary survivor(ChaosRound work, String name, Map<String, String> settings) throws Exception {
        RunningDromedary.Builder builder = RunningDromedary.named("chaos-" + work.round + "-" + name, work.database);
        ChaosRound.SETTINGS.forEach(builder::with);
        settings.forEach(builder::with);
        return builder.start();
    }

    /** A {@code ./dromedary} process of the round, as a user runs one, SIGKILLed by the test. */
    private record Launched(DromedaryProcess process, String id, int port) {

        JobsApi api() {
            return process.api(port, RunningDromedary.API_KEY);
        }
    }

    private static Launched launch(ChaosRound work, String name, Map<String, String> settings, List<Launched> launched)
            throws Exception {
        String id = "chaos-" + work.round + "-" + name;
        int port = RunningDromedary.freePort();
        Map<String, String> env = new HashMap<>(ChaosRound.SETTINGS);
        env.putAll(settings);
        Path log = Files.createTempFile(Path.of("target"), id + "-", ".log");
        Launched instance = new Launched(DromedaryProcess.start(log, DromedaryProcess.on(work.database, id, port, env), List.of()),
                id, port);
        launched.add(instance);
        return instance;
    }

    /** Where in the file a fault comes: after 15 to 50% of its rows. */
    private static double share() {
        return 0.15 + RANDOM.nextDouble() * 0.35;
    }

    /** The service's port is gone for a set time, as in a restart: the fault itself, not a wait for an outcome. */
    private static void down(ServiceOutage service, Duration outage) throws Exception {
        service.cut();
        lastFor(outage);
        service.restore();
    }

    private static void lastFor(Duration outage) throws InterruptedException {
        Thread.sleep(outage.toMillis());
    }

    private static boolean selected(String fault) {
        return FAULTS.equals(Set.of("")) || FAULTS.contains(fault);
    }

    private static void assertEveryRoundClean(String fault) {
        List<ChaosOutcome> rounds = TABLE.of(fault);
        assertThat(rounds).hasSize(ROUNDS);
        assertThat(rounds).allSatisfy(round -> assertThat(round.clean()).as(round.describe()).isTrue());
    }
}
