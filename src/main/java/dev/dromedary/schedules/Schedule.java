package dev.dromedary.schedules;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A job made on a schedule: recurring ({@code cron}, Quartz syntax with seconds, in {@code timeZone}), or
 * one-off ({@code onceKey}: made once, ever, for that key, by the first instance to start).
 */
public record Schedule(String name, String cron, String timeZone, String onceKey, String jobType, ObjectNode jobData,
                       int retryCount, int retryInterval) {

    public boolean isOneOff() {
        return onceKey != null;
    }

    /** The idempotency key of the job this schedule makes for a fire time (ISO 8601, UTC), or the one-off's. */
    public String idempotencyKey(String fireTime) {
        return isOneOff() ? "once:" + name + ":" + onceKey : "schedule:" + name + ":" + fireTime;
    }
}
