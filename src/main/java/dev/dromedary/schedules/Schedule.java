package dev.dromedary.schedules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.jobs.JobControls;

/**
 * A job made on a schedule: recurring ({@code cron}, Quartz syntax with seconds, in {@code timeZone}; an
 * {@code every:} interval becomes the cron expression that fires on its slots), or one-off ({@code onceKey}:
 * made once, ever, for that key, by the first instance to start); {@code controls} are the job's priority,
 * queue and timeout; {@code maxRunning} how many of its jobs may be unfinished when a fire time makes another.
 */
public record Schedule(String name, String cron, String timeZone, String onceKey, String jobType, ObjectNode jobData,
                       int retryCount, int retryInterval, JobControls controls, int maxRunning) {

    /** How many of a schedule's jobs may be unfinished at once by default: a fire time finding one makes none. */
    public static final int DEFAULT_MAX_RUNNING = 1;

    public boolean isOneOff() {
        return onceKey != null;
    }

    /**
     * The time between this recurring schedule's fire times after {@code at} (the first two; a cron whose gaps vary,
     * as "weekdays at 2", has the gap that comes next).
     */
    public java.time.Duration period(java.time.Instant at) {
        try {
            org.quartz.CronExpression expression = new org.quartz.CronExpression(cron);
            expression.setTimeZone(java.util.TimeZone.getTimeZone(java.time.ZoneId.of(timeZone)));
            java.util.Date first = expression.getNextValidTimeAfter(java.util.Date.from(at));
            java.util.Date second = first == null ? null : expression.getNextValidTimeAfter(first);
            return second == null ? java.time.Duration.ofDays(366) : java.time.Duration.between(first.toInstant(), second.toInstant());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("schedule " + name + ": " + e.getMessage(), e);
        }
    }

    /** What the idempotency keys of the jobs of this recurring schedule begin with. */
    public String keyPrefix() {
        return "schedule:" + name + ":";
    }

    /** The idempotency key of the job this schedule makes for a fire time (ISO 8601, UTC), or the one-off's. */
    public String idempotencyKey(String fireTime) {
        return isOneOff() ? "once:" + name + ":" + onceKey : "schedule:" + name + ":" + fireTime;
    }
}
