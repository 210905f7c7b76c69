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
    /** The part of the object this import reads, when it is a partition of a larger import; else null. */
    Partition partition;
    /** When this import is cut into partitions: the partitions' jobs import it, and this run sums them up. */
    PartitionedImport.Plan partitioned;
    /** Why an import large enough to be cut was not; null otherwise. */
    String notPartitioned;
    /** The partitions as the response lists them, once they all completed. */
    List<Map<String, Object>> partitionsDescribed;
    /** Keys that more than one partition held, and the rows of them written again from their last partition. */
    long sharedKeys;
    long rowsWrittenAgain;
    final RejectionTally rejections = new RejectionTally();
    private volatile String overBudget;
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

    /** The dataset the rows land in. */
    public Dataset dataset() {
        return dataset;
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

    /**
     * Whether every row is written, changed or not: the job forces it, or this is a partition (another partition may
     * hold a row of the same key, and only the rows written are settled between them).
     */
    public boolean rewritesAll() {
        return options.force() || partition != null;
    }

    /** Whether the import deletes, once its rows have landed, the rows its source does not hold. */
    public boolean mirror() {
        return options.mirror() != null;
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

    /** Whether anything is left to read: not when a ranged resume's checkpoint is at the object's (or partition's) end. */
    public boolean hasBytesLeft() {
        return !resumingByRange() || resumedFrom.byteOffset() < rangeEnd();
    }

    /** The partition this import is, or null for an import of the whole object. */
    public Partition partition() {
        return partition;
    }

    /** Whether the object is imported by the jobs of its partitions rather than by this run. */
    public boolean isPartitioned() {
        return partitioned != null;
    }

    /** The byte after the last this import reads: the partition's end, or the object's. */
    long rangeEnd() {
        return partition == null ? bytesTotal : partition.byteEnd();
    }

    /** The rows of the file before the first this import reads: those of the partitions before it. */
    long rowsBefore() {
        return partition == null ? 0 : partition.firstRow() - 1;
    }

    /** Whether an earlier attempt's checkpoint is where this import goes on (not a partition's first byte). */
    boolean resumedMidway() {
        return resumedFrom != null && !(partition != null && resumedFrom.rowsRead() == 0
                && resumedFrom.byteOffset() == partition.byteStart());
    }

    /** The bytes this import is to read, as its progress shows them. */
    Long progressTotal() {
        return partition == null ? bytesTotal : Long.valueOf(partition.byteEnd() - partition.byteStart());
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
        this.rowsDropped = checkpoint.rowsDropped();
        this.rowsInserted = checkpoint.rowsInserted();
        this.rowsUpdated = checkpoint.rowsUpdated();
        this.rowsUnchanged = checkpoint.rowsUnchanged();
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
            rowsDropped += committed.rowsDropped();
            rowsInserted += committed.rowsInserted();
            rowsUpdated += committed.rowsUpdated();
            rowsUnchanged += committed.rowsUnchanged();
        }
        checkpointOffset = prefix.get(prefix.size() - 1).endOffset();
        checkBudget();
        return new Checkpoint(dataset.name(), etag, mapping.header(), checkpointOffset, batches, rowsRead, rowsImported,
                rowsFailed, rowsDuplicate, resumedFrom == null ? 0 : resumedFrom.rowsRead(),
                resumedFrom == null ? 0 : resumedFrom.byteOffset(), dialect, rowsDropped, rowsInserted, rowsUpdated, rowsUnchanged);
    }

    /** The bytes of the object read up to the checkpoint, as its progress shows them. */
    long bytesRead() {
        if (partition != null) {
            return checkpointOffset - partition.byteStart();
        }
        return dialect.resumesByRange() || objectRead == null ? checkpointOffset : Math.min(objectRead.getCount(), bytesTotal);
    }

    private void checkBudget() {
        if (overBudget == null) {
            overBudget = options.overBudget(rowsRead, rowsFailed, rejections::topReasons);
        }
    }

    private WriteCounts writeCounts() {
        return new WriteCounts(options.dryRun(), rowsInserted, rowsUpdated, rowsUnchanged, rowsDropped, mirrored);
    }

    /** What the job answers: the counts, how the file was read, the columns it ignored, how long it took. */
    Map<String, Object> response(Map<String, Long> deadLettersByRule) {
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
        writeCounts().putInto(response);
        if (partition != null) {
            response.put("partition", Map.of("parent", partition.parent().toString(), "index", partition.index(),
                    "of", partition.of(), "first_row", partition.firstRow(), "byte_start", partition.byteStart(),
                    "byte_end", partition.byteEnd()));
        }
        if (resumedMidway()) {
            response.put("resumed_at_row", rowsBefore() + resumedFrom.rowsRead() + 1);
            response.put(dialect.resumesByRange() ? "resumed_at_byte" : dialect.fileFormat().formatName().equals("xlsx")
                    ? "resumed_at_sheet_row" : "resumed_at_text_byte", resumedFrom.byteOffset());
            if (!dialect.resumesByRange()) {
                response.put("resumed_by", "reading the object again from its first byte and skipping to the checkpoint, "
                        + "as a " + (dialect.gzip() ? "gzip stream" : dialect.format() + " file") + " cannot be entered in the middle");
            }
        }
        if (partitioned != null) {
            response.put("partitions", partitionsDescribed);
            if (partitioned.scanNanos() != null) {
                double seconds = partitioned.scanNanos() / 1e9;
                response.put("boundary_scan", Map.of("bytes", partitioned.scannedBytes(), "seconds", Math.round(seconds * 1000) / 1000.0,
                        "mb_per_second", Math.round(partitioned.scannedBytes() / 1e6 / Math.max(seconds, 1e-6))));
            }
            response.put("keys_in_several_partitions", sharedKeys);
            response.put("rows_written_again", rowsWrittenAgain);
        } else if (notPartitioned != null) {
            response.put("partitioning", notPartitioned);
        }
        response.put("read_as", dialect);
        // an import resumed at its last row read no header this attempt
        response.put("unknown_columns", mapping == null ? List.of() : mapping.unknownColumns());
        if (options.dryRun()) {
            response.put("missing_columns", mapping == null ? List.of() : mapping.missingColumns());
            response.put("dead_letters_by_reason", rejections.byReason());
            response.put("dead_letter_examples", rejections.examples());
        }
        response.put("dead_letters_by_rule", options.dryRun() ? rejections.byRule() : deadLettersByRule);
        response.put("duration_ms", (System.nanoTime() - startedNanos) / 1_000_000);
        return response;
    }

    /** The job's message: what it did, in a sentence a person reads. */
    String message() {
        StringBuilder message = new StringBuilder(options.dryRun()
                ? "Dry run: " + rowsImported + " of " + rowsRead + " rows would be imported into " + dataset.name() + ", nothing was written"
                : "Imported " + rowsImported + " of " + rowsRead + " rows into " + dataset.name());
        if (partitioned != null) {
            message.append(" in ").append(partitioned.partitions().size()).append(" partitions");
            if (sharedKeys > 0) {
                message.append(" (").append(sharedKeys).append(" keys were in more than one; their last rows in the file were "
                        + "written again)");
            }
        }
        if (rowsFailed > 0) {
            message.append("; ").append(rowsFailed).append(options.dryRun() ? " rows fail validation: " + rejections.topReasons()
                    : " rows failed validation and are in the dead letters");
        }
        writeCounts().describeInto(message);
        if (rowsDuplicate > 0) {
            message.append("; ").append(rowsDuplicate)
                    .append(" rows had the key of an earlier row of their batch, and the last of them won");
        }
        if (startedOver) {
            message.append("; started again at row 1, as the object was replaced since the checkpoint of an earlier attempt");
        }
        if (partition != null) {
            message.append(" as ").append(partition.described()).append(" of job ").append(partition.parent());
        }
        if (resumedMidway()) {
            message.append("; resumed at row ").append(rowsBefore() + resumedFrom.rowsRead() + 1).append(" (")
                    .append(position(resumedFrom.byteOffset())).append(") from the checkpoint of an earlier attempt");
        }
        if (mapping != null && !mapping.unknownColumns().isEmpty()) {
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
