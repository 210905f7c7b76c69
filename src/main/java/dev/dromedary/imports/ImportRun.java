package dev.dromedary.imports;

import dev.dromedary.datasets.Dataset;

/** What one import job knows as it goes: where it reads from, how the header maps to columns, its counts. */
public final class ImportRun {

    final String jobUuid;
    /** The job's attempt this run is: its writes count only while the job is still on it. */
    final int attempt;
    final Dataset dataset;
    final String bucket;
    final String key;
    final Long bytesTotal;
    final String etag;
    /** The earlier import of this unchanged object, when there was one and the job does not force another. */
    ImportedObjects.Import importedBefore;
    /** Another job that imports this very object now, which this one defers to. */
    ImportedObjects.Import importedNowBy;
    final long startedNanos = System.nanoTime();
    /** The records of the object as read so far. */
    CsvRecordReader reader;
    /** The batches being written at once, and the committed prefix of them. */
    BatchesInFlight inFlight;
    /** Whether the rows stopped before the object's end because the instance is stopping. */
    volatile boolean stoppedEarly;
    /** The byte offset of the checkpoint written last. */
    long checkpointOffset;
    /** How the file's header maps to the dataset, once it has been read. */
    HeaderMapping mapping;
    /** Whether an earlier attempt's checkpoint was set aside because the object was replaced since. */
    boolean startedOver;
    /** The checkpoint this import goes on from; null when it reads the object from its first byte. */
    Checkpoint resumedFrom;
    long rowsRead;
    long rowsImported;
    long rowsFailed;
    long rowsDuplicate;
    int batches;

    ImportRun(String jobUuid, int attempt, Dataset dataset, String bucket, String key, Long bytesTotal, String etag) {
        this.jobUuid = jobUuid;
        this.attempt = attempt;
        this.dataset = dataset;
        this.bucket = bucket;
        this.key = key;
        this.bytesTotal = bytesTotal;
        this.etag = etag;
    }

    /** The version of the object this import reads (its ETag), for the GET's If-Match. */
    public String etag() {
        return etag;
    }

    /** The batches of the checkpoint this import goes on from; the next batch read is numbered after them. */
    int batchesBefore() {
        return resumedFrom == null ? 0 : resumedFrom.batches();
    }

    void resumeFrom(Checkpoint checkpoint, HeaderMapping mapping) {
        this.resumedFrom = checkpoint;
        this.mapping = mapping;
        this.rowsRead = checkpoint.rowsRead();
        this.rowsImported = checkpoint.rowsImported();
        this.rowsFailed = checkpoint.rowsFailed();
        this.rowsDuplicate = checkpoint.rowsDuplicate();
        this.batches = checkpoint.batches();
        this.checkpointOffset = checkpoint.byteOffset();
    }
}
