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
}
