package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.TreeSet;
import org.apache.camel.builder.AdviceWith;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Given an import with a checkpoint in one version of an object, when the object is replaced between the
 * check of its ETag and the ranged GET of the rest, then the GET (If-Match the checkpoint's ETag) is refused
 * and the import reads the new version from row 1: never the bytes of one file at the offset of another.
 */
@ExtendWith(RealServices.class)
class ReplacedObjectIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "replaced/contacts.csv";

    @Test
    void anObjectReplacedJustBeforeTheResumingGetIsImportedFromItsFirstRow() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String first = ImportFixture.sample("contact", 300, 41);
        String second = ImportFixture.sample("contact", 450, 42);
        try (RunningDromedary dromedary = RunningDromedary.named("replaced", database).start();
             S3Client s3 = RealServices.s3Client()) {
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(KEY), RequestBody.fromString(first));
            String etag = s3.headObject(head -> head.bucket(RealServices.BUCKET).key(KEY)).eTag();
            // the object is replaced at the moment the import asks for the bytes after its checkpoint
            AdviceWith.adviceWith(dromedary.context(), "import-object", route -> route
                    .weaveById("get-range-after-checkpoint").before().process(exchange ->
                            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(KEY), RequestBody.fromString(second))));

            String uuid = failedJobWithCheckpoint(database, first, etag, 100);
            JsonNode job = new ImportFixture(dromedary, database).awaitSettled(uuid);

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(job.get("job_response").get("rows_read").asLong()).isEqualTo(450);
            assertThat(job.get("job_response").get("rows_imported").asLong()).isEqualTo(450);
            assertThat(job.get("job_response").has("resumed_at_row")).isFalse();
            assertThat(job.get("job_response").get("messages").asText())
                    .contains("started again at row 1, as the object was replaced since the checkpoint of an earlier attempt");
            TreeSet<String> keys = new TreeSet<>();
            SinkContents.parse(second).forEach(row -> keys.add(row.get("uuid")));
            assertThat(new TreeSet<>(SinkContents.keys(database, "contacts"))).isEqualTo(keys);
        }
    }

    @Test
    void aRetryResumesAfterACheckpointOfTheSameObjectAndIgnoresOneTakenInAnotherVersion() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String csv = ImportFixture.sample("contact", 300, 43);
        try (RunningDromedary dromedary = RunningDromedary.named("resumes", database).start();
             S3Client s3 = RealServices.s3Client()) {
            // two objects of the same rows, one job each: neither waits for the other's import of one object
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key("replaced/same.csv"), RequestBody.fromString(csv));
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key("replaced/older.csv"), RequestBody.fromString(csv));
            String etag = s3.headObject(head -> head.bucket(RealServices.BUCKET).key("replaced/same.csv")).eTag();
            String resumed = failedJobWithCheckpoint(database, "replaced/same.csv", csv, etag, 100);
            String startedOver = failedJobWithCheckpoint(database, "replaced/older.csv", csv, "\"an-older-version\"", 100);
            List<String> keys = SinkContents.parse(csv).stream().map(row -> row.get("uuid")).toList();
            ImportFixture imports = new ImportFixture(dromedary, database);
            JsonNode fromCheckpoint = imports.awaitSettled(resumed);
            JsonNode fromTheStart = imports.awaitSettled(startedOver);

            assertThat(fromCheckpoint.get("status").asText()).as("job %s", fromCheckpoint).isEqualTo("completed");
            assertThat(fromCheckpoint.get("job_response").get("resumed_at_row").asLong()).isEqualTo(101);
            assertThat(fromCheckpoint.get("job_response").get("rows_read").asLong()).isEqualTo(300);
            assertThat(fromTheStart.get("status").asText()).as("job %s", fromTheStart).isEqualTo("completed");
            assertThat(fromTheStart.get("job_response").has("resumed_at_row")).isFalse();
            assertThat(fromTheStart.get("job_response").get("rows_read").asLong()).isEqualTo(300);
            assertThat(fromTheStart.get("job_response").get("messages").asText()).contains("started again at row 1");
            assertThat(new TreeSet<>(SinkContents.keys(database, "contacts"))).isEqualTo(new TreeSet<>(keys));
        }
    }

    /** A failed import of {@code csv}, due for a retry, whose checkpoint is after row {@code rows}. */
    private static String failedJobWithCheckpoint(RealServices.TestDatabase database, String csv, String etag, int rows)
            throws Exception {
        return failedJobWithCheckpoint(database, KEY, csv, etag, rows);
    }

    private static String failedJobWithCheckpoint(RealServices.TestDatabase database, String key, String csv, String etag,
                                                  int rows) throws Exception {
        List<CSVRecord> records = SinkContents.parse(csv);
        String[] lines = csv.split("\n", -1);
        long offset = 0;
        for (int i = 0; i <= rows; i++) {
            offset += lines[i].getBytes(StandardCharsets.UTF_8).length + 1;
        }
        var checkpoint = JSON.createObjectNode().put("dataset", "contact").put("etag", etag).put("byte_offset", offset)
                .put("batches", 1).put("rows_read", rows).put("rows_imported", rows).put("rows_failed", 0)
                .put("rows_duplicate", 0).put("attempt_first_row", 0).put("attempt_first_byte", 0);
        checkpoint.set("header", JSON.valueToTree(records.get(0).getParser().getHeaderNames()));
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (job_type, data, status, retry_count, "
                     + "run_after, attempts, checkpoint) VALUES ('insert_csv_file', ?::jsonb, 'failed', 1, now(), 1, ?::jsonb) "
                     + "RETURNING uuid")) {
            insert.setString(1, "{\"s3_key\": \"" + key + "\", \"service\": \"contact\"}");
            insert.setString(2, JSON.writeValueAsString(checkpoint));
            ResultSet result = insert.executeQuery();
            result.next();
            return result.getString(1);
        }
    }
}
