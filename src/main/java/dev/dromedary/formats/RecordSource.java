package dev.dromedary.formats;

import dev.dromedary.rows.SourceRow;
import java.io.Closeable;
import java.util.Iterator;
import java.util.List;

/**
 * The records of one file in the order they stand, numbered from 1 after the header, each with the position
 * where the next one starts (a byte offset, or a sheet's row for Excel), so that a checkpoint can name it.
 */
public interface RecordSource extends Iterator<SourceRow>, Closeable {

    /**
     * The names the records' values stand under, by position: the header row or the columns a job gave; for
     * JSON Lines the field paths seen so far, to which a later record may add.
     */
    List<String> header();

    /** Whether a record may be shorter than the header: its missing values are empty (JSON Lines). */
    default boolean headerGrows() {
        return false;
    }
}
