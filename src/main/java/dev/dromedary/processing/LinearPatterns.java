package dev.dromedary.processing;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** The regular expressions users write (rules, a watch's ignore lines), run by RE2/J in linear time: none can hang a worker. */
public final class LinearPatterns {

    public static final int MAX_PATTERN_CHARS = 500;

    private LinearPatterns() {
    }

    /** {@code pattern}, compiled; InvalidRule naming {@code at} when it is not a regular expression RE2 reads, or too long or large. */
    public static Pattern compile(String pattern, String at) {
        if (pattern.isEmpty() || pattern.length() > MAX_PATTERN_CHARS) {
            throw new InvalidRule(at + " is a regular expression of 1 to " + MAX_PATTERN_CHARS + " characters");
        }
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new InvalidRule(at + " is not a regular expression RE2 reads (no backreferences or lookaround): "
                    + clip(e.getMessage()));
        } catch (RuntimeException e) {
            throw new InvalidRule(at + " is too large a regular expression: " + clip(String.valueOf(e.getMessage())));
        }
    }

    /** A user's text cut to 100 characters for a refusal. */
    static String clip(String text) {
        return text == null ? "" : text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
