package dev.dromedary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.JobsApi.Response;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The jobs API of the guide, over HTTP, with the runners off so that every job stays as the API left it. */
@ExtendWith(RealServices.class)
class JobsApiIT {

    private static final String GUIDE_MISSING_JOB_TYPE = "ERR_MISSING_JOB_TYPE: the 'job_type' field is required; "
            + "specify a valid job type such as 'insert_csv_file' or 'export_csv_file'";
    private static final String GUIDE_MISSING_JOB_DATA = "ERR_MISSING_JOB_DATA: the 'job_data' field is required; "
            + "include the necessary payload for job execution";
    private static final String GUIDE_INVALID_RETRY_COUNT = "ERR_INVALID_RETRY_COUNT: 'retry_count' must be a "
            + "non-negative integer; use 0 for no retries or a positive number for retry attempts";

    private static RealServices.TestDatabase database;
    private static RunningDromedary dromedary;
    private static JobsApi api;

    @BeforeAll
    static void startDromedaryWithoutRunners() throws Exception {
        database = RealServices.freshDatabase();
        dromedary = RunningDromedary.named("api-only", database)
                .with("FIRST_TIME_RUNNER_ENABLED", false)
                .with("RETRY_RUNNER_ENABLED", false)
                .with("API_MAX_BODY_BYTES", 4096)
                .start();
        api = dromedary.api();
    }

    @AfterAll
    static void stop() {
        dromedary.close();
    }

    @Test
    void theInstanceSaysItsIdAndWhatItRuns() {
        JobsApi.Response instance = api.send(api.request("/common/instance").GET());

        assertThat(instance.status()).isEqualTo(200);
        assertThat(instance.body().get("instance_id").asText()).isEqualTo("api-only");
        assertThat(instance.body().get("first_time_runner").asBoolean()).isFalse();
        assertThat(instance.body().get("retry_runner").asBoolean()).isFalse();
        assertThat(instance.body().get("inbox_prefix").asText()).isEqualTo(database.name() + "/incoming/");
        assertThat(instance.body().get("schedules")).isEmpty();
        assertThat(api.withKey("wrong").send(api.withKey("wrong").request("/common/instance").GET()).status()).isEqualTo(401);
    }

    @Test
    void theOpenApiDocumentIsServedToAKeyHolderOnly() {
        JobsApi.Response document = api.send(api.request("/common/openapi.json").GET());

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.headers().firstValue("Content-Type")).get().asString().contains("json");
        assertThat(document.body().get("openapi").asText()).startsWith("3.");
        assertThat(document.body().get("paths").has("/common/jobs/create")).isTrue();
        assertThat(document.body().get("servers").get(0).get("url").asText()).as("relative: where the document was read")
                .isEmpty();
        JsonNode proxied = api.send(api.request("/common/openapi.json").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "jobs.example.com").GET()).body();
        assertThat(proxied.get("servers").get(0).get("url").asText()).isEqualTo("https://jobs.example.com");
        JobsApi.Response refused = api.withKey("wrong").send(api.withKey("wrong").request("/common/openapi.json").GET());
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error()).startsWith("ERR_UNAUTHORIZED");
    }

    @Test
    void aCreatedJobIsListedAndShownAsTheGuideDescribesIt() throws Exception {
        Response created = api.create("""
                {"job_type": "test_succeed", "job_data": {"name": "Ada"}, "retry_count": 3}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("message").asText()).isEqualTo("Job created successfully");
        assertThat(created.body().get("success").asBoolean()).isTrue();
        String uuid = created.body().get("uuid").asText();

        Response listed = api.list("""
                {"job_type": "test_succeed", "status": ["open"], "limit": 100}""");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("success").asBoolean()).isTrue();
        JsonNode job = find(listed.body().get("data"), uuid);
        assertThat(job.get("id").asLong()).isPositive();
        assertThat(job.get("job_type").asText()).isEqualTo("test_succeed");
        assertThat(job.get("data").get("name").asText()).isEqualTo("Ada");
        assertThat(job.get("status").asText()).isEqualTo("open");
        assertThat(job.get("job_response").isObject()).isTrue();
        assertThat(job.get("retry_count").asInt()).isEqualTo(3);
        assertThat(job.get("retry_interval").asInt()).isEqualTo(30);
        assertThat(job.get("run_after").isNull()).isTrue();
        assertThat(job.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(job.get("updated_at").asText()).isNotEmpty();

        assertThat(api.job(uuid)).isEqualTo(job);
        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE uuid = ?::uuid AND status = 'open'", uuid))
                .isEqualTo(1);
    }

    @Test
    void eachErrorOfTheGuideIsAnsweredWithItsExactMessage() {
        assertRefused(api.create("{\"job_data\": {}}"), 400, GUIDE_MISSING_JOB_TYPE);
        assertRefused(api.create("{\"job_type\": \"\", \"job_data\": {}}"), 400, GUIDE_MISSING_JOB_TYPE);
        assertRefused(api.create("{\"job_type\": \"test_succeed\"}"), 400, GUIDE_MISSING_JOB_DATA);
        assertRefused(api.create("{\"job_type\": \"test_succeed\", \"job_data\": null}"), 400, GUIDE_MISSING_JOB_DATA);
        for (String retryCount : List.of("-1", "\"3\"", "1.5", "true", "99999999999")) {
            assertRefused(api.create("{\"job_type\": \"test_succeed\", \"job_data\": {}, \"retry_count\": "
                    + retryCount + "}"), 400, GUIDE_INVALID_RETRY_COUNT);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"job_type\": \"insert_tsv_file\", \"job_data\": {}}  | ERR_UNKNOWN_JOB_TYPE: 'insert_tsv_file' is not a job type; the job types are aggregate_dataset, dataset_statistics, export_csv_file, ingest_database, ingest_http_api, insert_csv_file, noop,",
            "{\"job_type\": \"test_succeed\", \"job_data\": {}       | ERR_MALFORMED_JSON: the request body is not valid JSON",
            "{\"job_type\": 7, \"job_data\": {}}                     | ERR_INVALID_JOB_TYPE: 'job_type' must be a string",
            "{\"job_type\": \"test_succeed\", \"job_data\": \"x\"}   | ERR_INVALID_JOB_DATA: 'job_data' must be a JSON object",
            "{\"job_type\": \"test_succeed\", \"job_data\": {}, \"retry_interval\": -5} | ERR_INVALID_RETRY_INTERVAL",
            "{\"job_type\": \"test_succeed\", \"job_data\": {}, \"retries\": 3} | ERR_UNKNOWN_FIELD: 'retries' is not a field of this request",
            "[{\"job_type\": \"test_succeed\"}]                      | ERR_INVALID_BODY: the request body must be a JSON object",
            "{\"job_type\": \"a\", \"job_type\": \"b\", \"job_data\": {}} | ERR_MALFORMED_JSON: the request body is not valid JSON: Duplicate field 'job_type'"})
    void aMalformedCreateRequestGets400WithAReason(String body, String error) {
        Response response = api.create(body);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("success").asBoolean()).isFalse();
        assertThat(response.error()).startsWith(error.strip());
    }

    @Test
    void aSecondCreateWithTheSameIdempotencyKeyReturnsTheFirstJob() throws Exception {
        String body = "{\"job_type\": \"test_succeed\", \"job_data\": {\"n\": 1}, \"idempotency_key\": \"nightly-2026-11-22\"}";

        Response first = api.create(body);
        Response second = api.create(body.replace("\"n\": 1", "\"n\": 2"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().get("uuid").asText()).isEqualTo(first.body().get("uuid").asText());
        assertThat(second.body().get("message").asText())
                .isEqualTo("A job with this idempotency_key exists already; it was not created again");
        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE idempotency_key = 'nightly-2026-11-22'")).isEqualTo(1);
        assertThat(api.job(first.body().get("uuid").asText()).get("data").get("n").asInt()).isEqualTo(1);
        assertThat(api.create("{\"job_type\": \"test_succeed\", \"job_data\": {}, \"idempotency_key\": 7}").error())
                .startsWith("ERR_INVALID_IDEMPOTENCY_KEY");
    }

    @Test
    void anOversizedBodyGets413WithTheLimit() {
        String body = "{\"job_type\": \"test_succeed\", \"job_data\": {\"padding\": \"" + "x".repeat(5000) + "\"}}";
        Response response = api.create(body);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.error()).isEqualTo("ERR_BODY_TOO_LARGE: the request body is larger than the limit of 4096 bytes");
    }

    @Test
    void aFormBodyGets400AskingForJson() {
        Response response = api.send(api.request("/common/jobs/create")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("job_type=test_succeed")));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith("ERR_INVALID_CONTENT_TYPE");
    }

    @Test
    void everyEndpointNeedsAValidApiKey() {
        String uuid = api.createJob("test_succeed", "{}");
        JobsApi withoutKey = api.withKey(null);
        JobsApi withWrongKey = api.withKey("not-the-key");

        for (JobsApi client : List.of(withoutKey, withWrongKey)) {
            assertThat(client.create("{\"job_type\": \"test_succeed\", \"job_data\": {}}").status()).isEqualTo(401);
            assertThat(client.list("{}").status()).isEqualTo(401);
            assertThat(client.get(uuid).status()).isEqualTo(401);
            assertThat(client.cancel(uuid).status()).isEqualTo(401);
            assertThat(client.retry(uuid).status()).isEqualTo(401);
        }
        assertRefused(withoutKey.list("{}"), 401, "ERR_UNAUTHORIZED: the 'X-API-Key' request header is required (a key in "
                + "the query string or a form field does not count)");
        assertRefused(withWrongKey.list("{}"), 401, "ERR_UNAUTHORIZED: the API key is not valid");
        assertThat(api.status(uuid)).isEqualTo("open");
        assertThat(api.withKey(RunningDromedary.SECOND_API_KEY).list("{}").status()).isEqualTo(200);
    }

    @Test
    void theApiKeyIsNeverSentBack() {
        Response response = api.list("{}");
        assertThat(response.headers().map().keySet()).allSatisfy(name ->
                assertThat(name).doesNotContainIgnoringCase("api-key"));
        assertThat(response.headers().map().values().toString()).doesNotContain(RunningDromedary.API_KEY);
    }

    @Test
    void listingShowsTheNewestFirstWithADefaultAndAMaximumLimit() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            created.add(api.createJob("noop", "{\"n\": " + i + "}"));
        }
        List<String> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);

        List<String> newest = uuids(api.list("{}").body().get("data"));
        assertThat(newest).containsExactlyElementsOf(newestFirst.subList(0, 25));

        // 101 of the type: the limit of 100 leaves out the oldest one
        List<String> ofType = uuids(api.list("{\"job_type\": \"noop\", \"limit\": 100}").body().get("data"));
        assertThat(ofType).containsExactlyElementsOf(newestFirst.subList(0, 100));

        assertThat(api.list("{\"job_type\": \"noop\", \"limit\": 100, \"status\": [\"completed\"]}")
                .body().get("data")).isEmpty();
        assertRefused(api.list("{\"limit\": 101}"), 400, "ERR_INVALID_LIMIT: 'limit' must be an integer from 1 to 100");
        assertRefused(api.list("{\"limit\": 0}"), 400, "ERR_INVALID_LIMIT: 'limit' must be an integer from 1 to 100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"status\": \"open\"}", "{\"status\": [\"opened\"]}", "{\"status\": [1]}"})
    void listingRefusesAStatusThatIsNotAnArrayOfStates(String body) {
        Response response = api.list(body);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith("ERR_INVALID_STATUS");
    }

    @Test
    void listingFiltersByStatus() {
        String open = api.createJob("test_succeed", "{}");
        String cancelled = api.createJob("test_succeed", "{}");
        assertThat(api.cancel(cancelled).status()).isEqualTo(200);

        List<String> cancelledJobs = uuids(api.list("{\"status\": [\"cancelled\"], \"limit\": 100}").body().get("data"));
        assertThat(cancelledJobs).contains(cancelled).doesNotContain(open);
        List<String> either = uuids(api.list("{\"status\": [\"open\", \"cancelled\"], \"limit\": 100}").body().get("data"));
        assertThat(either).contains(open, cancelled);
    }

    @Test
    void listingFiltersByS3Key() {
        String one = api.createJob("insert_csv_file", "{\"s3_key\": \"listing/one.csv\"}");
        String other = api.createJob("insert_csv_file", "{\"s3_key\": \"listing/other.csv\"}");
        String oneAgain = api.createJob("insert_csv_file", "{\"s3_key\": \"listing/one.csv\", \"force\": true}");

        assertThat(uuids(api.list("{\"s3_key\": \"listing/one.csv\"}").body().get("data"))).containsExactly(oneAgain, one);
        assertThat(uuids(api.list("{\"s3_key\": \"listing/other.csv\", \"limit\": 1}").body().get("data"))).containsExactly(other);
        assertThat(api.list("{\"s3_key\": \"listing/none.csv\"}").body().get("data")).isEmpty();
        String invalid = "ERR_INVALID_S3_KEY: 's3_key' must be a string of 1 to 1024 characters without a NUL, as S3 keys are";
        assertRefused(api.list("{\"s3_key\": 7}"), 400, invalid);
        assertRefused(api.list("{\"s3_key\": \"listing/\\u0000.csv\"}"), 400, invalid);
        assertRefused(api.list("{\"s3_key\": \"\"}"), 400, invalid);
        assertRefused(api.list("{\"s3_key\": \"" + "k".repeat(1025) + "\"}"), 400, invalid);
    }

    @Test
    void anUnknownOrMalformedUuidIsSaidSo() {
        assertRefused(api.get("00000000-0000-0000-0000-000000000000"), 404,
                "ERR_JOB_NOT_FOUND: no job has the uuid 00000000-0000-0000-0000-000000000000");
        assertRefused(api.get("42"), 400, "ERR_INVALID_UUID: '42' is not a job uuid");
        assertThat(api.cancel("00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        assertThat(api.retry("00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    }

    @Test
    void aJobCanBeCancelledUntilItHasFinished() {
        String uuid = api.createJob("test_succeed", "{}");

        Response cancelled = api.cancel(uuid);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("data").get("status").asText()).isEqualTo("cancelled");
        assertThat(api.status(uuid)).isEqualTo("cancelled");

        Response again = api.cancel(uuid);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("ERR_JOB_NOT_CANCELLABLE: job " + uuid + " is cancelled; a finished job "
                + "cannot be cancelled");
    }

    @Test
    void onlyAFailedJobCanBeRetried() {
        String uuid = api.createJob("test_succeed", "{}");
        assertRefused(api.retry(uuid), 409, "ERR_JOB_NOT_RETRYABLE: job " + uuid + " is open; only a failed job "
                + "can be retried");
    }

    private static void assertRefused(Response response, int status, String error) {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.error()).isEqualTo(error);
        assertThat(response.body().get("success").asBoolean()).isFalse();
    }

    private static JsonNode find(JsonNode jobs, String uuid) {
        return StreamSupport.stream(jobs.spliterator(), false)
                .filter(job -> job.get("uuid").asText().equals(uuid))
                .findFirst()
                .orElseThrow(() -> new AssertionError("job " + uuid + " is not in " + jobs));
    }

    private static List<String> uuids(JsonNode jobs) {
        return StreamSupport.stream(jobs.spliterator(), false).map(job -> job.get("uuid").asText()).toList();
    }
}
