package dev.dromedary.processing;

import dev.dromedary.rows.RowHash;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The values of a job's {@code unique} columns seen so far, as 64-bit hashes, so that the first row holding a value
 * keeps it: batches are typed at once on several threads, and each takes its turn here in the order it was read.
 * Bounded at {@value #MAX_VALUES} values a column (16 bytes each at most), beyond which the import stops.
 */
public final class UniqueValues {

    public static final int MAX_VALUES = 2_000_000;
    private static final Duration TURN_DEADLINE = Duration.ofMinutes(10);

    private final List<String> columns;
    private final LongSet[] seen;
    private int next;
    private final Set<Integer> doneEarly = new HashSet<>();

    /** The values of {@code columns} from batch {@code firstBatch} on. */
    public UniqueValues(List<String> columns, int firstBatch) {
        this.columns = List.copyOf(columns);
        this.seen = new LongSet[columns.size()];
        Arrays.setAll(seen, i -> new LongSet());
        this.next = firstBatch;
    }

    /** Waits until every batch read before {@code batch} is done here; the caller then checks its rows and calls {@link #done}. */
    public synchronized void awaitTurn(int batch) throws InterruptedException {
        long deadline = System.nanoTime() + TURN_DEADLINE.toNanos();
        while (batch > next) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("batch " + batch + " waited " + TURN_DEADLINE.toMinutes()
                        + " minutes for batch " + next + " to check its unique values");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The unique column whose value an earlier row held, or null when the row's values are new (and now held). */
    public synchronized String heldBefore(Object[] values) {
        for (int i = 0; i < columns.size(); i++) {
            if (values[i] != null && seen[i].contains(RowHash.of(values[i].toString()))) {
                return columns.get(i);
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (values[i] != null) {
                if (seen[i].size() >= MAX_VALUES) {
                    throw new IllegalStateException("ERR_TOO_MANY_UNIQUE_VALUES: the unique rule on " + columns.get(i)
                            + " remembers at most " + MAX_VALUES + " values in a job; split the file, or check it in PostgreSQL");
                }
                seen[i].add(RowHash.of(values[i].toString()));
            }
        }
        return null;
    }

    public List<String> columns() {
        return columns;
    }

    /** Batch {@code batch} is done here (checked, or failed before it could be): the next may take its turn. */
    public synchronized void done(int batch) {
        doneEarly.add(batch);
        while (doneEarly.remove(next)) {
            next++;
        }
        notifyAll();
    }

    /** An open-addressing set of longs: a million values in 16 MB rather than a HashSet's 60. */
    static final class LongSet {
        private long[] slots = new long[1024];
        private boolean hasZero;
        private int size;

        boolean contains(long value) {
            if (value == 0) {
                return hasZero;
            }
            int mask = slots.length - 1;
            for (int i = (int) (value ^ value >>> 32) & mask; ; i = (i + 1) & mask) {
                if (slots[i] == value) {
                    return true;
                }
                if (slots[i] == 0) {
                    return false;
                }
            }
        }

        void add(long value) {
            if (value == 0) {
                if (!hasZero) {
                    hasZero = true;
                    size++;
                }
                return;
            }
            if ((size + 1) * 2 > slots.length) {
                long[] old = slots;
                slots = new long[old.length * 2];
                for (long each : old) {
                    if (each != 0) {
                        insert(each);
                    }
                }
            }
            if (insert(value)) {
                size++;
            }
        }

        private boolean insert(long value) {
            int mask = slots.length - 1;
            for (int i = (int) (value ^ value >>> 32) & mask; ; i = (i + 1) & mask) {
                if (slots[i] == value) {
                    return false;
                }
                if (slots[i] == 0) {
                    slots[i] = value;
                    return true;
                }
            }
        }

        int size() {
            return size;
        }
    }
}
