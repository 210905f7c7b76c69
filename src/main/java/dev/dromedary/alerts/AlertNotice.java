package dev.dromedary.alerts;

import java.time.Instant;

/** A notice the outbox holds for one channel: an alert's firing, one of its repeats, or its resolution. */
public record AlertNotice(long id, String notice, int sequence, String channel, int attempts, String eventId, String rule,
                          String condition, String subject, String summary, String details, Instant startedAt,
                          Instant resolvedAt) {

    /** The notice's own id, the same on every attempt and every instance: a receiver can drop one it has seen. */
    public String noticeId() {
        return eventId + "/" + (notice.equals("repeat") ? "repeat-" + sequence : notice);
    }

    /** FIRING, REPEAT n or RESOLVED, for a subject line. */
    String label() {
        return switch (notice) {
            case "firing" -> "FIRING";
            case "repeat" -> "FIRING (reminder " + sequence + ")";
            default -> "RESOLVED";
        };
    }
}
