package dev.dromedary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./dromedary} run as a user runs it: a separate process, configured by environment variables. */
@ExtendWith(RealServices.class)
class DromedaryLauncherIT {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @Test
    void withoutADatabaseUrlItRunsOnEmbeddedPostgresWhoseDataSurvivesARestart(@TempDir Path dataDir) throws Exception {
        int httpPort = RunningDromedary.freePort();
        Map<String, String> env = Map.of(
                "DATA_DIR", dataDir.toString(),
                "HTTP_PORT", String.valueOf(httpPort),
                "EMBEDDED_PG_PORT", String.valueOf(RunningDromedary.freePort()),
                "TICKER_INTERVAL_SECONDS", "0.2");

        String uuid;
        String apiKey;
        try (Launched first = Launched.start(dataDir.resolve("first.log"), env, List.of())) {
            apiKey = first.awaitApiKey(dataDir);
            JobsApi api = first.api(httpPort, apiKey);
            uuid = api.createJob("noop", "{\"run\": \"first\"}");
            await().until(() -> api.status(uuid).equals("completed"));
            assertThat(first.output()).contains("Embedded PostgreSQL: jdbc:postgresql://localhost:"
                    + env.get("EMBEDDED_PG_PORT") + "/dromedary  user dromedary  password dromedary");
            assertThat(first.output()).contains("use this API key (kept in " + dataDir.resolve("api-key") + "): " + apiKey);
        }
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();

        try (Launched second = Launched.start(dataDir.resolve("second.log"), env, List.of())) {
            assertThat(second.awaitApiKey(dataDir)).isEqualTo(apiKey);
            JsonJob job = new JsonJob(second.api(httpPort, apiKey), uuid);
            assertThat(job.status()).isEqualTo("completed");
            assertThat(job.api().job(uuid).get("data").get("run").asText()).isEqualTo("first");
        }
    }

    @Test
    void withADatabaseUrlItUsesThatServer(@TempDir Path dataDir) throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        int httpPort = RunningDromedary.freePort();
        String libpqUrl = database.jdbcUrl().replace("jdbc:postgresql://", "postgres://dromedary:dromedary@");
        Map<String, String> env = Map.of(
                "DATABASE_URL", libpqUrl,
                "API_KEYS", "key-one, key-two",
                "DATA_DIR", dataDir.toString(),
                "HTTP_PORT", String.valueOf(httpPort),
                "TICKER_INTERVAL_SECONDS", "0.2");

        try (Launched launched = Launched.start(dataDir.resolve("run.log"), env, List.of("serve"))) {
            JobsApi api = launched.api(httpPort, "key-two");
            await().atMost(STARTUP).ignoreExceptions().until(() -> api.list("{}").status() == 200);
            String uuid = api.createJob("noop", "{}");

            await().until(() -> database.queryLong(
                    "SELECT count(*) FROM jobs WHERE uuid = ?::uuid AND status = 'completed'", uuid) == 1);
            assertThat(launched.output()).doesNotContain("Embedded PostgreSQL")
                    .as("secrets stay out of the log").doesNotContain("key-one").doesNotContain("dromedary:dromedary@");
        }
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void aFirstTimeRunnerProcessRunsJobsAndServesNoHttp(@TempDir Path dataDir) throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        int httpPort = RunningDromedary.freePort();
        Map<String, String> env = Map.of(
                "DATABASE_URL", database.jdbcUrl(),
                "DATABASE_USER", "dromedary",
                "DATABASE_PASSWORD", "dromedary",
                "API_KEYS", "unused",
                "DATA_DIR", dataDir.toString(),
                "HTTP_PORT", String.valueOf(httpPort),
                "TICKER_INTERVAL_SECONDS", "0.2");

        try (Launched runner = Launched.start(dataDir.resolve("runner.log"), env, List.of("jobs", "first_time"))) {
            await().atMost(STARTUP).ignoreExceptions().until(() ->
                    database.queryLong("SELECT count(*) FROM flyway_schema_history WHERE success") > 0);
            try (var connection = database.dataSource().getConnection();
                 var insert = connection.createStatement()) {
                insert.execute("INSERT INTO jobs (job_type, data) VALUES ('noop', '{}')");
            }

            await().atMost(STARTUP).until(() ->
                    database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") == 1);
            assertThat(isListening(httpPort)).isFalse();
            assertThat(runner.output()).contains("Started first-time-runner").doesNotContain("Started retry-runner");
        }
    }

    private static boolean isListening(int port) throws IOException {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    private record JsonJob(JobsApi api, String uuid) {
        String status() {
            return api.status(uuid);
        }
    }

    /** A {@code ./dromedary} process; closing it sends SIGTERM and waits for a clean exit. */
    private record Launched(Process process, Path log) implements AutoCloseable {

        static Launched start(Path log, Map<String, String> env, List<String> args) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(new java.util.ArrayList<>(List.of("./dromedary")));
            builder.command().addAll(args);
            builder.directory(new File(System.getProperty("user.dir")));
            builder.environment().keySet().removeIf(name -> name.startsWith("DATABASE_") || name.equals("API_KEYS"));
            builder.environment().putAll(env);
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            return new Launched(builder.start(), log);
        }

        String awaitApiKey(Path dataDir) {
            Path keyFile = dataDir.resolve("api-key");
            await().atMost(STARTUP).until(() -> output().contains("Routes startup") || !process.isAlive());
            assertThat(process.isAlive()).as("dromedary is running; its output:%n%s", output()).isTrue();
            try {
                return Files.readString(keyFile).trim();
            } catch (IOException e) {
                throw new AssertionError("no API key in " + keyFile, e);
            }
        }

        JobsApi api(int port, String key) {
            return RunningDromedary.apiAt("http://localhost:" + port, key);
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("dromedary stops within a minute of SIGTERM").isTrue();
            assertThat(output()).contains("shutdown");
        }
    }
}
