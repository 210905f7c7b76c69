package dev.dromedary.processing;

/** A rule that cannot be used as written (an unknown rule or column, a bad pattern or date format): ERR_INVALID_RULE. */
public final class InvalidRule extends IllegalArgumentException {

    public static final String CODE = "ERR_INVALID_RULE";

    public InvalidRule(String message) {
        super(message);
    }
}
