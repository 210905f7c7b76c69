package dev.dromedary.imports;

/**
 * Text read from a file as it may be kept and shown: PostgreSQL's text holds no NUL, so a NUL is kept as
 * U+FFFD; and a message quotes at most {@value #MAX_QUOTED_CHARS} characters of a file, never more.
 */
public final class FileText {

    public static final int MAX_QUOTED_CHARS = 200;
    static final char NUL_AS = '\uFFFD';

    private FileText() {
    }

    /** The text as a text column can hold it: each NUL as U+FFFD. */
    public static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', NUL_AS);
    }

    /** At most {@value #MAX_QUOTED_CHARS} characters of the text, storable, saying how long it was when cut. */
    public static String quote(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() <= MAX_QUOTED_CHARS) {
            return storable(text);
        }
        return storable(text.substring(0, MAX_QUOTED_CHARS)) + "… (" + text.length() + " characters)";
    }
}
