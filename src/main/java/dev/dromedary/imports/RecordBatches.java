package dev.dromedary.imports;

import dev.dromedary.formats.RecordSource;
import dev.dromedary.formats.UnreadableFile;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A file's records in batches of at most {@code batchRows} records and, but for a single record, at most
 * {@code batchMaxBytes} bytes of the file (positions apart, for a sheet): a batch of long rows closes early, so that the batches in
 * flight hold a bounded part of the heap whatever the rows. Java rather than the splitter's collate, which
 * counts records only.
 */
final class RecordBatches implements Iterator<List<SourceRow>>, Closeable {

    private final RecordSource reader;
    private final RecordLimits limits;
    private long previousEnd;
    /** Why the file cannot be read on: thrown once the rows read before it have gone out as a batch. */
    private UnreadableFile unreadable;

    /** Batches of the records of {@code reader}, whose first record starts at byte {@code offset}. */
    RecordBatches(RecordSource reader, long offset, RecordLimits limits) {
        this.reader = reader;
        this.limits = limits;
        this.previousEnd = offset;
    }

    @Override
    public boolean hasNext() {
        return unreadable != null || reader.hasNext();
    }

    @Override
    public List<SourceRow> next() {
        if (unreadable != null) {
            throw unreadable;
        }
        if (!reader.hasNext()) {
            throw new NoSuchElementException();
        }
        List<SourceRow> batch = new ArrayList<>(Math.min(limits.batchRows(), 1024));
        long bytes = 0;
        while (batch.size() < limits.batchRows()) {
            try {
                if (!reader.hasNext()) {
                    break;
                }
            } catch (UnreadableFile e) {
                if (batch.isEmpty()) {
                    throw e;
                }
                unreadable = e;
                break;
            }
            SourceRow row = reader.next();
            bytes += row.end() - previousEnd;
            previousEnd = row.end();
            batch.add(row);
            if (bytes >= limits.batchMaxBytes()) {
                break;
            }
        }
        return batch;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
