package dev.dromedary.formats;

import dev.dromedary.rows.SourceRow;
import java.util.NoSuchElementException;

/** A record source that reads one record ahead, so that {@code hasNext} knows; {@link #read} gives null at the end. */
abstract class ReadAhead implements RecordSource {

    private SourceRow next;
    private boolean ended;

    /** The next record, or null when there is none. */
    abstract SourceRow read();

    @Override
    public final boolean hasNext() {
        while (next == null && !ended) {
            next = read();
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public final SourceRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SourceRow row = next;
        next = null;
        return row;
    }
}
