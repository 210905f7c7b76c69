package dev.dromedary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@code ./dromedary} process, as a user runs it; closing it sends SIGTERM and waits for a clean exit. */
public record DromedaryProcess(Process process, Path log) implements AutoCloseable {

    public static final Duration STARTUP = Duration.ofSeconds(180);

    /** Runs {@code ./dromedary} with {@code args}, configured by {@code env} alone. */
    public static DromedaryProcess start(Path log, Map<String, String> env, List<String> args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of("./dromedary")));
        builder.command().addAll(args);
        builder.directory(new File(System.getProperty("user.dir")));
        builder.environment().keySet().removeIf(name -> name.startsWith("DATABASE_") || name.startsWith("S3_")
                || name.startsWith("AWS_") || name.startsWith("ELASTICSEARCH_") || name.equals("API_KEYS"));
        builder.environment().putAll(env);
        builder.environment().putIfAbsent("MANAGEMENT_PORT", String.valueOf(RunningDromedary.freePort()));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        // a test run stopped by Ctrl-C leaves no instance behind
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new DromedaryProcess(process, log);
    }

    /** {@link RunningDromedary#onTestServices} for a process serving HTTP on {@code httpPort}, {@code settings} on top. */
    public static Map<String, String> on(RealServices.TestDatabase database, String instanceId, int httpPort,
                                         Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(RunningDromedary.onTestServices(instanceId, database));
        env.put("HTTP_PORT", String.valueOf(httpPort));
        env.putAll(settings);
        return env;
    }

    /** Waits until the routes have started; fails with the output if the process ends first. */
    public DromedaryProcess awaitStarted() {
        return awaitOutput("Routes startup");
    }

    /** Waits until the output holds {@code text}; fails with the output if the process ends first. */
    public DromedaryProcess awaitOutput(String text) {
        await().atMost(STARTUP).until(() -> output().contains(text) || !process.isAlive());
        assertThat(process.isAlive()).as("dromedary is running; its output:%n%s", output()).isTrue();
        return this;
    }

    public String awaitApiKey(Path dataDir) {
        awaitStarted();
        Path keyFile = dataDir.resolve("api-key");
        try {
            return Files.readString(keyFile).trim();
        } catch (IOException e) {
            throw new AssertionError("no API key in " + keyFile, e);
        }
    }

    public JobsApi api(int port, String key) {
        return RunningDromedary.apiAt("http://localhost:" + port, key);
    }

    /** SIGKILL: the process ends at once, as in a crash, without stopping anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM; true when the process has ended within {@code within}. */
    public boolean terminate(Duration within) throws InterruptedException {
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("dromedary stops within a minute of SIGTERM").isTrue();
        assertThat(output()).contains("shutdown");
    }
}
