package dev.dromedary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.testing.DromedaryProcess;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code ./dromedary} run as a user runs it: a separate process, configured by environment variables. */
@Order(1)
@ExtendWith(RealServices.class)
class DromedaryLauncherIT {

    private static final Duration STARTUP = DromedaryProcess.STARTUP;

    @Test
    void withNothingConfiguredItRunsOnEmbeddedServicesWhoseDataSurvivesARestart() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "launcher-data-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int httpPort = RunningDromedary.freePort();
        int s3Port = RunningDromedary.freePort();
        Map<String, String> env = Map.of(
                "DATA_DIR", dataDir.toString(),
                "HTTP_PORT", String.valueOf(httpPort),
                "EMBEDDED_PG_PORT", String.valueOf(RunningDromedary.freePort()),
                "EMBEDDED_S3_PORT", String.valueOf(s3Port),
                "EMBEDDED_ES_PORT", String.valueOf(RunningDromedary.freePort()),
                "TICKER_INTERVAL_SECONDS", "0.2");
        String csv = "uuid,first_name\n" + java.util.UUID.randomUUID() + ",Ada\n";

        String uuid;
        String apiKey;
        try (DromedaryProcess first = DromedaryProcess.start(dataDir.resolve("first.log"), env, List.of())) {
            apiKey = first.awaitApiKey(dataDir);
            assertThat(first.output()).contains("Embedded PostgreSQL: jdbc:postgresql://localhost:"
                    + env.get("EMBEDDED_PG_PORT") + "/dromedary  user dromedary  password dromedary");
            assertThat(first.output()).contains("Embedded S3: http://127.0.0.1:" + s3Port
                    + "  bucket dromedary  access key dromedary  secret key dromedary-secret");
            assertThat(first.output()).contains("Embedded Elasticsearch: http://127.0.0.1:" + env.get("EMBEDDED_ES_PORT"));
            assertThat(first.output()).contains("API_KEYS is not set; made up this API key, kept in " + dataDir.resolve("api-key")
                    + ": " + apiKey);
            assertThat(java.nio.file.Files.getPosixFilePermissions(dataDir.resolve("api-key")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            try (S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + s3Port))
                    .forcePathStyle(true).region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("dromedary", "dromedary-secret"))).build()) {
                s3.putObject(put -> put.bucket("dromedary").key("uploads/one.csv"), RequestBody.fromString(csv));
            }
            JobsApi api = first.api(httpPort, apiKey);
            uuid = api.createJob("insert_csv_file", "{\"s3_key\": \"uploads/one.csv\"}");
            await().until(() -> api.status(uuid).equals("completed"));

            // a second process on the same data directory, on ports of its own, is refused before it starts anything
            Map<String, String> sameDataDir = new java.util.HashMap<>(env);
            sameDataDir.put("HTTP_PORT", String.valueOf(RunningDromedary.freePort()));
            sameDataDir.put("MANAGEMENT_PORT", String.valueOf(RunningDromedary.freePort()));
            sameDataDir.put("EMBEDDED_PG_PORT", String.valueOf(RunningDromedary.freePort()));
            sameDataDir.put("EMBEDDED_S3_PORT", String.valueOf(RunningDromedary.freePort()));
            sameDataDir.put("EMBEDDED_ES_PORT", String.valueOf(RunningDromedary.freePort()));
            try (DromedaryProcess intruder = DromedaryProcess.start(dataDir.resolve("intruder.log"), sameDataDir, List.of())) {
                assertThat(intruder.process().waitFor(STARTUP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(intruder.process().exitValue()).isEqualTo(1);
                assertThat(intruder.output()).contains("dromedary could not start: " + dataDir + " is in use by another "
                        + "Dromedary (pid " + first.process().pid() + ", started ");
            }
            assertThat(api.status(uuid)).as("the first instance and its servers still run").isEqualTo("completed");
        }
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
        assertThat(dataDir.resolve("s3/buckets/dromedary/uploads/one.csv")).hasContent(csv.strip());

        try (DromedaryProcess second = DromedaryProcess.start(dataDir.resolve("second.log"), env, List.of())) {
            assertThat(second.awaitApiKey(dataDir)).isEqualTo(apiKey);
            await().until(() -> second.output().contains("using the API key kept in " + dataDir.resolve("api-key")));
            assertThat(second.output()).as("the key is printed once, when it is made").doesNotContain(apiKey);
            JobsApi api = second.api(httpPort, apiKey);
            assertThat(api.status(uuid)).isEqualTo("completed");
            String again = api.createJob("insert_csv_file", "{\"s3_key\": \"uploads/one.csv\", \"force\": true}");
            await().until(() -> api.status(again).equals("completed"));
            java.net.http.HttpResponse<String> count = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("EMBEDDED_ES_PORT")
                            + "/contacts/_count")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(count.body()).contains("\"count\":1,");
        }
    }

    @Test
    void withADatabaseUrlItUsesThatServer(@TempDir Path dataDir) throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        int httpPort = RunningDromedary.freePort();
        String libpqUrl = database.jdbcUrl().replace("jdbc:postgresql://", "postgres://dromedary:dromedary@");
        Map<String, String> env = withRealS3AndElasticsearch(Map.of(
                "DATABASE_URL", libpqUrl,
                "API_KEYS", "key-one, key-two",
                "DATA_DIR", dataDir.toString(),
                "HTTP_PORT", String.valueOf(httpPort),
                "TICKER_INTERVAL_SECONDS", "0.2"));

        try (DromedaryProcess launched = DromedaryProcess.start(dataDir.resolve("run.log"), env, List.of("serve"))) {
            JobsApi api = launched.api(httpPort, "key-two");
            await().atMost(STARTUP).ignoreExceptions().until(() -> api.list("{}").status() == 200);
            String uuid = api.createJob("noop", "{}");

            await().until(() -> database.queryLong(
                    "SELECT count(*) FROM jobs WHERE uuid = ?::uuid AND status = 'completed'", uuid) == 1);
            ProcessBuilder dlq = new ProcessBuilder("./dromedary", "dlq", "stats").redirectErrorStream(true);
            dlq.environment().put("HTTP_PORT", String.valueOf(httpPort));
            dlq.environment().put("API_KEYS", "key-one");
            Process stats = dlq.start();
            String printed = new String(stats.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(stats.waitFor()).as(printed).isZero();
            assertThat(printed).contains("\"total\" : 0", "\"waiting\" : 0");
            assertThat(launched.output()).doesNotContain("Embedded PostgreSQL")
                    .as("secrets stay out of the log").doesNotContain("key-one").doesNotContain("dromedary:dromedary@");
        }
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void runnerProcessesRunTheirOwnJobsWithTheRoutesOfTheirRoutesDirAndServeNoHttp(@TempDir Path dataDir) throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        int httpPort = RunningDromedary.freePort();
        // the packaged application runs the route files of ROUTES_DIR, outside the jar: here an edited copy
        Path routes = Files.createDirectories(dataDir.resolve("routes"));
        try (var shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.toList()) {
                Files.writeString(routes.resolve(file.getFileName()), Files.readString(file)
                        .replace("Nothing to do: a noop job completes at once", "Nothing to do, said the copy"));
            }
        }
        Map<String, String> env = withRealS3AndElasticsearch(Map.of(
                "DATABASE_URL", database.jdbcUrl(),
                "DATABASE_USER", "dromedary",
                "DATABASE_PASSWORD", "dromedary",
                "API_KEYS", "unused",
                "DATA_DIR", dataDir.toString(),
                "HTTP_PORT", String.valueOf(httpPort),
                "ROUTES_DIR", routes.toString(),
                "TICKER_INTERVAL_SECONDS", "0.2"));

        try (DromedaryProcess firstTime = DromedaryProcess.start(dataDir.resolve("first-time.log"), env,
                List.of("jobs", "first_time"));
             DromedaryProcess retry = DromedaryProcess.start(dataDir.resolve("retry.log"), env, List.of("jobs", "retry"))) {
            await().atMost(STARTUP).ignoreExceptions().until(() ->
                    database.queryLong("SELECT count(*) FROM flyway_schema_history WHERE success") > 0);
            firstTime.awaitStarted();
            retry.awaitStarted();
            database.update("INSERT INTO jobs (job_type, data) VALUES ('noop', '{\"run\": \"first\"}')");
            database.update("INSERT INTO jobs (job_type, data, status, attempts, retry_count, run_after) "
                    + "VALUES ('noop', '{\"run\": \"again\"}', 'failed', 1, 1, now())");

            await().atMost(STARTUP).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed' "
                    + "AND job_response->>'messages' = 'Nothing to do, said the copy'") == 2);
            assertThat(runsBy(database, "first", "processing", firstTime)).as("the open job, run by the first-time runner")
                    .isEqualTo(1);
            assertThat(runsBy(database, "again", "retrying", retry)).as("the failed job, run again by the retry runner")
                    .isEqualTo(1);
            assertThat(isListening(httpPort)).isFalse();
            assertThat(firstTime.output()).contains("Started first-time-runner").doesNotContain("Started retry-runner")
                    .as("the inbox is left to the instances that serve the API").doesNotContain("Started s3-inbox");
            assertThat(retry.output()).contains("Started retry-runner").doesNotContain("Started first-time-runner")
                    .doesNotContain("Started s3-inbox");
        }
    }

    /** How often the job of {@code job_data.run} went to {@code status} on the instance of {@code process} (host-pid). */
    private static long runsBy(RealServices.TestDatabase database, String run, String status, DromedaryProcess process)
            throws Exception {
        return database.queryLong("SELECT count(*) FROM job_transitions t JOIN jobs j ON j.uuid = t.job_uuid "
                + "WHERE j.data->>'run' = ? AND t.to_status = ? AND t.instance LIKE '%-' || ?", run, status,
                process.process().pid());
    }

    /** The settings plus the test run's S3 server and Elasticsearch, so that no embedded ones start. */
    private static Map<String, String> withRealS3AndElasticsearch(Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("S3_ENDPOINT", RealServices.s3Endpoint());
        env.put("AWS_ACCESS_KEY_ID", RealServices.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", RealServices.SECRET_KEY);
        env.put("ELASTICSEARCH_URL", RealServices.elasticsearchUrl());
        env.put("ELASTICSEARCH_INDEX_PREFIX", "launcher_" + settings.get("HTTP_PORT") + "_");
        return env;
    }

    private static boolean isListening(int port) throws IOException {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
