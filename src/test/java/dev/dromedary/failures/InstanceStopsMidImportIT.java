package dev.dromedary.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.DromedaryProcess;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The application process stops in the middle of a 50,000-row import, killed (SIGKILL) or told to stop
 * (SIGTERM), and another instance finishes the import from its checkpoint: every row of the file lands
 * exactly once in PostgreSQL, Elasticsearch and the filters table.
 */
@Order(2)
@ExtendWith(RealServices.class)
class InstanceStopsMidImportIT {

    private static final String KEY = "stops/contacts-100k.csv";
    private static final String GZIPPED_KEY = "stops/contacts-100k.csv.gz";
    private static final int ROWS = 50_000;
    private static final List<String> FACETS = List.of("industry", "country", "state", "city", "seniority", "department");
    private static final Duration LONG = Duration.ofMinutes(5);

    private static List<String> fileKeys;
    /** Where each row begins in the file, in bytes: rowStarts[n] is the first byte of row n + 1. */
    private static long[] rowStarts;
    private static Set<String> fileFacetValues;

    @BeforeAll
    static void uploadTheFile() throws Exception {
        String csv = ImportFixture.sample("contact", ROWS, 2024);
        List<CSVRecord> records = SinkContents.parse(csv);
        fileKeys = records.stream().map(record -> record.get("uuid")).sorted().toList();
        assertThat(fileKeys).doesNotHaveDuplicates();
        fileFacetValues = SinkContents.facetValuesIn(records, FACETS);
        rowStarts = new long[records.size()];
        long bytes = 0;
        int chars = 0;
        for (int i = 0; i < records.size(); i++) {
            int next = (int) records.get(i).getCharacterPosition();
            bytes += csv.substring(chars, next).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            chars = next;
            rowStarts[i] = bytes;
        }
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try (var s3 = RealServices.s3Client()) {
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(KEY), RequestBody.fromString(csv));
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(GZIPPED_KEY), RequestBody.fromBytes(gzipped.toByteArray()));
        }
    }

    @Test
    void aGzippedImportKilledMidwayIsResumedByReadingTheStreamAgainUpToItsCheckpoint() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        int port = RunningDromedary.freePort();
        Path log = Files.createTempFile(Path.of("target"), "killed-gzip-", ".log");
        String uuid;
        long checkpointRow;
        try (DromedaryProcess first = DromedaryProcess.start(log,
                DromedaryProcess.on(database, "killed-gzip", port, Map.of("PARALLEL_JOBS", "1")), List.of()).awaitStarted()) {
            JobsApi api = first.api(port, RunningDromedary.API_KEY);
            uuid = api.createJob("insert_csv_file", "{\"s3_key\": \"" + GZIPPED_KEY + "\"}");
            await().atMost(LONG).until(() -> checkpointRow(api.job(uuid)) >= 20_000);
            assertThat(api.job(uuid).at("/progress/percent").asDouble()).as("of the compressed bytes read").isBetween(1.0, 100.0);
            first.kill();
            checkpointRow = database.queryLong("SELECT (checkpoint->>'rows_read')::bigint FROM jobs WHERE uuid = ?::uuid", uuid);
            assertThat(checkpointRow).isBetween(20_000L, ROWS - 1L);
        }

        database.update("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes' WHERE uuid = ?::uuid", uuid);
        try (RunningDromedary next = RunningDromedary.named("next-gzip", database).start()) {
            JsonNode job = new ImportFixture(next, database).awaitSettled(uuid);

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            JsonNode response = job.get("job_response");
            assertThat(response.get("resumed_at_row").asLong()).isEqualTo(checkpointRow + 1);
            assertThat(response.get("resumed_at_text_byte").asLong()).as("the first uncompressed byte of row %s", checkpointRow + 1)
                    .isEqualTo(rowStarts[(int) checkpointRow]);
            assertThat(response.get("resumed_by").asText()).contains("a gzip stream cannot be entered in the middle");
            assertThat(response.get("rows_read").asLong()).isEqualTo(ROWS);
            assertThat(response.get("rows_imported").asLong()).isEqualTo(ROWS);
            assertEveryRowOnceEverywhere(database, next);
        }
    }

    @Test
    void anImportKilledMidwayIsResumedAtItsCheckpointByTheNextInstance() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        int port = RunningDromedary.freePort();
        Path log = Files.createTempFile(Path.of("target"), "killed-", ".log");
        String uuid;
        long checkpointRow;
        try (DromedaryProcess first = DromedaryProcess.start(log,
                DromedaryProcess.on(database, "killed", port, Map.of("PARALLEL_JOBS", "1")), List.of()).awaitStarted()) {
            JobsApi api = first.api(port, RunningDromedary.API_KEY);
            uuid = api.createJob("insert_csv_file", "{\"s3_key\": \"" + KEY + "\"}");
            await().atMost(LONG).until(() -> checkpointRow(api.job(uuid)) >= 20_000);
            JsonNode progress = api.job(uuid).get("progress");
            assertThat(progress.get("percent").asDouble()).isBetween(10.0, 100.0);
            assertThat(progress.get("rows_per_second").asDouble()).isPositive();
            assertThat(progress.get("seconds_left").asLong()).isPositive();

            first.kill();
            // the import had paused the index's refreshes, and did not live to give them back
            assertThat(new ImportFixture(null, database).refreshInterval("contacts")).isEqualTo("-1");

            checkpointRow = database.queryLong("SELECT (checkpoint->>'rows_read')::bigint FROM jobs WHERE uuid = ?::uuid", uuid);
            assertThat(checkpointRow).isBetween(20_000L, ROWS - 1L);
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isGreaterThanOrEqualTo(checkpointRow);
        }

        // the killed instance sends no more heartbeats: the test ages its last one past the lease rather than
        // waiting a lease out, so that the next instance runs on a lease no loaded machine can miss
        database.update("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes' WHERE uuid = ?::uuid", uuid);
        // the next instance's reaper finds the job's lease run out, and its retry runner resumes it
        try (RunningDromedary next = RunningDromedary.named("next", database).start()) {
            assertThat(new ImportFixture(next, database).refreshInterval("contacts")).as("given back at start-up").isNull();
            JsonNode job = new ImportFixture(next, database).awaitSettled(uuid);

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(job.get("claimed_by").asText()).isEqualTo("next");
            assertThat(job.get("attempts").asInt()).isEqualTo(2);
            JsonNode response = job.get("job_response");
            assertThat(response.get("resumed_at_row").asLong()).isEqualTo(checkpointRow + 1);
            assertThat(response.get("resumed_at_byte").asLong()).as("the first byte of row %s", checkpointRow + 1)
                    .isEqualTo(rowStarts[(int) checkpointRow]);
            assertThat(response.get("messages").asText()).contains("resumed at row " + (checkpointRow + 1));
            assertThat(response.get("rows_read").asLong()).isEqualTo(ROWS);
            assertThat(response.get("rows_imported").asLong()).isEqualTo(ROWS);
            assertEveryRowOnceEverywhere(database, next);
            assertThat(transitions(database, uuid)).containsExactly(
                    "null>open", "open>in_queue", "in_queue>processing", "processing>failed", "failed>retry_in_queued",
                    "retry_in_queued>retrying", "retrying>completed");
        }
    }

    @Test
    void onSigtermQueuedJobsGoBackAndTheRunningImportIsHandedBackAtACheckpointForAnotherInstance() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        int port = RunningDromedary.freePort();
        Path log = Files.createTempFile(Path.of("target"), "terminated-", ".log");
        String importUuid;
        List<String> queued = new ArrayList<>();
        try (DromedaryProcess first = DromedaryProcess.start(log, DromedaryProcess.on(database, "terminated", port,
                Map.of("PARALLEL_JOBS", "1", "SHUTDOWN_GRACE_SECONDS", "60")), List.of()).awaitStarted()) {
            JobsApi api = first.api(port, RunningDromedary.API_KEY);
            importUuid = api.createJob("insert_csv_file", "{\"s3_key\": \"" + KEY + "\"}");
            await().atMost(LONG).until(() -> checkpointRow(api.job(importUuid)) >= 10_000);
            for (int i = 0; i < 3; i++) {
                queued.add(api.createJob("noop", "{}"));
            }
            await().until(() -> queued.stream().allMatch(uuid -> api.status(uuid).equals("in_queue")));

            // a grace far longer than a batch takes: the import stops at its next checkpoint, not at the grace
            assertThat(first.terminate(Duration.ofSeconds(90))).as("stopped").isTrue();
            assertThat(first.output()).contains("Job " + importUuid + " (insert_csv_file): Handed back at its checkpoint after row");
        }

        for (String uuid : queued) {
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE uuid = ?::uuid AND status = 'open' "
                    + "AND claimed_by IS NULL AND attempts = 0", uuid)).as("job %s", uuid).isEqualTo(1);
        }
        long checkpointRow = database.queryLong("SELECT (checkpoint->>'rows_read')::bigint FROM jobs WHERE uuid = ?::uuid", importUuid);
        assertThat(checkpointRow).isBetween(10_000L, ROWS - 1L);
        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE uuid = ?::uuid AND status = 'open' AND attempts = 0 "
                + "AND job_response->>'messages' LIKE 'Handed back at its checkpoint after row ' || rows_read || ' %'", importUuid))
                .as("the handed-back job, as the table holds it: %s", jobRow(database, importUuid)).isEqualTo(1);
        // every batch up to the checkpoint was committed before the hand-back, and none after it began
        assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(checkpointRow);

        try (RunningDromedary other = RunningDromedary.named("other", database).start()) {
            ImportFixture imports = new ImportFixture(other, database);
            JsonNode job = imports.awaitSettled(importUuid);

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(job.get("claimed_by").asText()).isEqualTo("other");
            assertThat(job.get("attempts").asInt()).isEqualTo(1);
            assertThat(job.get("job_response").get("resumed_at_row").asLong()).isEqualTo(checkpointRow + 1);
            assertEveryRowOnceEverywhere(database, other);
            for (String uuid : queued) {
                assertThat(imports.awaitFinished(uuid).get("status").asText()).isEqualTo("completed");
            }
            assertThat(transitions(database, importUuid)).containsExactly(
                    "null>open", "open>in_queue", "in_queue>processing", "processing>open", "open>in_queue",
                    "in_queue>processing", "processing>completed");
        }
    }

    @Test
    void aPartitionedImportWhoseInstanceIsKilledIsFinishedByTheOtherWithItsCountsExact() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        int port = RunningDromedary.freePort();
        Path log = Files.createTempFile(Path.of("target"), "killed-partitions-", ".log");
        String parent;
        // each instance holds one claimed partition at most besides those it runs, so that both get some
        try (RunningDromedary survivor = RunningDromedary.named("survivor", database).with("PARALLEL_JOBS", 2)
                .with("JOB_IN_QUEUE_SIZE", 1).start()) {
            try (DromedaryProcess doomed = DromedaryProcess.start(log, DromedaryProcess.on(database, "doomed", port,
                    Map.of("PARALLEL_JOBS", "2", "JOB_IN_QUEUE_SIZE", "1", "BATCH_SIZE_FOR_INSERTION", "250")), List.of()).awaitStarted()) {
                parent = doomed.api(port, RunningDromedary.API_KEY).createJob("insert_csv_file",
                        "{\"s3_key\": \"" + KEY + "\", \"partitions\": 6}");
                // killed while it imports a partition past its first checkpoint
                await().atMost(LONG).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE batch_uuid = ?::uuid "
                        + "AND claimed_by = 'doomed' AND status = 'processing' AND checkpoint IS NOT NULL", parent) > 0);
                doomed.kill();
            }
            // as above: the dead instance's last heartbeats aged past the lease instead of waiting it out
            long orphans = database.update("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes' "
                    + "WHERE claimed_by = 'doomed' AND status IN ('processing', 'retrying')");
            assertThat(orphans).isPositive();
            database.update("UPDATE instances SET heartbeat_at = now() - interval '10 minutes' WHERE id = 'doomed'");
            JsonNode job = new ImportFixture(survivor, database).awaitSettled(parent);

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            JsonNode response = job.get("job_response");
            assertThat(response.get("partitions")).hasSize(6);
            assertThat(response.get("rows_read").asLong()).isEqualTo(ROWS);
            assertThat(response.get("rows_imported").asLong()).isEqualTo(ROWS);
            assertThat(response.get("keys_in_several_partitions").asLong()).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE batch_uuid = ?::uuid AND attempts > 1 "
                    + "AND job_response->>'resumed_at_row' IS NOT NULL", parent)).as("a killed partition resumed at its checkpoint").isPositive();
            assertEveryRowOnceEverywhere(database, survivor);
        }
    }

    private static long checkpointRow(JsonNode job) {
        return job.path("progress").path("checkpoint").path("rows_read").asLong();
    }

    private static void assertEveryRowOnceEverywhere(RealServices.TestDatabase database, RunningDromedary dromedary)
            throws Exception {
        assertThat(SinkContents.keys(database, "contacts")).isEqualTo(fileKeys);
        assertThat(new ImportFixture(dromedary, database).documents("contacts")).isEqualTo(ROWS);
        assertThat(SinkContents.filtersData(database, "contact")).isEqualTo(fileFacetValues);
        assertThat(database.queryLong("SELECT count(*) FROM dead_letters")).isZero();
    }

    private static List<String> transitions(RealServices.TestDatabase database, String uuid) throws Exception {
        List<String> transitions = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT from_status, to_status FROM job_transitions WHERE job_uuid = ?::uuid ORDER BY id")) {
            query.setString(1, uuid);
            ResultSet result = query.executeQuery();
            while (result.next()) {
                transitions.add(result.getString(1) + ">" + result.getString(2));
            }
        }
        return transitions;
    }

    private static String jobRow(RealServices.TestDatabase database, String uuid) throws Exception {
        try (var connection = database.dataSource().getConnection();
             var query = connection.prepareStatement("SELECT status, attempts, rows_read, claimed_by, job_response FROM jobs "
                     + "WHERE uuid = ?::uuid")) {
            query.setString(1, uuid);
            var result = query.executeQuery();
            return result.next() ? result.getString(1) + " attempts " + result.getInt(2) + " rows_read " + result.getLong(3)
                    + " claimed_by " + result.getString(4) + " " + result.getString(5) : "no such job";
        }
    }
}
