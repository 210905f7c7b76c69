package dev.dromedary.alerts;

import java.util.List;

/**
 * Where an alert's notices go, as the operator configured it in ALERTS_FILE: a {@code slack} incoming webhook, a
 * {@code webhook} (the signed JSON of job events) or {@code email} through SMTP_HOST. Its URL is a secret: it is
 * never logged and never in an answer.
 */
public record AlertChannel(String name, Type type, String url, List<String> to, String from) {

    public enum Type { SLACK, WEBHOOK, EMAIL }

    /** What the channel is, for answers and logs: its name and type, never its URL. */
    public String describe() {
        return name + " (" + type.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
