package dev.dromedary.imports;

import dev.dromedary.rows.RowBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The batches of one import that are being written at once. A batch waits for the earlier ones that hold
 * a key of its own, so that the last row of a key in the file is the one that stays, as if the batches were
 * written one after another; and the checkpoint moves only over a prefix of batches that have all
 * committed, never past one that has not. It holds the keys of the batches in flight, no more.
 */
final class BatchesInFlight {

    private final String key;
    /** The last batch entered that holds each key, while some batch holding it is in flight. */
    private final Map<Object, Integer> lastBatchOfKey = new HashMap<>();
    private final Set<Integer> inFlight = new HashSet<>();
    private final TreeMap<Integer, Committed> committedAhead = new TreeMap<>();
    private int enteredUpTo;
    private int committedUpTo;
    private boolean abandoned;

    /** Batches numbered after {@code batchesBefore}, those of the checkpoint the import goes on from. */
    BatchesInFlight(String key, int batchesBefore) {
        this.key = key;
        this.enteredUpTo = batchesBefore;
        this.committedUpTo = batchesBefore;
    }

    /**
     * Enters a batch, in the order of their numbers, and returns once no earlier batch holding one of its
     * keys is still in flight.
     */
    synchronized void enter(RowBatch batch) throws InterruptedException {
        while (enteredUpTo != batch.number() - 1 && !abandoned) {
            wait();
        }
        Set<Integer> earlier = new HashSet<>();
        for (Map<String, Object> row : batch.rows()) {
            Integer previous = lastBatchOfKey.put(row.get(key), batch.number());
            if (previous != null && inFlight.contains(previous)) {
                earlier.add(previous);
            }
        }
        inFlight.add(batch.number());
        enteredUpTo = Math.max(enteredUpTo, batch.number());
        notifyAll();
        while (!abandoned && earlier.stream().anyMatch(inFlight::contains)) {
            wait();
        }
    }

    /**
     * Marks a batch committed by every sink; returns the batches, in order, that this completes the
     * committed prefix with (none while an earlier batch is still in flight).
     */
    synchronized List<Committed> committed(RowBatch batch) {
        leave(batch);
        int inserted = batch.inserted();
        committedAhead.put(batch.number(), new Committed(batch.number(), batch.source().size(),
                batch.rows().size() + batch.unchanged(), batch.rejected().size(), batch.duplicates(), batch.dropped(),
                inserted, batch.rows().size() - inserted, batch.unchanged(), batch.lastRow(),
                batch.source().get(batch.source().size() - 1).end()));
        List<Committed> prefix = new ArrayList<>();
        while (committedAhead.containsKey(committedUpTo + 1)) {
            prefix.add(committedAhead.remove(++committedUpTo));
        }
        return prefix;
    }

    /** The import gives up: nothing waits any more, and the committed prefix grows no further. */
    synchronized void abandon() {
        abandoned = true;
        notifyAll();
    }

    /** What a committed batch adds to the import's counts, and the byte offset after its last row. */
    record Committed(int number, int rowsRead, int rowsImported, int rowsFailed, int rowsDuplicate, int rowsDropped,
                     int rowsInserted, int rowsUpdated, int rowsUnchanged, long lastRow,
                     long endOffset) {
    }

    /** By number: a sink may have taken rows out of the batch that entered (the rows it refused). */
    private void leave(RowBatch batch) {
        inFlight.remove(batch.number());
        lastBatchOfKey.values().removeIf(number -> number == batch.number());
        notifyAll();
    }
}
