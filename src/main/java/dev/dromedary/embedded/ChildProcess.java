package dev.dromedary.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server run as a child process, its output in a log file and its pid in a pid file, so that a server
 * left running by a run that was killed is stopped by the next run rather than holding ports and files. Only
 * a process that holds the data directory's {@link DataDirLock} starts one, so the pid file's server is never
 * one that a live process still runs.
 */
final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;
    private final Path log;
    private final Path pidFile;

    private ChildProcess(String name, Process process, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    /** Starts {@code command} with its output in {@code directory/<name>.log}, after stopping an orphan of a killed run. */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path directory)
            throws IOException {
        Files.createDirectories(directory);
        Path pidFile = directory.resolve(name + ".pid");
        stopOrphan(name, pidFile);
        Path log = directory.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        Files.writeString(pidFile, Long.toString(process.pid()));
        return new ChildProcess(name, process, log, pidFile);
    }

    /** Waits until {@code ready} holds, failing with the end of the log when the process dies or time runs out. */
    void awaitReady(BooleanSupplier ready, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + " while starting; " + tail());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + name, e);
            }
        }
        close();
        throw new IOException(name + " did not start within " + timeout.toSeconds() + " s; " + tail());
    }

    @Override
    public void close() {
        stop(process.toHandle(), name);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            LOG.debug("could not delete {}", pidFile, e);
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "the end of " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "see " + log;
        }
    }

    private static void stopOrphan(String name, Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).trim();
        Optional<ProcessHandle> orphan = pid.matches("\\d+") ? ProcessHandle.of(Long.parseLong(pid)) : Optional.empty();
        if (orphan.isPresent() && orphan.get().info().commandLine().map(c -> c.contains(name)).orElse(false)) {
            LOG.warn("Stopping {} (pid {}) left running by an earlier run that was killed", name, pid);
            stop(orphan.get(), name);
        }
        Files.deleteIfExists(pidFile);
    }

    /** SIGTERM to the process and its descendants, then SIGKILL to what is still alive after 30 s. */
    private static void stop(ProcessHandle process, String name) {
        List<ProcessHandle> family = new java.util.ArrayList<>(process.descendants().toList());
        family.add(0, process);
        family.forEach(ProcessHandle::destroy);
        for (ProcessHandle member : family) {
            try {
                member.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("{} (pid {}) did not stop within 30 s of SIGTERM; killing it", name, member.pid());
                member.destroyForcibly();
            }
        }
    }
}
