package dev.dromedary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The systemd units in deploy/systemd/ pass systemd-analyze verify (where systemd is installed), restart on failure,
 * stop by SIGTERM, and wait longer than the hand-back takes before they kill.
 */
class SystemdUnitsTest {

    private static final List<Path> UNITS = List.of(Path.of("deploy/systemd/dromedary.service"),
            Path.of("deploy/systemd/dromedary-runner.service"));

    @Test
    void theUnitsStopBySigtermAfterTheHandBackAndRestartOnFailure() throws IOException {
        int grace = Integer.parseInt(setting("SHUTDOWN_GRACE_SECONDS"));
        for (Path unit : UNITS) {
            String text = Files.readString(unit);
            assertThat(text).as(unit.toString()).contains("Restart=on-failure", "KillSignal=SIGTERM",
                    "EnvironmentFile=-/etc/dromedary/dromedary.env", "User=dromedary", "NoNewPrivileges=true", "ProtectSystem=strict",
                    "ExecStart=/usr/bin/java -XX:+ExitOnOutOfMemoryError ");
            Matcher timeout = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)$").matcher(text);
            assertThat(timeout.find()).isTrue();
            assertThat(Integer.parseInt(timeout.group(1))).as("%s waits out the hand-back", unit).isGreaterThan(grace + 30);
        }
    }

    @Test
    void systemdAnalyzeFindsNothingToSay() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd is not installed here");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/java")), "the units run /usr/bin/java, which is not here");
        ProcessBuilder verify = new ProcessBuilder("systemd-analyze", "verify", UNITS.get(0).toString(), UNITS.get(1).toString())
                .redirectErrorStream(true);
        Process process = verify.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(said).isZero();
        assertThat(said.lines().filter(line -> line.contains("dromedary")).toList()).as("what systemd-analyze says of the units")
                .isEmpty();
    }

    private static String setting(String name) throws IOException {
        return Files.readAllLines(Path.of("application.properties")).stream().map(String::strip)
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "="))
                .map(line -> line.substring(line.indexOf('=') + 1).strip()).findFirst().orElseThrow();
    }
}
