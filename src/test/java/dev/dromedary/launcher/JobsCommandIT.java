package dev.dromedary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.app.Settings;
import dev.dromedary.testing.Gate;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given a running Dromedary, when an orchestrator waits on jobs with {@code ./dromedary jobs wait} or creates and
 * waits with {@code jobs create --wait}, then the exit code says how they ended: 0 completed, 1 failed, 2 cancelled,
 * 3 timed out, 4 the API away, refusing the key or knowing no such job; and docs/orchestrators.md's shell script runs
 * as written.
 */
@ExtendWith(RealServices.class)
class JobsCommandIT {

    @Test
    void theExitCodeSaysHowTheJobsEnded() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Gate gate = new Gate();
        try (RunningDromedary dromedary = RunningDromedary.named("wait", database).bind("gate", gate).start()) {
            Settings settings = new Settings(dromedary.context().getPropertiesComponent());
            JobsApi api = dromedary.api();

            Output created = run(settings, "create", "--wait", "{\"job_type\": \"test_succeed\", \"job_data\": {}}");
            assertThat(created.exitCode()).as(created.text()).isZero();
            String uuid = created.text().lines().findFirst().orElseThrow();
            assertThat(api.status(uuid)).isEqualTo("completed");
            assertThat(created.text()).contains(uuid + " completed");

            String failing = api.createJob("test_fail", "{}");
            String succeeding = api.createJob("test_succeed", "{}");
            Output failed = run(settings, "wait", failing, succeeding, "--timeout", "2m");
            assertThat(failed.exitCode()).as(failed.text()).isEqualTo(JobsCommand.FAILED);
            assertThat(failed.text()).contains(failing + " failed").contains("1 of 2 jobs failed");

            String gated = api.createJob("test_gated", "{}");
            gate.awaitReached();
            Output timedOut = run(settings, "wait", gated, "--timeout", "700ms");
            assertThat(timedOut.exitCode()).as(timedOut.text()).isEqualTo(JobsCommand.TIMED_OUT);
            assertThat(timedOut.text()).contains(gated + " processing").contains("the timeout came before 1 of 1 jobs ended");
            assertThat(api.cancel(gated).status()).isEqualTo(200);
            gate.open();
            Output cancelled = run(settings, "wait", gated);
            assertThat(cancelled.exitCode()).as(cancelled.text()).isEqualTo(JobsCommand.CANCELLED);

            Output unknown = run(settings, "wait", "00000000-0000-4000-8000-000000000000");
            assertThat(unknown.exitCode()).isEqualTo(JobsCommand.UNREACHABLE);
            assertThat(unknown.text()).contains("no job has the uuid");
            Output wrongKey = runAt(dromedary.baseUrl(), "not-a-key", "wait", uuid);
            assertThat(wrongKey.exitCode()).isEqualTo(JobsCommand.UNREACHABLE);
            assertThat(wrongKey.text()).contains("refused the key");
            Output away = runAt("http://127.0.0.1:" + RunningDromedary.freePort(), "key", "wait", uuid);
            assertThat(away.exitCode()).isEqualTo(JobsCommand.UNREACHABLE);
            assertThat(away.text()).contains("no Dromedary answers");
            Output refusedJob = run(settings, "create", "{\"job_type\": \"no_such_type\", \"job_data\": {}}");
            assertThat(refusedJob.exitCode()).isEqualTo(JobsCommand.UNREACHABLE);
            assertThat(refusedJob.text()).contains("ERR_UNKNOWN_JOB_TYPE");
            assertThat(run(settings, "wait", "not-a-uuid").exitCode()).isEqualTo(2);
        }
    }

    @Test
    void theOrchestratorsPagesShellScriptRunsAsWritten() throws Exception {
        String page = Files.readString(Path.of("docs/orchestrators.md"));
        String afterMarker = page.substring(page.indexOf("<!-- jobs-wait-example -->"));
        int start = afterMarker.indexOf("```bash\n") + "```bash\n".length();
        String script = afterMarker.substring(start, afterMarker.indexOf("\n```", start) + 1);
        Path file = Files.createTempFile(Path.of("target"), "import-then-export-", ".sh");
        Files.writeString(file, script);

        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("orchestrated", database).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("nightly/contacts.csv", ImportFixture.sample("contact", 300, 8));

            Output done = script(file, dromedary, "nightly/contacts.csv");
            assertThat(done.exitCode()).as(done.text()).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(300);
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE job_type = 'export_csv_file' AND status = 'completed'"))
                    .isEqualTo(1);

            Output missing = script(file, dromedary, "nightly/no-such-object.csv");
            assertThat(missing.exitCode()).as(missing.text()).isEqualTo(JobsCommand.FAILED);
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE job_type = 'export_csv_file'"))
                    .as("the script stopped at the import that failed").isEqualTo(1);
        }
    }

    private record Output(int exitCode, String text) {
    }

    private static Output run(Settings settings, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exitCode = new JobsCommand(both, both, settings,
                new ByteArrayInputStream(new byte[0]), false).run(List.of(args));
        return new Output(exitCode, out.toString(StandardCharsets.UTF_8));
    }

    private static Output script(Path file, RunningDromedary dromedary, String key) throws Exception {
        ProcessBuilder bash = new ProcessBuilder("bash", file.toString(), key).redirectErrorStream(true);
        bash.environment().put("DROMEDARY_URL", dromedary.baseUrl());
        bash.environment().put("API_KEYS", RunningDromedary.API_KEY);
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Output(process.exitValue(), output);
    }

    /** The command pointed at {@code url} with {@code key}, as the environment would point it. */
    private static Output runAt(String url, String key, String... args) throws Exception {
        Properties given = new Properties();
        given.put("DROMEDARY_URL", url);
        given.put("API_KEYS", key);
        given.put("HTTP_PORT", "8080");
        given.put("DATA_DIR", "target");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(given);
            context.start();
            return run(new Settings(context.getPropertiesComponent()), args);
        }
    }
}
