package dev.dromedary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void serveRunsEverythingAsConfigured() {
        assertThat(Launcher.overridesFor(List.of())).isEmpty();
        assertThat(Launcher.overridesFor(List.of("serve"))).isEmpty();
    }

    @Test
    void eachRunnerModeTurnsTheOtherRunnerTheHttpServerTheInboxAndTheSchedulesOff() {
        assertThat(Launcher.overridesFor(List.of("jobs", "first_time")))
                .containsEntry("RETRY_RUNNER_ENABLED", "false")
                .containsEntry("camel.server.enabled", "false")
                .containsEntry("INBOX_ENABLED", "false")
                .containsEntry("SCHEDULES_ENABLED", "false")
                .doesNotContainKey("FIRST_TIME_RUNNER_ENABLED");
        assertThat(Launcher.overridesFor(List.of("jobs", "retry")))
                .containsEntry("FIRST_TIME_RUNNER_ENABLED", "false")
                .containsEntry("camel.server.enabled", "false")
                .containsEntry("INBOX_ENABLED", "false")
                .doesNotContainKey("RETRY_RUNNER_ENABLED");
    }

    @Test
    void aRunnerTakesItsQueuesMaxJobsAndIntervalFromItsOptionsAndRefusesAnythingElse() {
        assertThat(Launcher.overridesFor(List.of("jobs", "first_time", "--queue", "fast,bulk", "--max-jobs", "5", "--interval", "2.5")))
                .containsEntry("RUN_QUEUES", "fast,bulk")
                .containsEntry("MAX_JOBS", "5")
                .containsEntry("TICKER_INTERVAL_SECONDS", "2.5")
                .containsEntry("RETRY_RUNNER_ENABLED", "false");
        assertThat(Launcher.overridesFor(List.of("jobs", "retry", "--max-jobs", "1"))).containsEntry("MAX_JOBS", "1");
        for (List<String> refused : List.of(List.of("jobs", "retry", "--queue", "fast"), List.of("jobs", "first_time", "--max-jobs", "0"),
                List.of("jobs", "first_time", "--max-jobs", "many"), List.of("jobs", "first_time", "--interval", "0"),
                List.of("jobs", "first_time", "--queue", "Fast Lane"), List.of("jobs", "first_time", "--max-jobs"),
                List.of("jobs", "first_time", "--speed", "3"), List.of("jobs", "sometimes"))) {
            assertThat(Launcher.overridesFor(refused)).as(String.join(" ", refused)).isNull();
        }
    }

    @Test
    void anUnknownCommandPrintsTheUsageAndFails() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exitCode = new Launcher(new PrintStream(out)).run("jobs", "sometimes");
        assertThat(exitCode).isEqualTo(2);
        assertThat(out.toString()).contains("jobs first_time", "jobs retry");
    }

    @Test
    void devServesEverythingAndReloadsChangedRouteFiles() {
        assertThat(Launcher.overridesFor(List.of("dev")))
                .containsEntry("camel.main.routes-reload-enabled", "true")
                .containsEntry("camel.main.routes-reload-directory", "{{ROUTES_DIR}}")
                .doesNotContainKey("camel.server.enabled");
    }

    @Test
    void helpAfterACommandPrintsTheUsage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(new Launcher(new PrintStream(out)).run("jobs", "first_time", "--help")).isZero();
        assertThat(out.toString()).contains("dev ", "jobs first_time");
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(new Launcher(new PrintStream(out)).run("--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: ./dromedary");
    }

    @Test
    void sampleWritesTheSameRowsForTheSameSeedAndOthersForAnother() throws Exception {
        String seven = sample("contact", "--rows", "5", "--seed", "7");

        assertThat(sample("contact", "--rows", "5", "--seed", "7")).isEqualTo(seven);
        assertThat(sample("contact", "--rows", "5", "--seed", "8")).isNotEqualTo(seven);
        assertThat(seven.lines()).hasSize(6).first().asString().startsWith("uuid,");
        assertThat(sample("company", "--rows", "3").lines()).hasSize(4);
    }

    private static String sample(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] command = new String[args.length + 1];
        command[0] = "sample";
        System.arraycopy(args, 0, command, 1, args.length);
        assertThat(new Launcher(new PrintStream(new ByteArrayOutputStream()), out).run(command)).isZero();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void datasetInferRefusesWhatItCannotReadWithAReasonAndWritesNothing() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("infer-refusals");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("a.csv"), "id,name\n1,x\n");
        String[][] refused = {
                {"2", "--rows is a whole number from 1 to 1000000", "dataset", "infer", file.toString(), "--name", "a", "--rows", "many", "--dir", dir.toString()},
                {"2", "--rows is a whole number from 1 to 1000000", "dataset", "infer", file.toString(), "--name", "a", "--rows", "0", "--dir", dir.toString()},
                {"2", "--name is the dataset's name", "dataset", "infer", file.toString(), "--name", "../etc", "--dir", dir.toString()},
                {"2", "--encoding is auto, utf-8", "dataset", "infer", file.toString(), "--name", "a", "--encoding", "ebcdic", "--dir", dir.toString()},
                {"1", "there is no file " + dir.resolve("missing.csv"), "dataset", "infer", dir.resolve("missing.csv").toString(), "--name", "a", "--dir", dir.toString()},
                {"1", "is not s3://BUCKET/KEY", "dataset", "infer", "s3://bucket-only", "--name", "a", "--dir", dir.toString()}};
        for (String[] each : refused) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String[] args = java.util.Arrays.copyOfRange(each, 2, each.length);
            assertThat(new Launcher(new PrintStream(out)).run(args)).as(String.join(" ", args)).isEqualTo(Integer.parseInt(each[0]));
            assertThat(out.toString()).as(String.join(" ", args)).contains(each[1]);
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString()).toList()).containsExactly("a.csv");
        }
    }
}
