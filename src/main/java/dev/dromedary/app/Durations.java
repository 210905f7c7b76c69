package dev.dromedary.app;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in commands and files: 90s, 30m, 2h, 1d, 500ms, or a number of seconds. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m|h|d)?");

    private Durations() {
    }

    /** {@code text} as a duration longer than zero; null for anything else. */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        Duration duration = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
        return duration.isZero() ? null : duration;
    }
}
