package dev.dromedary.jobs;

import java.time.Duration;

/** When a failed job runs again: {@code retry_interval × 2^(attempt−1)}, capped, while it has retries left. */
public final class RetryBackoff {

    private final Duration cap;

    public RetryBackoff(Duration cap) {
        this.cap = cap;
    }

    /** Seconds until the next attempt of a job whose latest attempt failed, or null when its retries are spent. */
    public Long delaySeconds(Job failed) {
        int retriesUsed = failed.attempts() - 1;
        if (retriesUsed >= failed.retryCount()) {
            return null;
        }
        int doublings = Math.min(failed.attempts() - 1, 30);
        long delay = (long) failed.retryInterval() << doublings;
        return Math.min(delay, cap.toSeconds());
    }
}
