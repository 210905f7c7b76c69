package dev.dromedary.rows;

import java.util.List;

/**
 * One record of a CSV file after its header; {@code number} 1 is the first row after the header. {@code end}
 * is the byte offset in the object where the next record starts (-1 when the row did not come from an
 * object); {@code unreadable} says why the row cannot be read as it stands (not valid UTF-8, longer than a
 * row may be), and is null when it can.
 */
public record SourceRow(long number, List<String> values, long end, String unreadable) {

    public SourceRow(long number, List<String> values) {
        this(number, values, -1, null);
    }
}
