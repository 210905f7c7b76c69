package dev.dromedary.sinks;

import dev.dromedary.jobs.StepFailure;
import dev.dromedary.rows.FileText;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The dead-letter channel of direct:write-batch, whatever sent the batch: its rows become dead letters with
 * the reason it failed, and the sender learns of it as a {@link BatchFailed}.
 */
public final class FailedBatches {

    /** The batch that direct:write-batch was given (set by its route). */
    public static final String WRITTEN_BATCH = "writtenBatch";
    private static final String FAILURE = "batchFailure";

    private final int maxRedeliveries;

    /** {@code maxRedeliveries} is the error handler's: a batch comes here once they are spent. */
    public FailedBatches(int maxRedeliveries) {
        this.maxRedeliveries = maxRedeliveries;
    }

    /** The rows of the batch that failed after its redeliveries, as dead letters, and why it failed. */
    public List<Map<String, Object>> deadLetters(Exchange exchange) {
        RowBatch batch = exchange.getProperty(WRITTEN_BATCH, RowBatch.class);
        String what = batch == null ? "the batch" : "batch " + batch.number() + " (rows " + batch.firstRow() + "-"
                + batch.lastRow() + ")";
        String error = what + " failed after " + maxRedeliveries + " redeliveries: " + StepFailure.describe(exchange);
        exchange.setProperty(FAILURE, error);
        if (batch == null) {
            return List.of();
        }
        List<Map<String, Object>> deadLetters = new ArrayList<>();
        for (SourceRow row : batch.source()) {
            deadLetters.add(DeadLetterRows.row(batch, row.number(), FileText.csvLine(row.values()), error));
        }
        return deadLetters;
    }

    /** Fails the sender once the failed batch is recorded. */
    public void fail(Exchange exchange) {
        throw new BatchFailed(exchange.getProperty(FAILURE, String.class));
    }
}
