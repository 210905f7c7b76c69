package dev.dromedary.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.DromedaryProcess;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ingest_http_api against a real HTTP server started here: 2,500 records paged by page number, offset, cursor and
 * Link header, a 429 with Retry-After in the middle, a rate limit of 5 requests a second held, secrets from the
 * settings, addresses outside HTTP_SOURCES_ALLOWED refused; and a job killed midway resumed at the page after its
 * checkpoint, each record once in PostgreSQL and Elasticsearch; a mirror of all pages deletes what none held, once.
 */
@ExtendWith(RealServices.class)
class IngestHttpApiIT {

    private static final Duration LONG = Duration.ofMinutes(4);
    private static final String COLUMNS = "\"column_map\": {\"id\": \"uuid\", \"name.first\": \"first_name\", "
            + "\"name.last\": \"last_name\", \"company.employees\": \"employees_count\"}";

    @Test
    void fourKindsOfPagingLandEveryRecordOnceAtTheRateAskedAndAfterA429() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (PagedApi server = new PagedApi();
             RunningDromedary dromedary = RunningDromedary.named("ingest-api", database)
                     .with("HTTP_SOURCES_ALLOWED", server.base()).with("SECRET_CRM_TOKEN", PagedApi.TOKEN).start()) {
            JobsApi api = dromedary.api();
            assertThat(api.create(job("http://169.254.169.254/latest/meta-data/", "{\"type\": \"page\"}", 5)).error())
                    .startsWith("ERR_SOURCE_NOT_ALLOWED").contains("HTTP_SOURCES_ALLOWED");
            assertThat(api.create(job(server.base() + "../admin", "{\"type\": \"page\"}", 5)).error()).startsWith("ERR_SOURCE_NOT_ALLOWED");
            assertThat(api.create(job(server.base() + "page?x={{DATABASE_PASSWORD}}", "{\"type\": \"page\"}", 5)).error())
                    .startsWith("ERR_INVALID_JOB_DATA");
            assertThat(api.create(job(server.base() + "page", "{\"type\": \"page\"}", 5)
                    .replace("{{secret:CRM_TOKEN}}", "{{DATABASE_PASSWORD}}")).error()).startsWith("ERR_INVALID_JOB_DATA")
                    .contains("no other setting");
            assertThat(database.queryLong("SELECT count(*) FROM jobs")).as("nothing written by a refused request").isZero();

            server.throttleOnce.add("page:10");
            server.failOnce.add("offset:1200");
            String byPage = create(api, job(server.base() + "page", "{\"type\": \"page\", \"page_size\": 100}", 5));
            String byOffset = create(api, job(server.base() + "offset", "{\"type\": \"offset\", \"page_size\": 100}", 50));
            String byCursor = create(api, job(server.base() + "cursor", "{\"type\": \"cursor\", \"cursor_path\": \"/meta/next\", "
                    + "\"page_size\": 100}", 50));
            String byLink = create(api, job(server.base() + "link", "{\"type\": \"link\"}", 50));
            String missing = create(api, job(server.base() + "nope", "{\"type\": \"page\"}", 50));
            String moved = create(api, job(server.base() + "moved", "{\"type\": \"page\"}", 50));

            ImportFixture fixture = new ImportFixture(dromedary, database);
            for (Map.Entry<String, String> job : Map.of("page", byPage, "offset", byOffset, "cursor", byCursor, "link", byLink).entrySet()) {
                JsonNode ended = fixture.awaitSettled(job.getValue());
                assertThat(ended.get("status").asText()).as("%s: %s", job.getKey(), ended).isEqualTo("completed");
                assertThat(ended.at("/job_response/rows_read").asLong()).isEqualTo(PagedApi.RECORDS);
                assertThat(ended.at("/job_response/rows_imported").asLong()).isEqualTo(PagedApi.RECORDS);
                assertThat(database.queryStrings("SELECT uuid::text FROM contacts WHERE email LIKE ? ORDER BY employees_count",
                        job.getKey() + "-%")).as(job.getKey()).containsExactlyElementsOf(PagedApi.keys(job.getKey()));
            }
            assertThat(database.queryLong("SELECT count(*) FROM contacts WHERE first_name = 'First ' || employees_count "
                    + "AND last_name = 'Last ' || employees_count")).isEqualTo(4L * PagedApi.RECORDS);
            await().atMost(Duration.ofMinutes(1)).until(() -> fixture.searchableDocuments("contacts") == 4L * PagedApi.RECORDS);

            JsonNode failed = fixture.awaitSettled(missing);
            assertThat(failed.get("status").asText()).isEqualTo("failed");
            assertThat(failed.toString()).contains("ERR_SOURCE_ANSWERED_404").contains("no such path");

            JsonNode redirected = fixture.awaitSettled(moved);
            assertThat(redirected.get("status").asText()).isEqualTo("failed");
            assertThat(redirected.toString()).contains("ERR_SOURCE_NOT_ALLOWED").contains("redirects to http://169.254.169.254/");
            assertThat(server.requests).noneMatch(request -> request.path().contains("meta-data"));

            List<PagedApi.Request> offsets = server.requestsTo("offset").stream()
                    .filter(request -> request.query().get("offset").equals("1200")).toList();
            assertThat(offsets).as("a 500 is sent again with backoff").extracting(PagedApi.Request::status).containsExactly(500, 200);

            List<PagedApi.Request> pages = server.requestsTo("page");
            assertThat(pages).as("26 pages (the last one empty) and page 10 twice").hasSize(27);
            // requests leave 200 ms apart; on a busy machine one may arrive late and the next on time
            for (int i = 0; i + 5 < pages.size(); i++) {
                assertThat(pages.get(i + 5).at() - pages.get(i).at()).as("about 5 requests a second, never a burst")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(800).toNanos());
            }
            assertThat(pages.get(pages.size() - 1).at() - pages.get(0).at()).as("27 requests at 5 a second, and a 1 s wait")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(26 * 200 - 100).toNanos());
            List<PagedApi.Request> tenth = pages.stream().filter(request -> request.query().get("page").equals("10")).toList();
            assertThat(tenth).extracting(PagedApi.Request::status).containsExactly(429, 200);
            assertThat(tenth.get(1).at() - tenth.get(0).at()).as("Retry-After: 1 waited out")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
            assertThat(server.requestsTo("cursor").get(0).query()).doesNotContainKey("cursor");
            assertThat(server.requestsTo("cursor").get(1).query()).containsEntry("cursor", "100");
            assertThat(server.requestsTo("link")).hasSize(25);

            // a mirror of a paged source deletes what its pages lacked once, after its last page
            String mirror = create(api, job(server.base() + "page", "{\"type\": \"page\", \"page_size\": 100}", 50)
                    .replace("\"service\": \"contact\",", "\"service\": \"contact\", \"mode\": \"mirror\", \"mirror_max_delete\": \"100%\","));
            JsonNode mirrored = fixture.awaitSettled(mirror);
            assertThat(mirrored.get("status").asText()).as("%s", mirrored).isEqualTo("completed");
            assertThat(mirrored.at("/job_response/rows_deleted").asLong()).as("the other paths' rows, each once")
                    .isEqualTo(3L * PagedApi.RECORDS);
            assertThat(mirrored.at("/job_response/rows_unchanged").asLong()).isEqualTo(PagedApi.RECORDS);
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(PagedApi.RECORDS);
        }
    }

    @Test
    void aJobKilledMidwayGoesOnAtThePageAfterItsCheckpoint() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (PagedApi server = new PagedApi()) {
            server.delayMillis = 100;
            Map<String, String> settings = Map.of("HTTP_SOURCES_ALLOWED", server.base(), "SECRET_CRM_TOKEN", PagedApi.TOKEN);
            int port = RunningDromedary.freePort();
            String uuid;
            int checkpointPage;
            try (DromedaryProcess first = DromedaryProcess.start(Files.createTempFile(Path.of("target"), "ingest-api-", ".log"),
                    DromedaryProcess.on(database, "ingest-api-first", port, settings), List.of()).awaitStarted()) {
                JobsApi api = first.api(port, RunningDromedary.API_KEY);
                uuid = create(api, job(server.base() + "page", "{\"type\": \"page\", \"page_size\": 100}", 2));
                await().atMost(LONG).until(() -> api.job(uuid).at("/progress/checkpoint/resume_at/pages").asInt() >= 6);
                first.kill();
            }
            checkpointPage = (int) database.queryLong("SELECT (checkpoint->'resume_at'->>'page')::int FROM jobs WHERE uuid = ?::uuid", uuid);
            long checkpointRows = database.queryLong("SELECT (checkpoint->>'rows_read')::bigint FROM jobs WHERE uuid = ?::uuid", uuid);
            assertThat(checkpointRows).isEqualTo((checkpointPage - 1) * 100L);
            int requestsBefore = server.requestsTo("page").size();

            database.update("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes' WHERE uuid = ?::uuid", uuid);
            try (DromedaryProcess next = DromedaryProcess.start(Files.createTempFile(Path.of("target"), "ingest-api-next-", ".log"),
                    DromedaryProcess.on(database, "ingest-api-next", port, settings), List.of()).awaitStarted()) {
                JobsApi api = next.api(port, RunningDromedary.API_KEY);
                // failed with a run_after is the lease's hand-back, waiting for the retry runner
                await().atMost(LONG).until(() -> api.status(uuid).equals("completed")
                        || api.status(uuid).equals("failed") && api.job(uuid).get("run_after").isNull());
                JsonNode job = api.job(uuid);
                assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
                assertThat(job.at("/job_response/resumed_at_row").asLong()).isEqualTo(checkpointRows + 1);
                assertThat(job.at("/job_response/rows_read").asLong()).as("each record read once across both attempts")
                        .isEqualTo(PagedApi.RECORDS);
            }
            Set<Integer> askedAfter = server.requestsTo("page").subList(requestsBefore, server.requestsTo("page").size()).stream()
                    .map(request -> Integer.parseInt(request.query().get("page"))).collect(Collectors.toSet());
            assertThat(askedAfter).as("from the page after the last one committed").contains(checkpointPage)
                    .allMatch(page -> page >= checkpointPage);
            assertThat(database.queryStrings("SELECT uuid::text FROM contacts ORDER BY employees_count"))
                    .containsExactlyElementsOf(PagedApi.keys("page"));
            ImportFixture fixture = new ImportFixture(null, database);
            await().atMost(Duration.ofMinutes(1)).until(() -> fixture.searchableDocuments("contacts") == PagedApi.RECORDS);
        }
    }

    private static String job(String url, String pagination, int rateLimit) {
        return "{\"job_type\": \"ingest_http_api\", \"job_data\": {\"url\": \"" + url + "\", \"service\": \"contact\", "
                + "\"headers\": {\"Authorization\": \"Bearer {{secret:CRM_TOKEN}}\"}, \"records\": \"/data\", "
                + "\"pagination\": " + pagination + ", \"rate_limit\": " + rateLimit + ", " + COLUMNS + "}}";
    }

    private static String create(JobsApi api, String body) {
        JobsApi.Response created = api.create(body);
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        return created.body().get("uuid").asText();
    }
}
