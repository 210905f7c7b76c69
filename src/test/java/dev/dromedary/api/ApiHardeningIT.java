package dev.dromedary.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.JobsApi.Response;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API as a careless or hostile client meets it: a key anywhere but its header, bodies too large to be
 * read, JSON too deep or numbers too long, NUL characters, Dromedary's own idempotency keys, other
 * buckets, unbounded limits and answers, the health details and the dashboard's headers. Each refusal is a
 * 4xx with its ERR_ code, and writes nothing.
 */
@ExtendWith(RealServices.class)
class ApiHardeningIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int LIMIT = 65_536;

    private static RealServices.TestDatabase database;
    private static RunningDromedary dromedary;
    private static JobsApi api;

    @BeforeAll
    static void start() throws Exception {
        database = RealServices.freshDatabase();
        dromedary = RunningDromedary.named("hardening", database)
                .with("FIRST_TIME_RUNNER_ENABLED", false)
                .with("RETRY_RUNNER_ENABLED", false)
                .with("INBOX_ENABLED", false)
                .with("API_MAX_BODY_BYTES", LIMIT)
                .start();
        api = dromedary.api();
    }

    @AfterAll
    static void stop() {
        dromedary.close();
    }

    @Test
    void aKeyInTheQueryStringOrAFormFieldIsNoKey() throws Exception {
        String uuid = api.createJob("test_succeed", "{}");
        long before = jobs();
        JobsApi anonymous = api.withKey(null);

        Response inQuery = anonymous.send(anonymous.request("/common/jobs/" + uuid + "?X-API-Key=" + RunningDromedary.API_KEY).GET());
        Response inForm = anonymous.send(anonymous.request("/common/jobs/create")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("X-API-Key=" + RunningDromedary.API_KEY
                        + "&job_type=test_succeed&job_data=%7B%7D")));
        Response lowerCaseQuery = anonymous.send(anonymous.request("/common/jobs?x-api-key=" + RunningDromedary.API_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));

        for (Response refused : new Response[] {inQuery, inForm, lowerCaseQuery}) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.error()).isEqualTo(ApiKeys.MISSING).contains("'X-API-Key' request header");
        }
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void aLargeBodyIsRefusedByItsLengthBeforeItIsSentAndTheKeyIsCheckedFirst() throws Exception {
        String withoutKey = exchange("POST /common/jobs/create HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10485760\r\n\r\n", null);
        String withKey = exchange("POST /common/jobs/create HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "X-API-Key: " + RunningDromedary.API_KEY + "\r\nContent-Length: 10485760\r\n\r\n", null);

        long before = jobs();
        assertThat(withoutKey).startsWith("HTTP/1.1 401").contains("ERR_UNAUTHORIZED");
        assertThat(withKey).startsWith("HTTP/1.1 413")
                .contains("\"error\":\"ERR_BODY_TOO_LARGE: the request body is larger than the limit of 65536 bytes\"");
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimitWithAJsonAnswer() throws Exception {
        long before = jobs();
        byte[] chunk = ("{\"x\": \"" + "y".repeat(16_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        String answer = exchange("POST /common/jobs/create HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "X-API-Key: " + RunningDromedary.API_KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n", out -> {
                    for (int i = 0; i < 64; i++) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                });

        assertThat(answer).startsWith("HTTP/1.1 413").contains("ERR_BODY_TOO_LARGE");
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void anUnknownPathIsA404AndAWrongMethodA405WithTheApisErrorBody() throws Exception {
        Response unknown = api.send(api.request("/common/jobz").GET());
        Response outsideTheApi = api.send(api.request("/nothing-here").GET());
        Response wrongMethod = api.send(api.request("/common/jobs/create").PUT(HttpRequest.BodyPublishers.ofString("{}")));
        long before = jobs();
        Response deleteAList = api.send(api.request("/common/jobs").DELETE());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("ERR_NOT_FOUND: no resource at GET /common/jobz; the API is under /common/");
        assertThat(outsideTheApi.status()).isEqualTo(404);
        assertThat(outsideTheApi.error()).startsWith("ERR_NOT_FOUND");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.error()).isEqualTo("ERR_METHOD_NOT_ALLOWED: /common/jobs/create does not take PUT");
        assertThat(deleteAList.status()).isEqualTo(405);
        assertThat(deleteAList.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void jsonTooDeepANumberTooLongAndAHugeRetryCountAre400sThatWriteNothing() {
        String deep = "[".repeat(65) + "]".repeat(65);
        Response tooDeep = api.create("{\"job_type\": \"test_succeed\", \"job_data\": {\"a\": " + deep + "}}");
        Response tooLong = api.create("{\"job_type\": \"test_succeed\", \"job_data\": {\"n\": " + "9".repeat(101) + "}}");
        Response hugeRetries = api.create("{\"job_type\": \"test_succeed\", \"job_data\": {}, \"retry_count\": 1" + "0".repeat(40) + "}");
        Response hugeLimit = api.post("/common/dead-letters/reprocess", "{\"limit\": 1" + "0".repeat(40) + "}");

        assertThat(tooDeep.status()).isEqualTo(400);
        assertThat(tooDeep.error()).startsWith("ERR_MALFORMED_JSON: the request body is beyond what the API reads: JSON "
                + "nested at most 64 deep, numbers of at most 100 digits");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).startsWith("ERR_MALFORMED_JSON");
        assertThat(hugeRetries.status()).isEqualTo(400);
        assertThat(hugeRetries.error()).startsWith("ERR_INVALID_RETRY_COUNT");
        assertThat(hugeLimit.status()).isEqualTo(400);
        assertThat(hugeLimit.error()).isEqualTo("ERR_INVALID_LIMIT: 'limit' must be an integer from 1 to 10000");
        assertThat(api.post("/common/dead-letters/reprocess", "{\"limit\": 10001}").status()).isEqualTo(400);
        assertThat(api.post("/common/dead-letters/reprocess", "{\"limit\": 10000}").status()).isEqualTo(201);
    }

    @Test
    void aNulInJobDataOrAnIdempotencyKeyIsA400() throws Exception {
        long before = jobs();
        Response inData = api.create("{\"job_type\": \"test_succeed\", \"job_data\": {\"names\": [\"ok\", \"a\\u0000b\"]}}");
        Response inKey = api.create("{\"job_type\": \"test_succeed\", \"job_data\": {}, \"idempotency_key\": \"k\\u0000\"}");

        assertThat(inData.status()).isEqualTo(400);
        assertThat(inData.error()).startsWith("ERR_INVALID_JOB_DATA: job_data.names[1] holds a NUL character");
        assertThat(inKey.status()).isEqualTo(400);
        assertThat(inKey.error()).startsWith("ERR_INVALID_IDEMPOTENCY_KEY");
        assertThat(jobs()).isEqualTo(before);
    }

    @Test
    void dromedarysOwnIdempotencyKeysAreRefused() throws Exception {
        long before = jobs();
        for (String key : new String[] {"inbox:dromedary/incoming/a.csv@\"etag\"", "schedule:nightly:2026-12-01T00:00:00Z", "once:welcome:v1"}) {
            Response refused = api.create("{\"job_type\": \"test_succeed\", \"job_data\": {}, \"idempotency_key\": "
                    + JSON.writeValueAsString(key) + "}");
            assertThat(refused.status()).as(key).isEqualTo(400);
            assertThat(refused.error()).startsWith("ERR_RESERVED_IDEMPOTENCY_KEY");
        }
        assertThat(api.create("{\"job_type\": \"test_succeed\", \"job_data\": {}, \"idempotency_key\": \"my:inbox:1\"}").status())
                .isEqualTo(201);
        assertThat(jobs()).isEqualTo(before + 1);
    }

    @Test
    void aBucketOutsideS3AllowedBucketsIsRefusedAtCreate() throws Exception {
        long before = jobs();
        Response insert = api.create("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": \"a.csv\", \"s3_bucket\": \"secrets\"}}");
        Response export = api.create("{\"job_type\": \"export_csv_file\", \"job_data\": {\"s3_bucket\": \"secrets\", "
                + "\"vql\": {\"select_columns\": [\"uuid\"]}}}");

        Response notAName = api.create("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": \"a.csv\", \"s3_bucket\": 5}}");
        assertThat(notAName.status()).isEqualTo(400);
        assertThat(notAName.error()).startsWith("ERR_BUCKET_NOT_ALLOWED: s3_bucket '5'");
        for (Response refused : new Response[] {insert, export}) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("ERR_BUCKET_NOT_ALLOWED: s3_bucket 'secrets' is not one of the buckets "
                    + "jobs may use (S3_ALLOWED_BUCKETS: " + RealServices.BUCKET + ")");
        }
        assertThat(api.create("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": \"a.csv\", \"s3_bucket\": \""
                + RealServices.BUCKET + "\"}}").status()).isEqualTo(201);
        assertThat(jobs()).isEqualTo(before + 1);
    }

    @Test
    void aDeadLetterListingPreviewsPayloadsAndOneDeadLetterIsReadInFull() throws Exception {
        String job = UUID.randomUUID().toString();
        long id;
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO dead_letters (job_uuid, dataset, row_number, "
                     + "payload, error) VALUES (?::uuid, 'contact', 1, ?, 'too long') RETURNING id")) {
            insert.setString(1, job);
            insert.setString(2, "p".repeat(10_000));
            ResultSet result = insert.executeQuery();
            result.next();
            id = result.getLong(1);
        }

        JsonNode listed = api.send(api.request("/common/dead-letters?job_uuid=" + job).GET()).body().get("data").get(0);
        JsonNode full = api.send(api.request("/common/dead-letters?id=" + id + "&full=true").GET()).body().get("data").get(0);
        Response fullWithoutId = api.send(api.request("/common/dead-letters?full=true").GET());

        assertThat(listed.get("payload").asText()).hasSize(4096);
        assertThat(listed.get("payload_truncated").asBoolean()).isTrue();
        assertThat(listed.get("payload_length").asInt()).isEqualTo(10_000);
        assertThat(full.get("payload").asText()).hasSize(10_000);
        assertThat(full.get("payload_truncated").asBoolean()).isFalse();
        assertThat(fullWithoutId.status()).isEqualTo(400);
        assertThat(fullWithoutId.error()).startsWith("ERR_INVALID_FULL");
        Response notAnId = api.send(api.request("/common/dead-letters?id=seven&full=true").GET());
        assertThat(notAnId.status()).isEqualTo(400);
        assertThat(notAnId.error()).startsWith("ERR_INVALID_ID");
        Response notABoolean = api.send(api.request("/common/dead-letters?id=" + id + "&full=yes").GET());
        assertThat(notABoolean.status()).isEqualTo(400);
        assertThat(notABoolean.error()).startsWith("ERR_INVALID_FULL");
    }

    @Test
    void anUploadNameMustBeAnImportableFileNameAndNothingElse() {
        for (String name : new String[] {".", "..", "contacts.pdf", "contacts", "contacts.gz", "a\u0001b.csv", "../x.csv", "a/b.csv"}) {
            Response refused = api.send(api.request("/common/upload-url?filename=" + URLEncoder.encode(name, StandardCharsets.UTF_8)).GET());
            assertThat(refused.status()).as(name).isEqualTo(400);
            assertThat(refused.error()).as(name).startsWith("ERR_INVALID_FILENAME");
        }
        for (String name : new String[] {"contacts.csv", "people.tsv", "crm.xlsx", "events.jsonl.gz", "feed.ndjson", "export.txt"}) {
            assertThat(api.send(api.request("/common/upload-url?filename=" + name).GET()).status()).as(name).isEqualTo(200);
        }
    }

    @Test
    void orchestrationFieldsOutOfRangeOfTheWrongTypeOrTooManyAreRefusedAndWriteNothing() throws Exception {
        long before = database.queryLong("SELECT count(*) FROM jobs");
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("\"priority\": 1000001", "ERR_INVALID_PRIORITY: ");
        refusals.put("\"priority\": \"high\"", "ERR_INVALID_PRIORITY: ");
        refusals.put("\"priority\": 1.5", "ERR_INVALID_PRIORITY: ");
        refusals.put("\"timeout_seconds\": 0", "ERR_INVALID_TIMEOUT: ");
        refusals.put("\"timeout_seconds\": 2592001", "ERR_INVALID_TIMEOUT: ");
        refusals.put("\"queue\": 7", "ERR_UNKNOWN_QUEUE: ");
        refusals.put("\"queue\": \"default\\u0000\"", "ERR_UNKNOWN_QUEUE: ");
        refusals.put("\"depends_on\": \"not-a-list\"", "ERR_INVALID_DEPENDENCY: ");
        refusals.put("\"depends_on\": [\"load\"]", "ERR_INVALID_DEPENDENCY: depends_on holds 'load', which is not a job or batch uuid");
        refusals.put("\"depends_on\": [" + "\"00000000-0000-4000-8000-000000000001\",".repeat(1000) + "\"00000000-0000-4000-8000-000000000001\"]",
                "ERR_INVALID_DEPENDENCY: 'depends_on' must be an array of at most 1000");
        refusals.put("\"depends_on\": [12]", "ERR_INVALID_DEPENDENCY: ");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            Response refused = api.create("{\"job_type\": \"noop\", \"job_data\": {}, " + refusal.getKey() + "}");
            assertThat(refused.status()).as(refusal.getKey()).isEqualTo(400);
            assertThat(refused.error()).as(refusal.getKey()).startsWith(refusal.getValue());
        }
        Response tooMany = api.post("/common/jobs/batch", "{\"jobs\": [" + "{\"job_type\":\"noop\",\"job_data\":{}},".repeat(1000)
                + "{\"job_type\":\"noop\",\"job_data\":{}}]}");
        assertThat(tooMany.error()).startsWith("ERR_INVALID_BATCH: 'jobs' must be an array of 1 to 1000");
        Response oneBad = api.post("/common/jobs/batch", "{\"jobs\": [{\"job_type\":\"noop\",\"job_data\":{}},"
                + "{\"job_type\":\"noop\",\"job_data\":{},\"priority\":\"x\"}]}");
        assertThat(oneBad.error()).startsWith("ERR_INVALID_PRIORITY: jobs[1]: ");
        assertThat(api.post("/common/jobs/batch", "{\"jobs\": []}").error()).startsWith("ERR_INVALID_BATCH: ");
        assertThat(api.send(api.request("/common/jobs/events?after=-1").GET()).error()).startsWith("ERR_INVALID_AFTER: ");
        assertThat(api.send(api.request("/common/jobs/events?limit=1001").GET()).error()).startsWith("ERR_INVALID_LIMIT: ");
        assertThat(database.queryLong("SELECT count(*) FROM jobs")).isEqualTo(before);
    }

    @Test
    void anImportWhoseReadingOptionsCannotBeIsRefusedAtCreateAndWritesNothing() throws Exception {
        long before = database.queryLong("SELECT count(*) FROM jobs");
        for (String jobData : List.of("{\"s3_key\": \"a.csv\", \"delimiter\": \"::\"}", "{\"s3_key\": \"a.csv\", \"encoding\": \"ebcdic\"}",
                "{\"s3_key\": \"a.csv\", \"header\": false}", "{\"s3_key\": \"a.csv\", \"max_error_ratio\": 2}",
                "{\"s3_key\": \"a.csv\", \"dry_run\": \"yes\"}", "{\"s3_key\": \"a.csv\", \"format\": \"parquet\"}",
                "{\"s3_key\": \"a.csv\", \"skip_rows\": 99999}", "{\"s3_key\": \"a.csv\", \"max_errors\": -1}",
                "{\"s3_key\": \"a.csv\", \"column_map\": {\"Mail\": 5}}", "{\"s3_key\": \"a.csv\", \"quote\": 7}",
                "{\"s3_key\": \"a.csv\", \"null_values\": [" + "\"x\",".repeat(100) + "\"x\"]}",
                "{\"s3_key\": \"a.csv\", \"null_values\": [\"" + "n".repeat(201) + "\"]}",
                "{\"s3_key\": \"a.csv\", \"header\": false, \"columns\": [1, 2]}",
                "{\"s3_key\": \"a.csv\", \"partitions\": 0}", "{\"s3_key\": \"a.csv\", \"partitions\": 1001}",
                "{\"s3_key\": \"a.csv\", \"partitions\": \"4\"}", "{\"s3_key\": \"a.csv\", \"partitions\": 2.5}",
                "{\"s3_key\": \"a.csv\", \"partition\": {\"parent\": \"00000000-0000-4000-8000-000000000001\", \"index\": 0}}")) {
            Response refused = api.create("{\"job_type\": \"insert_csv_file\", \"job_data\": " + jobData + "}");
            assertThat(refused.status()).as(jobData).isEqualTo(400);
            assertThat(refused.error()).as(jobData).startsWith("ERR_INVALID_JOB_DATA: job_data.");
        }
        assertThat(database.queryLong("SELECT count(*) FROM jobs")).isEqualTo(before);
    }

    @Test
    void anonymousHealthSaysTheStatusOnlyAndItsDetailsNeedTheKey() throws Exception {
        HttpResponse<String> status = get(dromedary.managementUrl() + "/observe/health", null);
        HttpResponse<String> detailsWithoutKey = get(dromedary.managementUrl() + "/observe/health?exposureLevel=full", null);
        HttpResponse<String> details = get(dromedary.managementUrl() + "/observe/health?exposureLevel=full", RunningDromedary.API_KEY);

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(status.body()).get("status").asText()).isEqualTo("UP");
        assertThat(JSON.readTree(status.body()).has("checks")).as("checks shown to anyone: %s", status.body()).isFalse();
        assertThat(detailsWithoutKey.statusCode()).isEqualTo(401);
        assertThat(details.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(details.body()).get("checks")).isNotEmpty();
        assertThat(get(dromedary.managementUrl() + "/observe/metrics", null).statusCode()).as("metrics stay open").isEqualTo(200);
    }

    @Test
    void theManagementPortListensOnTheLoopbackOnlyByDefault() throws Exception {
        int port = URI.create(dromedary.managementUrl()).getPort();
        try (java.net.Socket loopback = new java.net.Socket("127.0.0.1", port)) {
            assertThat(loopback.isConnected()).isTrue();
        }
        java.util.Optional<java.net.InetAddress> outside = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().flatMap(face -> java.util.Collections.list(face.getInetAddresses()).stream())
                .filter(address -> address instanceof java.net.Inet4Address && !address.isLoopbackAddress()).findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(outside.isPresent(), "this machine has no address but the loopback");
        try (java.net.Socket socket = new java.net.Socket()) {
            assertThatThrownBy(() -> socket.connect(new java.net.InetSocketAddress(outside.get(), port), 2000))
                    .as("health and metrics on %s", outside.get()).isInstanceOf(java.net.ConnectException.class);
        }
    }

    @Test
    void theDashboardForbidsFramingSniffingAndForeignScripts() throws Exception {
        HttpResponse<String> page = get(dromedary.baseUrl() + "/dashboard/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void aJobDataFieldItsJobTypeDoesNotReadIsRefusedNamingTheNearestAndWritesNothing() throws Exception {
        JobsApi api = dromedary.api();
        long before = jobs();
        JobsApi.Response typo = api.create("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": \"a.csv\", "
                + "\"servise\": \"company\"}}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.error()).startsWith("ERR_UNKNOWN_FIELD: job_data.servise is not a field of insert_csv_file; did you mean service?");
        assertThat(api.create("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": \"a.csv\", "
                + "\"validation\": {\"email\": {\"required\": true}}}}").error()).contains("did you mean validate?");
        assertThat(api.create("{\"job_type\": \"export_csv_file\", \"job_data\": {\"service\": \"contact\", "
                + "\"select_columns\": [\"email\"], \"vql\": {}}}").error()).startsWith("ERR_UNKNOWN_FIELD: job_data.select_columns");
        assertThat(api.create("{\"job_type\": \"dataset_statistics\", \"job_data\": {\"servce\": \"contact\"}}").error())
                .contains("did you mean service?");
        JobsApi.Response batch = api.post("/common/jobs/batch", "{\"jobs\": [{\"job_type\": \"noop\", \"job_data\": {}}, "
                + "{\"job_type\": \"ingest_http_api\", \"job_data\": {\"url\": \"http://x/\", \"rate_limt\": 5}}]}");
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.error()).startsWith("ERR_UNKNOWN_FIELD: jobs[1]: job_data.rate_limt").contains("did you mean rate_limit?");
        assertThat(jobs()).as("nothing written").isEqualTo(before);
        assertThat(api.create("{\"job_type\": \"noop\", \"job_data\": {\"note\": \"a no-op takes any field\"}}").status())
                .isEqualTo(201);
    }

    @Test
    void everyAnswerForbidsSniffingItsContentType() throws Exception {
        String uuid = dromedary.api().createJob("noop", "{}");
        for (String url : List.of(dromedary.baseUrl() + "/common/jobs/" + uuid, dromedary.baseUrl() + "/common/openapi.json",
                dromedary.baseUrl() + "/common/nothing-here", dromedary.baseUrl() + "/nothing-here",
                dromedary.managementUrl() + "/observe/health", dromedary.managementUrl() + "/observe/metrics")) {
            for (String key : new String[] {RunningDromedary.API_KEY, null}) {
                HttpResponse<String> answer = get(url, key);
                assertThat(answer.headers().firstValue("X-Content-Type-Options")).as("%s (%s) with key %s", url,
                        answer.statusCode(), key != null).contains("nosniff");
            }
        }
    }

    private static long jobs() throws Exception {
        return database.queryLong("SELECT count(*) FROM jobs");
    }

    private static HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Sends a request's head (and body, if any) over a plain socket and answers what the server says, within 10 s. */
    private static String exchange(String head, Body body) throws IOException {
        URI base = URI.create(dromedary.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (body != null) {
                try {
                    body.write(out);
                    out.flush();
                } catch (IOException e) {
                    // the server stopped reading at the limit and closed its side: its answer is still there
                }
            }
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            int read;
            try {
                while ((read = in.read(buffer)) > 0) {
                    answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                    if (answer.indexOf("\r\n\r\n") > 0 && answer.toString().contains("}")) {
                        break;
                    }
                }
            } catch (IOException e) {
                // connection reset after the answer
            }
            return answer.toString();
        }
    }
}
