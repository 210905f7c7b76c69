package dev.dromedary.rows;

import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * Text read from a file as it may be kept and shown: PostgreSQL's text holds no NUL, so a NUL is kept as
 * U+FFFD; and a message quotes at most {@value #MAX_QUOTED_CHARS} characters of a file, never more.
 */
public final class FileText {

    public static final int MAX_QUOTED_CHARS = 200;
    public static final char NUL_AS = '\uFFFD';

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

    /** A row's values as one line of CSV, as a text column can hold it (a dead letter's payload, its header). */
    public static String csvLine(List<String> values) {
        return storable(CSVFormat.DEFAULT.format(values.toArray()));
    }
}
