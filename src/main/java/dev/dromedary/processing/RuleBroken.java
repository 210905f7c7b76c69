package dev.dromedary.processing;

import dev.dromedary.rows.FileText;

/**
 * A row that breaks a rule: a dead letter whose reason reads {@code rule <name> on <column>: <value>}, the value
 * cut to {@value #MAX_VALUE_CHARS} characters. An IllegalArgumentException, as every reason a row is rejected for.
 */
public final class RuleBroken extends IllegalArgumentException {

    static final int MAX_VALUE_CHARS = 100;

    private final String rule;

    public RuleBroken(String rule, String column, String value) {
        super("rule " + rule + " on " + column + ": " + shown(value));
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }

    /** The rule a dead letter's reason names, or null for a reason that is no rule's (a value of the wrong type, say). */
    public static String ruleOf(String reason) {
        if (reason == null || !reason.startsWith("rule ")) {
            return null;
        }
        int end = reason.indexOf(' ', 5);
        return end < 0 ? null : reason.substring(5, end);
    }

    private static String shown(String value) {
        if (value == null || value.isEmpty()) {
            return "(empty)";
        }
        String quoted = FileText.quote(value);
        return quoted.length() <= MAX_VALUE_CHARS ? quoted : quoted.substring(0, MAX_VALUE_CHARS) + "…";
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // a row's reason, not a fault: thousands of them a second cost no stack walks
        return this;
    }
}
