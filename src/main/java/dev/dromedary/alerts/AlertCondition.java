package dev.dromedary.alerts;

import java.time.Duration;

/**
 * What an alert rule watches for ({@code when:} of ALERTS_FILE), with what it is about (its subject) and whether it
 * is a state that holds until it clears (a failed job, a backlog, a missed schedule: firing, then resolved) or an
 * event that is noticed once (a watch that changed, a job that ended with too many dead letters).
 */
public record AlertCondition(Kind kind, String jobType, String queue, String dataset, Long over, boolean hourly,
                             String schedule, Duration threshold, Long openOver, String watch, String service) {

    public enum Kind {
        JOB_FAILED, DEAD_LETTERS, SCHEDULE_MISSED, QUEUE_BACKLOG, JOB_TOO_LONG, WATCH_CHANGED, SERVICE_DOWN;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether each time it holds is an event, noticed once and never resolved. */
    public boolean isEvent() {
        return kind == Kind.WATCH_CHANGED || kind == Kind.DEAD_LETTERS && !hourly;
    }
}
