package dev.dromedary.ingest;

import java.util.Locale;

/**
 * The query of an ingest_database job, checked before it runs: one statement (a {@code ;} may end it, none may
 * stand inside it but in a literal, a quoted name or a comment) whose first word is SELECT or WITH. The
 * transaction it runs in is READ ONLY besides, so that a function it calls cannot write either.
 */
final class SelectStatement {

    static final int MAX_LENGTH = 100_000;

    private SelectStatement() {
    }

    /** The query without its closing {@code ;}; IllegalArgumentException saying why when it is not one SELECT. */
    static String check(String query) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("job_data.query is required: one SELECT (or WITH … SELECT) statement");
        }
        if (query.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("job_data.query is " + query.length() + " characters long; at most " + MAX_LENGTH);
        }
        int end = endOfStatement(query);
        String statement = query.substring(0, end).strip();
        if (!query.substring(Math.min(end + 1, query.length())).isBlank()) {
            throw new IllegalArgumentException("job_data.query holds more than one statement; it must be one SELECT");
        }
        String first = firstWord(statement);
        if (!first.equals("select") && !first.equals("with")) {
            throw new IllegalArgumentException("job_data.query must be a SELECT (or WITH … SELECT), not "
                    + (first.isEmpty() ? "empty" : first.toUpperCase(Locale.ROOT)));
        }
        return statement;
    }

    /** Where the first {@code ;} outside literals, quoted names and comments stands (the query's length if none). */
    private static int endOfStatement(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = closing(sql, i, c);
            } else if (c == '-' && sql.startsWith("--", i)) {
                int line = sql.indexOf('\n', i);
                i = line < 0 ? sql.length() : line + 1;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("job_data.query has a comment that is never closed");
                }
                i = close + 2;
            } else if (c == '$') {
                int tagEnd = sql.indexOf('$', i + 1);
                String tag = tagEnd < 0 ? null : sql.substring(i, tagEnd + 1);
                if (tag != null && tag.matches("\\$[A-Za-z_]?[A-Za-z0-9_]*\\$")) {
                    int close = sql.indexOf(tag, tagEnd + 1);
                    if (close < 0) {
                        throw new IllegalArgumentException("job_data.query has a " + tag + " string that is never closed");
                    }
                    i = close + tag.length();
                } else {
                    i++;
                }
            } else if (c == ';') {
                return i;
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static int closing(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("job_data.query has a " + (quote == '\'' ? "string literal" : "quoted name")
                + " that is never closed");
    }

    private static String firstWord(String statement) {
        String rest = statement;
        while (true) {
            rest = rest.stripLeading();
            if (rest.startsWith("--")) {
                int line = rest.indexOf('\n');
                rest = line < 0 ? "" : rest.substring(line + 1);
            } else if (rest.startsWith("/*")) {
                rest = rest.substring(rest.indexOf("*/") + 2);
            } else if (rest.startsWith("(")) {
                rest = rest.substring(1);
            } else {
                break;
            }
        }
        int end = 0;
        while (end < rest.length() && Character.isLetter(rest.charAt(end))) {
            end++;
        }
        return rest.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
