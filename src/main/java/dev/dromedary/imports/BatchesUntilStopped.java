package dev.dromedary.imports;

import dev.dromedary.observe.ImportStage;
import dev.dromedary.rows.SourceRow;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * An import's batches until it is asked to stop (its instance stops, too many rows were bad), which the
 * streaming split of routes/insert-csv.camel.yaml and source-batches.camel.yaml writes several at once.
 * That split asks {@code hasNext} after handing a batch out and again before taking the next one, and a no
 * at the second ask ends it at once, without waiting for the batches in flight, whose commits the job would
 * then never count: so an answer holds until the next batch is taken, and a stop is seen at the first ask.
 */
final class BatchesUntilStopped implements Iterator<List<SourceRow>>, Closeable {

    private final RecordBatches batches;
    private final BooleanSupplier stopAsked;
    private final Runnable stoppedWithRowsLeft;
    private final UnaryOperator<List<SourceRow>> handedOut;
    private Boolean more;

    /**
     * The batches of {@code batches} until {@code stopAsked}; {@code stoppedWithRowsLeft} runs when that ends
     * them before the source's end, and {@code handedOut} makes each batch what the split takes.
     */
    BatchesUntilStopped(RecordBatches batches, BooleanSupplier stopAsked, Runnable stoppedWithRowsLeft,
                        UnaryOperator<List<SourceRow>> handedOut) {
        this.batches = batches;
        this.stopAsked = stopAsked;
        this.stoppedWithRowsLeft = stoppedWithRowsLeft;
        this.handedOut = handedOut;
    }

    @Override
    public boolean hasNext() {
        if (more == null) {
            if (stopAsked.getAsBoolean()) {
                more = false;
                if (batches.hasNext()) {
                    stoppedWithRowsLeft.run();
                }
            } else {
                long started = System.nanoTime();
                more = batches.hasNext();
                ImportStage.READ.since(started);
            }
        }
        return more;
    }

    @Override
    public List<SourceRow> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        more = null;
        long started = System.nanoTime();
        List<SourceRow> batch = batches.next();
        ImportStage.READ.since(started);
        return handedOut.apply(batch);
    }

    @Override
    public void close() throws IOException {
        batches.close();
    }
}
