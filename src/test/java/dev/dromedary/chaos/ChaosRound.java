package dev.dromedary.chaos;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.SinkContents;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One round of the fault suite, on a database and indices of its own: the work (an import of the contacts file, an
 * export of the companies imported before the fault, and no-op jobs for some faults), the moment the fault ends,
 * and, once every job has settled, what PostgreSQL, Elasticsearch, the facets and the exported object hold.
 */
final class ChaosRound {

    /** The settings of every instance of the suite: a short lease, so that a round waits for it in seconds. */
    static final int LEASE_SECONDS = 10;
    static final Map<String, String> SETTINGS = Map.of(
            "LEASE_SECONDS", String.valueOf(LEASE_SECONDS),
            "HEARTBEAT_INTERVAL_SECONDS", "2",
            "DATABASE_CONNECTION_TIMEOUT_SECONDS", "5");
    /** A job's retry policy in the suite, as a user who expects faults sets it. */
    static final int RETRY_COUNT = 2;
    static final int RETRY_INTERVAL_SECONDS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RUNNING = Set.of("processing", "retrying");
    private static final Set<String> ENDED = Set.of("completed", "failed", "cancelled");
    /** A job that ran twice: completed twice, or started while a run of it was still live. */
    private static final String JOBS_RUN_TWICE = """
            WITH runs AS (
                SELECT job_uuid, to_status,
                       sum(CASE WHEN to_status IN ('processing', 'retrying') THEN 1 ELSE 0 END
                           - CASE WHEN from_status IN ('processing', 'retrying') THEN 1 ELSE 0 END)
                           OVER (PARTITION BY job_uuid ORDER BY id) AS live
                FROM job_transitions)
            SELECT count(*) FROM (
                SELECT job_uuid FROM runs GROUP BY job_uuid
                HAVING max(live) > 1 OR count(*) FILTER (WHERE to_status = 'completed') > 1) twice""";
    private static final String UNSETTLED = "SELECT count(*) FROM jobs "
            + "WHERE status NOT IN ('completed', 'cancelled') AND NOT (status = 'failed' AND run_after IS NULL)";

    final ChaosFiles files;
    final RealServices.TestDatabase database;
    final String fault;
    final int round;
    private final Duration settleWithin;
    private String importUuid;
    private String exportUuid;
    private int noopJobs;
    private int retriedByHand;
    private final List<String> notes = new ArrayList<>();
    private final List<String> notCompleted = new ArrayList<>();
    private long rowsAtFaultEnd;
    private long faultEndedAt;
    private volatile long recoveredAt;
    private ScheduledExecutorService watcher;

    private ChaosRound(ChaosFiles files, RealServices.TestDatabase database, String fault, int round) {
        this.files = files;
        this.database = database;
        this.fault = fault;
        this.round = round;
        // a round imports its file at a few thousand rows a second, and may wait out two leases and retries
        this.settleWithin = Duration.ofSeconds(180 + files.rows() / 500);
    }

    static ChaosRound begin(ChaosFiles files, String fault, int round) throws SQLException {
        return new ChaosRound(files, RealServices.freshDatabase(), fault, round);
    }

    /** Imports the companies that the round exports, before any fault, and makes them searchable. */
    void importCompanies(JobsApi api) throws SQLException {
        String uuid = api.createJob("insert_csv_file", "{\"s3_key\": \"" + files.companiesKey() + "\", \"service\": \"company\"}");
        await().atMost(settleWithin).until(() -> statusOf(uuid).equals("completed") || statusOf(uuid).equals("failed"));
        if (!statusOf(uuid).equals("completed")) {
            throw new AssertionError("the companies were not imported before the fault: " + jobRow(uuid));
        }
        ImportFixture.elasticsearch("POST", "/" + index("companies") + "/_refresh", null);
    }

    /** Creates the import of the contacts file, with the suite's retry policy and {@code moreJobData} (",\"k\": v"). */
    String startImport(JobsApi api, String moreJobData) {
        importUuid = create(api, "insert_csv_file", "{\"s3_key\": \"" + files.contactsKey() + "\", \"service\": \"contact\""
                + moreJobData + "}");
        return importUuid;
    }

    String importUuid() {
        return importUuid;
    }

    String startExport(JobsApi api) {
        exportUuid = create(api, "export_csv_file", "{\"service\": \"company\", \"vql\": {\"select_columns\": [\"uuid\"], "
                + "\"order_by\": [{\"order_by\": \"uuid\", \"order_direction\": \"asc\"}], \"limit\": 1000}}");
        return exportUuid;
    }

    /** Creates {@code count} no-op jobs in one batch (at most 1,000). */
    void startNoopJobs(JobsApi api, int count) {
        StringBuilder jobs = new StringBuilder();
        for (int i = 0; i < count; i++) {
            jobs.append(i == 0 ? "" : ",").append("{\"job_type\": \"noop\", \"job_data\": {\"n\": ").append(i)
                    .append("}, \"retry_count\": ").append(RETRY_COUNT).append('}');
        }
        JobsApi.Response created = api.post("/common/jobs/batch", "{\"jobs\": [" + jobs + "]}");
        if (created.status() != 201) {
            throw new AssertionError("the batch of no-op jobs answered " + created.status() + ": " + created.body());
        }
        noopJobs = count;
    }

    private static String create(JobsApi api, String jobType, String jobData) {
        JobsApi.Response created = api.create("{\"job_type\": \"" + jobType + "\", \"job_data\": " + jobData
                + ", \"retry_count\": " + RETRY_COUNT + ", \"retry_interval\": " + RETRY_INTERVAL_SECONDS + "}");
        if (created.status() != 201) {
            throw new AssertionError("create answered " + created.status() + ": " + created.body());
        }
        return created.body().get("uuid").asText();
    }

    /** Waits until the import has read {@code share} of the file and is still running: the fault comes mid-import. */
    void awaitImportPast(double share) throws SQLException {
        long rows = (long) (share * files.rows());
        await().atMost(settleWithin).until(() -> rowsRead() >= rows || ENDED.contains(statusOf(importUuid)));
        String status = statusOf(importUuid);
        if (!RUNNING.contains(status)) {
            throw new AssertionError("the import was to be running when the fault came, but it is " + jobRow(importUuid));
        }
    }

    long rowsRead() throws SQLException {
        return database.queryLong("SELECT rows_read FROM jobs WHERE uuid = ?::uuid", importUuid);
    }

    String statusOf(String uuid) throws SQLException {
        return database.queryStrings("SELECT status FROM jobs WHERE uuid = ?::uuid", uuid).get(0);
    }

    /**
     * The fault is over (the service is back, or the instance that ran the import is dead and another starts):
     * from now, the time until the import reads past where it stood, or completes, is the round's recovery.
     */
    void faultEnded() throws SQLException {
        faultEnded(null);
    }

    /** As {@link #faultEnded()}, after {@code deadInstance} was killed: recovered once no job is still held by it too. */
    void faultEnded(String deadInstance) throws SQLException {
        rowsAtFaultEnd = rowsRead();
        faultEndedAt = System.nanoTime();
        watcher = Executors.newSingleThreadScheduledExecutor();
        watcher.scheduleWithFixedDelay(() -> {
            try {
                if (recoveredAt == 0 && (rowsRead() > rowsAtFaultEnd || statusOf(importUuid).equals("completed"))
                        && (deadInstance == null || database.queryLong("SELECT count(*) FROM jobs WHERE claimed_by = ? "
                        + "AND status IN ('in_queue', 'processing', 'retry_in_queued', 'retrying')", deadInstance) == 0)) {
                    recoveredAt = System.nanoTime();
                }
            } catch (SQLException e) {
                // the next look tells
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until every job of the round has settled. A job that failed for good with a clear reason is
     * retried by hand once (as its user would), and must complete then.
     */
    void settle(Supplier<JobsApi> api) throws SQLException {
        awaitSettled();
        for (String uuid : database.queryStrings("SELECT uuid::text FROM jobs WHERE status = 'failed' AND run_after IS NULL "
                + "AND data->'partition' IS NULL")) {
            notes.add("retried by hand: " + jobRow(uuid));
            JobsApi.Response retried = api.get().retry(uuid);
            if (retried.status() != 200) {
                notes.add("the retry answered " + retried.status() + ": " + retried.body());
            }
            retriedByHand++;
        }
        if (retriedByHand > 0) {
            awaitSettled();
        }
        for (String uuid : database.queryStrings("SELECT uuid::text FROM jobs WHERE status <> 'completed' ORDER BY created_at")) {
            notCompleted.add("not completed: " + jobRow(uuid));
        }
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    /** A fact of the round worth printing with it. */
    void note(String note) {
        notes.add(note);
    }

    /** Something the round did that it should not have: the round is not clean. */
    void wrong(String what) {
        notCompleted.add(what);
    }

    private void awaitSettled() throws SQLException {
        try {
            await().atMost(settleWithin).pollInterval(Duration.ofMillis(250))
                    .until(() -> database.queryLong(UNSETTLED) == 0);
        } catch (ConditionTimeoutException e) {
            StringBuilder unsettled = new StringBuilder();
            for (String uuid : database.queryStrings("SELECT uuid::text FROM jobs WHERE status NOT IN ('completed', 'cancelled') "
                    + "AND NOT (status = 'failed' AND run_after IS NULL)")) {
                unsettled.append(jobRow(uuid)).append('\n');
            }
            throw new AssertionError(fault + ", round " + round + ": jobs not settled within " + settleWithin + ":\n"
                    + unsettled + "threads of this JVM in Dromedary's code:\n" + dromedaryThreads(), e);
        }
    }

    /** The stacks of this JVM's threads that are in Dromedary's code: where an instance in the test JVM is stuck. */
    private static String dromedaryThreads() {
        StringBuilder threads = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("dev.dromedary.")
                    && !frame.getClassName().startsWith("dev.dromedary.chaos.")
                    && !frame.getClassName().startsWith("dev.dromedary.testing."))) {
                threads.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                Arrays.stream(stack).limit(30).forEach(frame -> threads.append("    at ").append(frame).append('\n'));
            }
        });
        return threads.toString();
    }

    /** What the round left behind, counted against the files. */
    ChaosOutcome outcome() throws SQLException, IOException {
        List<String> postgresKeys = SinkContents.keys(database, "contacts");
        Set<String> inPostgres = new HashSet<>(postgresKeys);
        List<String> elasticsearchIds = ChaosFiles.documentIds(index("contacts"));
        Set<String> inElasticsearch = new HashSet<>(elasticsearchIds);
        Set<String> lost = new TreeSet<>();
        for (String key : files.contactKeys()) {
            if (!inPostgres.contains(key) || !inElasticsearch.contains(key)) {
                lost.add(key);
            }
        }
        long duplicated = (postgresKeys.size() - inPostgres.size()) + (elasticsearchIds.size() - inElasticsearch.size());
        Set<String> mismatched = new HashSet<>(inPostgres);
        mismatched.removeAll(inElasticsearch);
        Set<String> onlyInElasticsearch = new HashSet<>(inElasticsearch);
        onlyInElasticsearch.removeAll(inPostgres);
        mismatched.addAll(onlyInElasticsearch);

        List<String> exported = exportedKeys();
        Set<String> exportedOnce = new HashSet<>(exported);
        duplicated += exported.size() - exportedOnce.size();
        for (String key : files.companyKeys()) {
            if (!exportedOnce.contains(key)) {
                lost.add("company " + key);
            }
        }

        List<String> inexact = new ArrayList<>();
        JsonNode importResponse = response(importUuid);
        if (importResponse.path("rows_read").asLong() != files.rows() || importResponse.path("rows_imported").asLong() != files.rows()) {
            inexact.add("the import counted rows_read " + importResponse.path("rows_read") + ", rows_imported "
                    + importResponse.path("rows_imported") + " of " + files.rows());
        }
        long rowsExported = response(exportUuid).path("rows_exported").asLong();
        if (rowsExported != files.companyKeys().size()) {
            inexact.add("the export counted " + rowsExported + " rows of " + files.companyKeys().size());
        }
        Set<String> facets = SinkContents.filtersData(database, "contact");
        if (!facets.equals(files.contactFacets())) {
            inexact.add("the facets differ from the file's: " + facets.size() + " values against " + files.contactFacets().size());
        }
        long deadLetters = database.queryLong("SELECT count(*) FROM dead_letters WHERE reprocessed_at IS NULL");
        if (deadLetters > 0) {
            inexact.add(deadLetters + " dead letters, of a file without a bad row");
        }
        long noopsCompleted = database.queryLong("SELECT count(*) FROM jobs WHERE job_type = 'noop' AND status = 'completed'");
        if (noopsCompleted != noopJobs) {
            inexact.add(noopsCompleted + " of " + noopJobs + " no-op jobs completed");
        }
        inexact.addAll(notCompleted);
        double recovery = recoveredAt == 0 ? Double.NaN : (recoveredAt - faultEndedAt) / 1e9;
        return new ChaosOutcome(fault, round, lost.size(), duplicated, mismatched.size(),
                database.queryLong(JOBS_RUN_TWICE), inexact, retriedByHand, recovery,
                first(lost) + first(mismatched), notes);
    }

    /**
     * What a mirror round left behind: every row of the mirror file in PostgreSQL and Elasticsearch (a row it
     * deleted that the file holds is lost), none that it lacks (a row left is inexact), the same keys in both.
     */
    ChaosOutcome mirrorOutcome(String mirrorUuid, double recoverySeconds) throws SQLException, IOException {
        List<String> postgresKeys = SinkContents.keys(database, "contacts");
        Set<String> inPostgres = new HashSet<>(postgresKeys);
        List<String> elasticsearchIds = ChaosFiles.documentIds(index("contacts"));
        Set<String> inElasticsearch = new HashSet<>(elasticsearchIds);
        Set<String> lost = new TreeSet<>();
        for (String key : files.mirrorKeys()) {
            if (!inPostgres.contains(key) || !inElasticsearch.contains(key)) {
                lost.add(key);
            }
        }
        Set<String> mismatched = new HashSet<>(inPostgres);
        mismatched.removeAll(inElasticsearch);
        Set<String> onlyInElasticsearch = new HashSet<>(inElasticsearch);
        onlyInElasticsearch.removeAll(inPostgres);
        mismatched.addAll(onlyInElasticsearch);
        List<String> inexact = new ArrayList<>();
        Set<String> left = new TreeSet<>(inPostgres);
        left.addAll(inElasticsearch);
        left.removeAll(files.mirrorKeys());
        if (!left.isEmpty()) {
            inexact.add(left.size() + " rows the mirror file lacks were not deleted" + first(left));
        }
        if (!statusOf(mirrorUuid).equals("completed")) {
            inexact.add("the mirror did not complete: " + jobRow(mirrorUuid));
        }
        long duplicated = (postgresKeys.size() - inPostgres.size()) + (elasticsearchIds.size() - inElasticsearch.size());
        return new ChaosOutcome(fault, round, lost.size(), duplicated, mismatched.size(), database.queryLong(JOBS_RUN_TWICE),
                inexact, 0, recoverySeconds, first(lost) + first(mismatched), notes);
    }

    private static String first(Set<String> keys) {
        return keys.isEmpty() ? "" : " e.g. " + keys.stream().limit(3).toList();
    }

    private List<String> exportedKeys() throws IOException, SQLException {
        String key = response(exportUuid).path("s3_key").asText(null);
        if (key == null) {
            return List.of();
        }
        String csv;
        try (var s3 = RealServices.s3Client()) {
            csv = s3.getObjectAsBytes(get -> get.bucket(RealServices.BUCKET).key(key)).asUtf8String();
            s3.deleteObject(delete -> delete.bucket(RealServices.BUCKET).key(key));
        }
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        return records.stream().map(record -> record.get("uuid")).toList();
    }

    private JsonNode response(String uuid) throws SQLException, IOException {
        List<String> responses = database.queryStrings("SELECT job_response::text FROM jobs WHERE uuid = ?::uuid", uuid);
        return responses.isEmpty() || responses.get(0) == null ? JSON.createObjectNode() : JSON.readTree(responses.get(0));
    }

    String jobRow(String uuid) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT job_type, status, attempts, claimed_by, rows_read, "
                     + "run_after, job_response FROM jobs WHERE uuid = ?::uuid")) {
            query.setString(1, uuid);
            ResultSet result = query.executeQuery();
            return result.next() ? uuid + " " + result.getString(1) + " " + result.getString(2) + " attempts "
                    + result.getInt(3) + " on " + result.getString(4) + " rows_read " + result.getLong(5) + " run_after "
                    + result.getString(6) + " " + result.getString(7) : uuid + ": no such job";
        }
    }

    String index(String name) {
        return database.name() + "_" + name;
    }

    /** Drops the round's indices, database and exported object, so that many rounds fit the test services. */
    void dispose() throws SQLException {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        ImportFixture.elasticsearch("DELETE", "/" + index("contacts") + "," + index("companies") + "?ignore_unavailable=true", null);
        RealServices.dropDatabase(database);
    }
}
