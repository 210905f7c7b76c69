package dev.dromedary.schedules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.jobs.JobControls;

/**
 * A job made on a schedule: recurring ({@code cron}, Quartz syntax with seconds, in {@code timeZone}; an
 * {@code every:} interval becomes the cron expression that fires on its slots), or one-off ({@code onceKey}:
 * made once, ever, for that key, by the first instance to start); {@code controls} are the job's priority,
 * queue and timeout.
 */
public record Schedule(String name, String cron, String timeZone, String onceKey, String jobType, ObjectNode jobData,
                       int retryCount, int retryInterval, JobControls controls) {

    public boolean isOneOff() {
        return onceKey != null;
    }

    /** The idempotency key of the job this schedule makes for a fire time (ISO 8601, UTC), or the one-off's. */
    public String idempotencyKey(String fireTime) {
        return isOneOff() ? "once:" + name + ":" + onceKey : "schedule:" + name + ":" + fireTime;
    }
}
