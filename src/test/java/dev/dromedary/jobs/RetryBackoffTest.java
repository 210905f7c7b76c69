package dev.dromedary.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private final RetryBackoff backoff = new RetryBackoff(Duration.ofMinutes(10));

    @Test
    void theWaitDoublesWithEachAttemptUpToTheCap() {
        assertThat(backoff.delaySeconds(failedJob(1, 5, 30))).isEqualTo(30);
        assertThat(backoff.delaySeconds(failedJob(2, 5, 30))).isEqualTo(60);
        assertThat(backoff.delaySeconds(failedJob(3, 5, 30))).isEqualTo(120);
        assertThat(backoff.delaySeconds(failedJob(5, 5, 30))).isEqualTo(480);
        assertThat(backoff.delaySeconds(failedJob(6, 9, 30))).isEqualTo(600);
    }

    @Test
    void aJobWhoseRetriesAreSpentIsNotRetried() {
        assertThat(backoff.delaySeconds(failedJob(1, 0, 30))).isNull();
        assertThat(backoff.delaySeconds(failedJob(4, 3, 30))).isNull();
        assertThat(backoff.delaySeconds(failedJob(3, 3, 30))).isEqualTo(120);
    }

    private static Job failedJob(int attempts, int retryCount, int retryInterval) {
        return new Job(1, java.util.UUID.randomUUID(), "noop", null, JobStatus.PROCESSING, null, retryCount,
                retryInterval, null, attempts, null, "me", null, new Job.Progress(0, 0, 0, 0, null), null,
                null, null, null, null, 0, "default", null, java.util.List.of(), 0, null);
    }
}
