package dev.dromedary.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LiveRunsTest {

    private static final Duration NO_LEASE = Duration.ZERO;

    @Test
    void aRunThatRecordedProgressStaysAliveWhileItWaitsOnWorkInItsOwnThreadAndKeepsRecordingProgress() {
        LiveRuns runs = new LiveRuns();
        Job job = running(UUID.randomUUID());
        String run = job.uuid() + "/" + job.attempts();
        runs.started(job);
        assertThat(runs.alive(NO_LEASE)).as("a run that never recorded progress").containsExactly(run);

        runs.progressed(job.uuid(), job.attempts());
        assertThat(runs.alive(NO_LEASE)).as("its progress older than the lease").isEmpty();

        runs.waiting(job.uuid());
        assertThat(runs.alive(NO_LEASE)).as("while it runs a partition in its own thread").containsExactly(run);
        assertThat(runs.hasProgressed(job.uuid(), job.attempts())).as("a timeout still stops it at its next checkpoint").isTrue();

        runs.resumed(job.uuid());
        assertThat(runs.alive(Duration.ofMinutes(1))).as("as having progressed as it resumed").containsExactly(run);
        assertThat(runs.alive(NO_LEASE)).isEmpty();
    }

    private static Job running(UUID uuid) {
        return new Job(1, uuid, "insert_csv_file", null, JobStatus.PROCESSING, null, 0, 30, null, 1, null, "me", null,
                new Job.Progress(0, 0, 0, 0, null), null, null, null, null, null, 0, "default", null, List.of(), 0, null);
    }
}
