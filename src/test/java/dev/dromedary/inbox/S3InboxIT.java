package dev.dromedary.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Objects put under the inbox prefix become one import each, however many instances poll, and are filed. */
@Order(3)
@ExtendWith(RealServices.class)
class S3InboxIT {

    private static final Duration LONG = Duration.ofMinutes(3);

    @Test
    void fiftyObjectsSomePutTwiceGiveOneCompletedJobEachOnTwoInstancesAndAreFiledAsProcessed() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String root = database.name() + "/";
        try (RunningDromedary a = inbox("inbox-a", database, root).start();
             RunningDromedary b = inbox("inbox-b", database, root).start()) {
            ImportFixture imports = new ImportFixture(a, database);
            List<String> keys = new ArrayList<>();
            List<String> contents = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String dataset = i % 5 == 0 ? "company" : "contact";
                String key = root + "incoming/" + (dataset.equals("company") ? "company/" : "") + "file-" + i + ".csv";
                String csv = ImportFixture.sample(dataset, 4, 1000 + i);
                keys.add(key);
                contents.add(csv);
                imports.upload(key, csv);
                if (i % 4 == 0) {
                    imports.upload(key, csv);
                }
            }

            await().atMost(LONG).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed' "
                    + "AND job_response->>'filed_to' IS NOT NULL") == 50);
            await().atMost(LONG).until(() -> objects(root + "incoming/").isEmpty());
            // put again, unchanged, after its import: no second job, and it is filed again
            imports.upload(keys.get(7), contents.get(7));
            await().atMost(LONG).until(() -> objects(root + "incoming/").isEmpty());
            assertThat(database.queryLong("SELECT count(*) FROM jobs")).isEqualTo(50);
            // put again changed (a new ETag): a new job, which imports it
            imports.upload(keys.get(10), ImportFixture.sample("company", 6, 77));
            await().atMost(LONG).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE data->>'s3_key' = ? "
                    + "AND status = 'completed' AND job_response->>'filed_to' IS NOT NULL", keys.get(10)) == 2);
            await().atMost(LONG).until(() -> objects(root + "incoming/").isEmpty());

            assertThat(database.queryLong("SELECT count(*) FROM jobs")).isEqualTo(51);
            assertThat(database.queryLong("SELECT count(DISTINCT data->>'s3_key') FROM jobs WHERE idempotency_key LIKE 'inbox:%'"))
                    .isEqualTo(50);
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'")).isEqualTo(51);
            assertThat(database.queryLong("SELECT max(rows_written) FROM jobs WHERE data->>'s3_key' = ?", keys.get(10)))
                    .isEqualTo(6);
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE data->>'service' = 'company'")).isEqualTo(11);
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(40 * 4);
            assertThat(objects(root + "processed/")).containsExactlyInAnyOrderElementsOf(
                    keys.stream().map(key -> key.replace(root + "incoming/", root + "processed/")).toList());
        }
    }

    @Test
    void aFileUploadedWithAPresignedUrlByAPlainHttpPutIsImportedAndABrokenOneIsFiledAsFailed() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String root = database.name() + "/";
        try (RunningDromedary dromedary = inbox("uploads", database, root).with("INBOX_RETRY_COUNT", 0)
                .with("DEFAULT_RETRY_INTERVAL_SECONDS", 7).start()) {
            JobsApi api = dromedary.api();
            JobsApi.Response link = api.send(api.request("/common/upload-url?filename=contacts.csv").GET());

            assertThat(link.status()).isEqualTo(200);
            String key = link.body().get("s3_key").asText();
            assertThat(key).startsWith(root + "incoming/").endsWith("/contacts.csv");
            String csv = ImportFixture.sample("contact", 25, 99);
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(link.body().get("upload_url").asText()))
                    .header("Content-Type", "text/csv").PUT(HttpRequest.BodyPublishers.ofString(csv)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as("PUT answered %s", put.body()).isEqualTo(200);

            await().atMost(LONG).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed' "
                    + "AND data->>'s3_key' = ? AND job_response->>'filed_to' IS NOT NULL", key) == 1);
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(25);
            assertThat(database.queryLong("SELECT retry_interval FROM jobs WHERE data->>'s3_key' = ?", key)).isEqualTo(7);
            // filed_to is written when the filing is claimed; the object moves just after
            await().atMost(LONG).until(() -> objects(root + "processed/").equals(List.of(key.replace("/incoming/", "/processed/"))));

            new ImportFixture(dromedary, database).upload(root + "incoming/empty.csv", "");
            await().atMost(LONG).until(() -> objects(root + "failed/").equals(List.of(root + "failed/empty.csv")));
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE status = 'failed' AND data->>'s3_key' = ?",
                    root + "incoming/empty.csv")).isEqualTo(1);

            assertThat(api.send(api.request("/common/upload-url?filename=../etc/passwd").GET()).body().get("error").asText())
                    .startsWith("ERR_INVALID_FILENAME");
            assertThat(api.send(api.request("/common/upload-url?filename=a.csv&service=planets").GET()).status())
                    .isEqualTo(400);
            assertThat(api.withKey("wrong").send(api.withKey("wrong").request("/common/upload-url?filename=a.csv").GET())
                    .status()).isEqualTo(401);
        }
    }

    @Test
    void aCsvListedAfterMoreThanAThousandObjectsTheImportCannotReadIsImportedAndTheOthersAreFiledWithAReason() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String root = database.name() + "/";
        try (S3Client s3 = RealServices.s3Client()) {
            // listed before the CSV: more than a page of keys that are not importable
            for (int i = 0; i < 1_005; i++) {
                String key = root + "incoming/a-" + String.format("%04d", i) + ".pdf";
                s3.putObject(put -> put.bucket(RealServices.BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
            }
        }
        try (RunningDromedary dromedary = inbox("paging", database, root).start()) {
            new ImportFixture(dromedary, database).upload(root + "incoming/z.csv", ImportFixture.sample("contact", 7, 3));

            await().atMost(LONG).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed' "
                    + "AND data->>'s3_key' = ?", root + "incoming/z.csv") == 1);
            await().atMost(LONG).until(() -> objects(root + "incoming/").isEmpty());

            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(7);
            assertThat(database.queryLong("SELECT count(*) FROM jobs")).as("no job for what is not importable").isEqualTo(1);
            List<String> failed = objects(root + "failed/");
            assertThat(failed).hasSize(2 * 1_005).contains(root + "failed/a-1004.pdf", root + "failed/a-1004.pdf.reason.txt");
            try (S3Client s3 = RealServices.s3Client()) {
                String reason = s3.getObjectAsBytes(get -> get.bucket(RealServices.BUCKET).key(root + "failed/a-0000.pdf.reason.txt"))
                        .asUtf8String();
                assertThat(reason).isEqualTo("s3://" + RealServices.BUCKET + "/" + root + "incoming/a-0000.pdf is not a file "
                        + "the import reads: its name does not end with .csv, .tsv, .txt, .xlsx, .jsonl, .ndjson (each perhaps followed by .gz)\n");
            }
        }
    }

    @Test
    void aFileInAMirrorFolderDeletesTheRowsOfItsDatasetThatItLacks() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String root = database.name() + "/";
        try (RunningDromedary dromedary = inbox("inbox-mirror", database, root).with("INBOX_MIRROR_FOLDERS", "contact/full/").start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            String all = ImportFixture.sample("contact", 20, 4040);
            imports.upload(root + "incoming/contact/day-1.csv", all);
            await().atMost(LONG).until(() -> database.queryLong("SELECT count(*) FROM contacts") == 20
                    && objects(root + "incoming/").isEmpty());

            String lacking = all.lines().limit(20).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
            imports.upload(root + "incoming/contact/full/day-2.csv", lacking);
            await().atMost(LONG).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE data->>'mode' = 'mirror' "
                    + "AND status = 'completed'") == 1);

            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(19);
            assertThat(imports.documents("contacts")).isEqualTo(19);
            assertThat(database.queryLong("SELECT (job_response->>'rows_deleted')::bigint FROM jobs WHERE data->>'mode' = 'mirror'"))
                    .isEqualTo(1);
        }
    }

    private static RunningDromedary.Builder inbox(String instance, RealServices.TestDatabase database, String root) {
        return RunningDromedary.named(instance, database)
                .with("INBOX_POLL_SECONDS", 1)
                .with("INBOX_PREFIX", root + "incoming/")
                .with("INBOX_PROCESSED_PREFIX", root + "processed/")
                .with("INBOX_FAILED_PREFIX", root + "failed/");
    }

    private static List<String> objects(String prefix) {
        try (S3Client s3 = RealServices.s3Client()) {
            return s3.listObjectsV2Paginator(list -> list.bucket(RealServices.BUCKET).prefix(prefix)).contents().stream()
                    .map(S3Object::key).toList();
        }
    }
}
