package dev.dromedary.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.formats.RecordSource;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One import of rows from a source that is not an object in S3 (a database query, an HTTP API): the dataset,
 * how the source's fields map to it, the batches in flight and the counts of those committed, and where the
 * source resumes after them ({@link #resumeAt}: a value of the query's checkpoint column, the request of the
 * next page), kept in the job's checkpoint.
 */
public final class SourceRun {

    final String jobUuid;
    final int attempt;
    final Dataset dataset;
    /** What the rows come from, in a sentence's words: "the query of source crm", "https://api.example.com/v1/contacts". */
    final String source;
    final long startedNanos = System.nanoTime();
    final RejectionTally rejections = new RejectionTally();
    /** Where the source resumes after a batch's last row, or null where it cannot resume. */
    final Function<SourceRow, JsonNode> resumeAfter;
    final Map<Integer, JsonNode> resumeAfterBatch = new ConcurrentHashMap<>();
    final SourceCheckpoint resumedFrom;
    HeaderMapping mapping;
    BatchesInFlight inFlight;
    RecordSource records;
    volatile boolean stoppedEarly;
    private volatile String overBudget;
    final ImportOptions options;
    /** The batches handed out so far, numbered on from the checkpoint's. */
    int batchesHandedOut;
    /** Rows handed out so far, numbered on from the checkpoint's. */
    long rowsHandedOut;
    JsonNode resumeAt;
    /** The checkpoint last taken where the source can resume: its counts are those of the rows before its position. */
    SourceCheckpoint saved;
    int batches;
    long rowsRead;
    long rowsImported;
    long rowsFailed;
    long rowsDuplicate;
    long rowsDropped;
    long rowsInserted;
    long rowsUpdated;
    long rowsUnchanged;
    /** What a mirror import deleted once its rows landed; null for any other import. */
    MirrorImport.MirrorOutcome mirrored;

    SourceRun(String jobUuid, int attempt, Dataset dataset, String source, ImportOptions options,
              Function<SourceRow, JsonNode> resumeAfter, SourceCheckpoint resumedFrom) {
        this.jobUuid = jobUuid;
        this.attempt = attempt;
        this.dataset = dataset;
        this.source = source;
        this.options = options;
        this.resumeAfter = resumeAfter;
        this.resumedFrom = resumedFrom;
        if (resumedFrom != null) {
            batches = resumedFrom.batches();
            rowsRead = resumedFrom.rowsRead();
            rowsImported = resumedFrom.rowsImported();
            rowsFailed = resumedFrom.rowsFailed();
            rowsDuplicate = resumedFrom.rowsDuplicate();
            rowsDropped = resumedFrom.rowsDropped();
            rowsInserted = resumedFrom.rowsInserted();
            rowsUpdated = resumedFrom.rowsUpdated();
            rowsUnchanged = resumedFrom.rowsUnchanged();
            resumeAt = resumedFrom.resumeAt();
            saved = resumedFrom;
        }
        batchesHandedOut = batches;
        rowsHandedOut = rowsRead;
    }

    /** Where the source goes on from: null at its start. */
    public JsonNode resumeAt() {
        return resumeAt;
    }

    /** The number the next row read gets. */
    public long nextRowNumber() {
        return rowsHandedOut + 1;
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    public String overBudget() {
        return overBudget;
    }

    /** Whether the rows are only read and checked, and nothing is written. */
    /** The dataset the rows land in. */
    public Dataset dataset() {
        return dataset;
    }

    public boolean mirror() {
        return options.mirror() != null;
    }

    public boolean dryRun() {
        return options.dryRun();
    }

    public String checkpointDescribed() {
        return "at its checkpoint after row " + rowsRead;
    }

    /**
     * Counts a batch every sink committed; once every batch before it has committed too, counts that committed
     * prefix and returns true (false while an earlier batch is in flight). The checkpoint moves over the prefix
     * when the source can resume after its last batch; otherwise it stays where it was.
     */
    synchronized boolean commit(RowBatch batch) {
        List<BatchesInFlight.Committed> prefix = inFlight.committed(batch);
        rejections.add(batch);
        if (prefix.isEmpty()) {
            return false;
        }
        JsonNode position = null;
        for (BatchesInFlight.Committed committed : prefix) {
            batches = committed.number();
            rowsRead += committed.rowsRead();
            rowsImported += committed.rowsImported();
            rowsFailed += committed.rowsFailed();
            rowsDuplicate += committed.rowsDuplicate();
            rowsDropped += committed.rowsDropped();
            rowsInserted += committed.rowsInserted();
            rowsUpdated += committed.rowsUpdated();
            rowsUnchanged += committed.rowsUnchanged();
            position = resumeAfterBatch.remove(committed.number());
        }
        if (position != null) {
            resumeAt = position;
            saved = checkpoint();
        }
        checkBudget();
        return true;
    }

    /** The source resumes at {@code position}, every batch handed out so far having committed (a page's end). */
    synchronized void resumeAt(JsonNode position) {
        resumeAt = position;
        saved = checkpoint();
    }

    private SourceCheckpoint checkpoint() {
        return new SourceCheckpoint(dataset.name(), source, mapping == null ? List.of() : mapping.header(), resumeAt,
                batches, rowsRead, rowsImported, rowsFailed, rowsDuplicate, rowsDropped, rowsInserted, rowsUpdated, rowsUnchanged);
    }

    private void checkBudget() {
        if (overBudget == null) {
            overBudget = options.overBudget(rowsRead, rowsFailed, rejections::topReasons);
        }
    }

    private WriteCounts writeCounts() {
        return new WriteCounts(options.dryRun(), rowsInserted, rowsUpdated, rowsUnchanged, rowsDropped, mirrored);
    }

    /** What the job answers: the counts, where it resumed, the fields it ignored, how long it took. */
    Map<String, Object> response(Map<String, Long> deadLettersByRule) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("dataset", dataset.name());
        response.put("source", source);
        if (options.dryRun()) {
            response.put("dry_run", true);
        }
        response.put("rows_read", rowsRead);
        response.put(options.dryRun() ? "rows_valid" : "rows_imported", rowsImported);
        response.put("rows_failed", rowsFailed);
        response.put("rows_duplicate", rowsDuplicate);
        writeCounts().putInto(response);
        if (resumedFrom != null) {
            response.put("resumed_at_row", resumedFrom.rowsRead() + 1);
            response.put("resumed_at", resumedFrom.resumeAt());
        }
        response.put("unknown_columns", mapping == null ? List.of() : mapping.unknownColumns());
        if (options.dryRun()) {
            response.put("dead_letters_by_reason", rejections.byReason());
            response.put("dead_letter_examples", rejections.examples());
        }
        response.put("dead_letters_by_rule", options.dryRun() ? rejections.byRule() : deadLettersByRule);
        response.put("duration_ms", (System.nanoTime() - startedNanos) / 1_000_000);
        return response;
    }

    String message() {
        StringBuilder message = new StringBuilder(options.dryRun()
                ? "Dry run: " + rowsImported + " of " + rowsRead + " rows of " + source + " would be imported into "
                + dataset.name() + ", nothing was written"
                : "Imported " + rowsImported + " of " + rowsRead + " rows of " + source + " into " + dataset.name());
        if (rowsFailed > 0) {
            message.append("; ").append(rowsFailed).append(options.dryRun() ? " rows fail validation: " + rejections.topReasons()
                    : " rows failed validation and are in the dead letters");
        }
        writeCounts().describeInto(message);
        if (rowsDuplicate > 0) {
            message.append("; ").append(rowsDuplicate)
                    .append(" rows had the key of an earlier row of their batch, and the last of them won");
        }
        if (resumedFrom != null) {
            message.append("; resumed at row ").append(resumedFrom.rowsRead() + 1).append(" from the checkpoint of an earlier attempt");
        }
        if (mapping != null && !mapping.unknownColumns().isEmpty()) {
            message.append("; ignored fields that ").append(dataset.name()).append(" does not have: ")
                    .append(mapping.unknownColumnsExplained());
        }
        return message.toString();
    }
}
