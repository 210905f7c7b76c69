package dev.dromedary.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.embedded.EmbeddedPostgresServer;
import dev.dromedary.testing.DromedaryProcess;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ingest_database from a second database of the embedded server: 200,000 rows streamed through a cursor by a
 * process whose heap is capped at 256 MB, killed midway and resumed by another after the last committed value of
 * its checkpoint column, each row once in PostgreSQL and Elasticsearch; and a query that would write refused.
 */
@ExtendWith(RealServices.class)
class IngestDatabaseIT {

    private static final int ROWS = 200_000;
    private static final Duration LONG = Duration.ofMinutes(6);
    private static final String QUERY = "SELECT id AS uuid, first_name, last_name, email, employees AS employees_count, "
            + "created AS created_at, seq FROM people WHERE seq > ?";

    @Test
    void aQueryOf200000RowsIsStreamedAtACappedHeapKilledMidwayAndResumedAfterItsCheckpointColumn() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        RealServices.TestDatabase source = RealServices.freshDatabase();
        source.update("CREATE TABLE people (seq bigint PRIMARY KEY, id uuid NOT NULL, first_name text, last_name text, "
                + "email text, employees integer, created timestamptz)");
        source.update("INSERT INTO people SELECT i, md5(i::text)::uuid, 'First' || i, 'Last' || i, 'p' || i || '@example.com', "
                + "i % 5000, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' FROM generate_series(1, ?) AS i", ROWS);
        Map<String, String> settings = new HashMap<>(Map.of("SOURCE_CRM_URL", source.jdbcUrl(),
                "SOURCE_CRM_USER", EmbeddedPostgresServer.USER, "SOURCE_CRM_PASSWORD", EmbeddedPostgresServer.PASSWORD,
                "JAVA_OPTS", "-Xmx256m", "PARALLEL_JOBS", "1"));
        String jobData = "{\"source\": \"crm\", \"service\": \"contact\", \"fetch_size\": 1000, \"checkpoint_column\": \"seq\", "
                + "\"params\": [0], \"query\": \"" + QUERY + "\"}";

        int port = RunningDromedary.freePort();
        String uuid;
        long checkpointRow;
        try (DromedaryProcess first = DromedaryProcess.start(Files.createTempFile(Path.of("target"), "ingest-db-", ".log"),
                DromedaryProcess.on(database, "ingest-db-first", port, settings), List.of()).awaitStarted()) {
            JobsApi api = first.api(port, RunningDromedary.API_KEY);
            assertThat(api.create("{\"job_type\": \"ingest_database\", \"job_data\": {\"source\": \"crm\", \"service\": \"contact\", "
                    + "\"query\": \"DELETE FROM people\"}}").error()).startsWith("ERR_INVALID_JOB_DATA").contains("SELECT");
            assertThat(api.create("{\"job_type\": \"ingest_database\", \"job_data\": {\"source\": \"crm\", \"service\": \"contact\", "
                    + "\"query\": \"SELECT 1 AS uuid; DROP TABLE people\"}}").error()).contains("more than one statement");

            uuid = api.createJob("ingest_database", jobData);
            await().atMost(LONG).until(() -> api.job(uuid).path("progress").path("checkpoint").path("rows_read").asLong() >= 50_000
                    || !first.process().isAlive());
            first.kill();
            checkpointRow = database.queryLong("SELECT (checkpoint->>'rows_read')::bigint FROM jobs WHERE uuid = ?::uuid", uuid);
            assertThat(checkpointRow).isBetween(50_000L, ROWS - 1L);
            assertThat(database.queryStrings("SELECT checkpoint->'resume_at'->>'seq' FROM jobs WHERE uuid = ?::uuid", uuid))
                    .as("the last value committed, the rows being read in its order").containsExactly(String.valueOf(checkpointRow));
        }

        database.update("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes' WHERE uuid = ?::uuid", uuid);
        try (DromedaryProcess next = DromedaryProcess.start(Files.createTempFile(Path.of("target"), "ingest-db-next-", ".log"),
                DromedaryProcess.on(database, "ingest-db-next", port, settings), List.of()).awaitStarted()) {
            JobsApi api = next.api(port, RunningDromedary.API_KEY);
            // failed with a run_after is the lease's hand-back, waiting for the retry runner
            await().atMost(LONG).until(() -> api.status(uuid).equals("completed")
                    || api.status(uuid).equals("failed") && api.job(uuid).get("run_after").isNull() || !next.process().isAlive());
            JsonNode job = api.job(uuid);
            assertThat(job.get("status").asText()).as("job %s; output %s", job, next.output()).isEqualTo("completed");
            JsonNode response = job.get("job_response");
            assertThat(response.get("resumed_at_row").asLong()).isEqualTo(checkpointRow + 1);
            assertThat(response.get("rows_read").asLong()).as("each row read once, across both attempts").isEqualTo(ROWS);
            assertThat(response.get("rows_imported").asLong()).isEqualTo(ROWS);
            assertThat(response.get("unknown_columns").toString()).contains("seq");
            assertThat(next.output()).doesNotContain("OutOfMemoryError");

            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(ROWS);
            assertThat(database.queryLong("SELECT count(*) FROM contacts WHERE email = 'p' || substring(first_name from 6) "
                    + "|| '@example.com' AND last_name = 'Last' || substring(first_name from 6) "
                    + "AND uuid = md5(substring(first_name from 6))::uuid AND employees_count = substring(first_name from 6)::int % 5000"))
                    .as("every row's values as the source holds them").isEqualTo(ROWS);
            assertThat(database.queryLong("SELECT extract(epoch FROM created_at)::bigint FROM contacts WHERE uuid = md5('7')::uuid"))
                    .as("2024-01-01 00:07 UTC").isEqualTo(1_704_067_620L);
            ImportFixture fixture = new ImportFixture(null, database);
            await().atMost(Duration.ofMinutes(1)).until(() -> fixture.searchableDocuments("contacts") == ROWS);

            source.update("CREATE FUNCTION sneaky() RETURNS int LANGUAGE sql AS 'INSERT INTO people VALUES (0, md5(''0'')::uuid) RETURNING 1'");
            String writer = api.createJob("ingest_database", "{\"source\": \"crm\", \"service\": \"contact\", "
                    + "\"query\": \"SELECT md5('0')::uuid AS uuid, sneaky() AS written\"}");
            await().atMost(LONG).until(() -> List.of("completed", "failed").contains(api.status(writer)));
            assertThat(api.job(writer).toString()).contains("read-only transaction");
            assertThat(source.queryLong("SELECT count(*) FROM people WHERE seq = 0")).isZero();
        }
    }
}
