package dev.dromedary.imports;

import dev.dromedary.datasets.Dataset;
import dev.dromedary.formats.Dialect;
import dev.dromedary.formats.RecordSource;
import dev.dromedary.rows.RowBatch;
import org.apache.commons.io.input.BoundedInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One import job as it goes: where it reads from and how, how the header maps to columns, and its counts.
 * It owns what the committed batches add up to: {@link #commit} moves the checkpoint over the batches that
 * every sink has committed, {@link #response} is what the job answers at the end.
 */
public final class ImportRun {

    final String jobUuid;
    /** The job's attempt this run is: its writes count only while the job is still on it. */
    final int attempt;
    final Dataset dataset;
    final String bucket;
    final String key;
    final Long bytesTotal;
    final String etag;
    final String contentEncoding;
    final ImportOptions options;
    /** The earlier import of this unchanged object, when there was one and the job does not force another. */
    ImportedObjects.Import importedBefore;
    /** Another job that imports this very object now, which this one defers to. */
    ImportedObjects.Import importedNowBy;
    final long startedNanos = System.nanoTime();
    RecordSource records;
    /** How the file is read: told from its first bytes, or the checkpoint's. */
    Dialect dialect;
    /** The object's bytes read so far, before any gunzip: the progress of a file whose positions are not bytes of it. */
    BoundedInputStream objectRead;
    /** The batches being written at once, and the committed prefix of them. */
    BatchesInFlight inFlight;
    /** Whether the rows stopped before the object's end because the instance is stopping. */
    volatile boolean stoppedEarly;
    /** The position (byte of the text read, or a sheet's row) of the checkpoint written last. */
    long checkpointOffset;
    /** How the file's header maps to the dataset, once it has been read. */
    HeaderMapping mapping;
    /** Whether an earlier attempt's checkpoint was set aside because the object was replaced since. */
    boolean startedOver;
    /** The checkpoint this import goes on from; null when it reads the object from its first byte. */
    Checkpoint resumedFrom;
    final RejectionTally rejections = new RejectionTally();
    private volatile String overBudget;
    long rowsRead;
    long rowsImported;
    long rowsFailed;
    long rowsDuplicate;
    int batches;

    ImportRun(String jobUuid, int attempt, Dataset dataset, String bucket, String key, Long bytesTotal, String etag,
              String contentEncoding, ImportOptions options) {
        this.jobUuid = jobUuid;
        this.attempt = attempt;
        this.dataset = dataset;
        this.bucket = bucket;
        this.key = key;
        this.bytesTotal = bytesTotal;
        this.etag = etag;
        this.contentEncoding = contentEncoding;
        this.options = options;
    }

    /** The bucket of the object this import reads. */
    public String bucket() {
        return bucket;
    }

    /** The key of the object this import reads. */
    public String key() {
        return key;
    }

    /** The version of the object this import reads (its ETag), for the GET's If-Match. */
    public String etag() {
        return etag;
    }

    /** Whether the rows are only read and checked, and nothing is written. */
    public boolean dryRun() {
        return options.dryRun();
    }

    /** Whether the rows stopped before the object's end because the instance is stopping. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** Why the import stops for its bad rows (ERR_TOO_MANY_BAD_ROWS), or null while it may go on. */
    public String overBudget() {
        return overBudget;
    }

    /** Where a stopped import's checkpoint stands, for the hand-back's message. */
    public String checkpointDescribed() {
        return "at its checkpoint after row " + rowsRead + " (" + (dialect != null && dialect.resumesByRange() ? "byte "
                + checkpointOffset + " of " + bytesTotal : position(checkpointOffset)) + ")";
    }

    /** Whether the import goes on from a checkpoint by getting only the bytes after it. */
    public boolean resumingByRange() {
        return resumedFrom != null && dialect.resumesByRange();
    }

    /** Whether anything is left to read: not when a ranged resume's checkpoint is at the object's end. */
    public boolean hasBytesLeft() {
        return !resumingByRange() || resumedFrom.byteOffset() < bytesTotal;
    }

    /** The batches of the checkpoint this import goes on from; the next batch read is numbered after them. */
    int batchesBefore() {
        return resumedFrom == null ? 0 : resumedFrom.batches();
    }

    void resumeFrom(Checkpoint checkpoint) {
        this.resumedFrom = checkpoint;
        this.dialect = checkpoint.dialectOrCsv();
        this.rowsRead = checkpoint.rowsRead();
        this.rowsImported = checkpoint.rowsImported();
        this.rowsFailed = checkpoint.rowsFailed();
        this.rowsDuplicate = checkpoint.rowsDuplicate();
        this.batches = checkpoint.batches();
        this.checkpointOffset = checkpoint.byteOffset();
    }

    /**
     * After every sink has committed a batch (or, in a dry run, it was checked): counts it and, once every
     * batch before it has committed too, returns the checkpoint after the last batch of that committed
     * prefix; null while an earlier batch is still in flight. Synchronized: a checkpoint is never followed
     * by an earlier one.
     */
    synchronized Checkpoint commit(RowBatch batch) {
        List<BatchesInFlight.Committed> prefix = inFlight.committed(batch);
        rejections.add(batch);
        if (prefix.isEmpty()) {
            return null;
        }
        for (BatchesInFlight.Committed committed : prefix) {
            batches = committed.number();
            rowsRead += committed.rowsRead();
            rowsImported += committed.rowsImported();
            rowsFailed += committed.rowsFailed();
            rowsDuplicate += committed.rowsDuplicate();
        }
        checkpointOffset = prefix.get(prefix.size() - 1).endOffset();
        checkBudget();
        return new Checkpoint(dataset.name(), etag, mapping.header(), checkpointOffset, batches, rowsRead, rowsImported,
                rowsFailed, rowsDuplicate, resumedFrom == null ? 0 : resumedFrom.rowsRead(),
                resumedFrom == null ? 0 : resumedFrom.byteOffset(), dialect);
    }

    /** The bytes of the object read up to the checkpoint, as its progress shows them. */
    long bytesRead() {
        return dialect.resumesByRange() || objectRead == null ? checkpointOffset : Math.min(objectRead.getCount(), bytesTotal);
    }

    private void checkBudget() {
        if (overBudget == null) {
            overBudget = options.overBudget(rowsRead, rowsFailed, rejections::topReasons);
        }
    }

    /** What the job answers: the counts, how the file was read, the columns it ignored, how long it took. */
    Map<String, Object> response() {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("dataset", dataset.name());
        response.put("s3_bucket", bucket);
        response.put("s3_key", key);
        if (options.dryRun()) {
            response.put("dry_run", true);
        }
        response.put("rows_read", rowsRead);
        response.put(options.dryRun() ? "rows_valid" : "rows_imported", rowsImported);
        response.put("rows_failed", rowsFailed);
        response.put("rows_duplicate", rowsDuplicate);
        if (resumedFrom != null) {
            response.put("resumed_at_row", resumedFrom.rowsRead() + 1);
            response.put(dialect.resumesByRange() ? "resumed_at_byte" : dialect.fileFormat().formatName().equals("xlsx")
                    ? "resumed_at_sheet_row" : "resumed_at_text_byte", resumedFrom.byteOffset());
            if (!dialect.resumesByRange()) {
                response.put("resumed_by", "reading the object again from its first byte and skipping to the checkpoint, "
                        + "as a " + (dialect.gzip() ? "gzip stream" : dialect.format() + " file") + " cannot be entered in the middle");
            }
        }
        response.put("read_as", dialect);
        response.put("unknown_columns", mapping.unknownColumns());
        if (options.dryRun()) {
            response.put("missing_columns", mapping.missingColumns());
            response.put("dead_letters_by_reason", rejections.byReason());
            response.put("dead_letter_examples", rejections.examples());
        }
        response.put("duration_ms", (System.nanoTime() - startedNanos) / 1_000_000);
        return response;
    }

    /** The job's message: what it did, in a sentence a person reads. */
    String message() {
        StringBuilder message = new StringBuilder(options.dryRun()
                ? "Dry run: " + rowsImported + " of " + rowsRead + " rows would be imported into " + dataset.name() + ", nothing was written"
                : "Imported " + rowsImported + " of " + rowsRead + " rows into " + dataset.name());
        if (rowsFailed > 0) {
            message.append("; ").append(rowsFailed).append(options.dryRun() ? " rows fail validation: " + rejections.topReasons()
                    : " rows failed validation and are in the dead letters");
        }
        if (rowsDuplicate > 0) {
            message.append("; ").append(rowsDuplicate)
                    .append(" rows had the key of an earlier row of their batch, and the last of them won");
        }
        if (startedOver) {
            message.append("; started again at row 1, as the object was replaced since the checkpoint of an earlier attempt");
        }
        if (resumedFrom != null) {
            message.append("; resumed at row ").append(resumedFrom.rowsRead() + 1).append(" (")
                    .append(position(resumedFrom.byteOffset())).append(") from the checkpoint of an earlier attempt");
        }
        if (!mapping.unknownColumns().isEmpty()) {
            message.append("; ignored columns that ").append(dataset.name()).append(" does not have: ")
                    .append(mapping.unknownColumnsExplained());
        }
        return message.toString();
    }

    private String position(long offset) {
        if (dialect.resumesByRange()) {
            return "byte " + offset;
        }
        return dialect.fileFormat().formatName().equals("xlsx") ? "row " + offset + " of the sheet"
                : "byte " + offset + " of the " + (dialect.gzip() ? "uncompressed " : "") + "text, read again from the start";
    }
}
