package dev.dromedary.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.jobs.AllowedBuckets;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.JobHandedBack;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.StepFailure;
import dev.dromedary.observe.JobMetrics;
import dev.dromedary.sinks.FacetValues;
import dev.dromedary.sinks.IndexRefresh;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.commons.csv.CSVFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The steps of the insert_csv_file route that no component does: finding the object and the dataset,
 * reading the header, validating and typing rows through the dataset, and keeping the job's counts.
 * The state of one import travels with the exchange as the {@value #RUN} property.
 */
public final class CsvImport {

    public static final String RUN = "importRun";
    private static final String BATCH_STARTED = "batchStarted";
    /** The batch that direct:write-batch was given (set by its route). */
    private static final String WRITTEN_BATCH = "writtenBatch";
    private static final Logger LOG = LoggerFactory.getLogger(CsvImport.class);

    private final Datasets datasets;
    private final JobStore jobs;
    private final ImportedObjects importedObjects;
    private final S3Client s3;
    private final String defaultBucket;
    private final AllowedBuckets buckets;
    private final int maxRedeliveries;
    private final ObjectMapper json;
    private final BooleanSupplier stopping;
    private final JobMetrics batches;
    private final IndexRefresh indexRefresh;
    private final RecordLimits limits;

    /**
     * {@code maxRedeliveries} is the error handler's: a batch reaches the dead letters once they are spent;
     * {@code stopping} says when the instance is stopping, so that the import is handed back at a checkpoint.
     */
    public CsvImport(Datasets datasets, JobStore jobs, ImportedObjects importedObjects, S3Client s3,
                     String defaultBucket, AllowedBuckets buckets, int maxRedeliveries, ObjectMapper json, BooleanSupplier stopping,
                     JobMetrics batches, IndexRefresh indexRefresh, RecordLimits limits) {
        this.datasets = datasets;
        this.jobs = jobs;
        this.importedObjects = importedObjects;
        this.s3 = s3;
        this.defaultBucket = defaultBucket;
        this.buckets = buckets;
        this.maxRedeliveries = maxRedeliveries;
        this.json = json;
        this.stopping = stopping;
        this.batches = batches;
        this.indexRefresh = indexRefresh;
        this.limits = limits;
    }

    /**
     * Reads the job data, checks that the object exists, and sets the S3 headers for getting it: from its
     * first byte, or from the job's checkpoint when it was taken in this very object.
     */
    public void begin(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        Map<?, ?> data = exchange.getMessage().getMandatoryBody(Map.class);
        String key = text(data, "s3_key");
        if (key == null) {
            throw new ImportRejected("job_data.s3_key is required: the key of the CSV object to import");
        }
        String bucket = text(data, "s3_bucket") == null ? defaultBucket : text(data, "s3_bucket");
        if (!buckets.allows(bucket)) {
            throw new ImportRejected("ERR_BUCKET_NOT_ALLOWED: " + buckets.refusal(bucket));
        }
        String datasetName = text(data, "service") == null ? "contact" : text(data, "service");
        Dataset dataset;
        try {
            dataset = datasets.get(datasetName);
        } catch (IllegalArgumentException e) {
            throw new ImportRejected("job_data.service: " + e.getMessage());
        }
        HeadObjectResponse object;
        try {
            object = s3.headObject(head -> head.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new ImportRejected("there is no object s3://" + bucket + "/" + key);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ImportRejected("there is no object s3://" + bucket + "/" + key + " (or no bucket " + bucket + ")");
            }
            throw e;
        }
        String jobUuid = exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class);
        ImportRun run = new ImportRun(jobUuid, exchange.getMessage().getHeader(JobExecution.JOB_ATTEMPT, 1, Integer.class),
                dataset, bucket, key, object.contentLength(), object.eTag());
        // taken before the check for an earlier import: a job that ends between the two cannot be missed by both
        run.importedNowBy = importedObjects.takeForImport(bucket, key, run.etag, dataset.name(), UUID.fromString(jobUuid))
                .orElse(null);
        if (run.importedNowBy == null && !Boolean.TRUE.equals(data.get("force"))) {
            run.importedBefore = importedObjects.find(bucket, key, run.etag, dataset.name()).orElse(null);
        }
        exchange.getMessage().setHeader("ResumeAfterRow", 0L);
        JsonNode saved = exchange.getMessage().getHeader(JobExecution.JOB_CHECKPOINT, JsonNode.class);
        if (saved != null && run.importedBefore == null && run.importedNowBy == null) {
            Checkpoint checkpoint = json.treeToValue(saved, Checkpoint.class);
            if (checkpoint.fits(dataset.name(), run.etag)) {
                run.resumeFrom(checkpoint, HeaderMapping.of(dataset, checkpoint.header(), bucket, key));
                exchange.getMessage().setHeader("ResumeAfterRow", checkpoint.rowsRead());
                LOG.info("Job {} resumes s3://{}/{} at row {}, byte {} of {}, from its checkpoint", jobUuid, bucket,
                        key, checkpoint.rowsRead() + 1, checkpoint.byteOffset(), run.bytesTotal);
            } else {
                LOG.info("Job {} starts s3://{}/{} at row 1: its checkpoint was taken in another version of the object "
                        + "(ETag {}, now {})", jobUuid, bucket, key, checkpoint.etag(), run.etag);
                run.startedOver = true;
            }
        }
        exchange.setProperty(RUN, run);
        FacetValues.startJob(exchange);
        exchange.getMessage().setHeader("CamelAwsS3BucketName", bucket);
        exchange.getMessage().setHeader("CamelAwsS3Key", key);
    }

    /**
     * The ranged GET of the bytes after the checkpoint, if the object is still the version the checkpoint was
     * taken in. A request object: Camel's getObjectRange reads no If-Match header.
     */
    public GetObjectRequest rangeAfterCheckpoint(Exchange exchange) {
        ImportRun run = run(exchange);
        return GetObjectRequest.builder().bucket(run.bucket).key(run.key).ifMatch(run.etag)
                .range("bytes=" + run.resumedFrom.byteOffset() + "-" + (run.bytesTotal - 1)).build();
    }

    /**
     * The object was replaced between its checkpoint and the ranged GET: the import forgets the checkpoint and
     * reads the version there now from row 1.
     */
    public void startOver(Exchange exchange) {
        ImportRun stale = run(exchange);
        HeadObjectResponse object = s3.headObject(head -> head.bucket(stale.bucket).key(stale.key));
        LOG.info("Job {} starts s3://{}/{} at row 1: the object was replaced since its checkpoint (ETag {}, now {})",
                stale.jobUuid, stale.bucket, stale.key, stale.etag, object.eTag());
        ImportRun run = new ImportRun(stale.jobUuid, stale.attempt, stale.dataset, stale.bucket, stale.key,
                object.contentLength(), object.eTag());
        run.startedOver = true;
        exchange.setProperty(RUN, run);
        exchange.getMessage().setHeader("ResumeAfterRow", 0L);
    }

    /** Pauses the refreshes of the dataset's index while this import writes to it. */
    public void pauseRefresh(Exchange exchange) throws IOException {
        indexRefresh.importBegins(run(exchange).dataset.index());
    }

    /** After the import, however it ended: the index refreshes again, and everything indexed is searchable. */
    public void resumeRefresh(Exchange exchange) {
        indexRefresh.importEnded(run(exchange).dataset.index());
    }

    /** Whether the import goes on from a checkpoint, in the bytes after it (if any are left). */
    public boolean isResuming(Exchange exchange) {
        return run(exchange).resumedFrom != null;
    }

    public boolean hasBytesLeft(Exchange exchange) {
        ImportRun run = run(exchange);
        return run.resumedFrom == null || run.resumedFrom.byteOffset() < run.bytesTotal;
    }

    /**
     * The rows of the object's bytes in the body, numbered and in batches: after the header, which is read
     * and mapped to the dataset first, or, on resuming, after the checkpoint. Closing them (as the splitter
     * does, also on failure) closes the object.
     */
    public Iterator<List<CsvRow>> batches(Exchange exchange) throws InvalidPayloadException {
        ImportRun run = run(exchange);
        InputStream bytes = exchange.getMessage().getMandatoryBody(InputStream.class);
        run.inFlight = new BatchesInFlight(run.dataset.key(), run.batches);
        if (run.resumedFrom != null) {
            long offset = run.resumedFrom.byteOffset();
            run.reader = new CsvRecordReader(bytes, offset, run.resumedFrom.rowsRead() + 1, limits);
            return new UntilStopping(run, new RecordBatches(run.reader, offset, limits));
        }
        run.reader = new CsvRecordReader(bytes, 0, 0, limits);
        if (!run.reader.hasNext()) {
            throw new ImportRejected("the file is empty: it has no header row");
        }
        CsvRow header = run.reader.next();
        if (header.unreadable() != null) {
            throw new ImportRejected("the header " + header.unreadable().substring("the row ".length()));
        }
        run.mapping = HeaderMapping.of(run.dataset, header.values(), run.bucket, run.key);
        return new UntilStopping(run, new RecordBatches(run.reader, header.end(), limits));
    }

    /**
     * Types each row of a batch through the dataset (a row that does not fit is rejected with its reason),
     * then waits until no earlier batch that holds one of its keys is still being written.
     */
    public RowBatch validate(Exchange exchange) throws InvalidPayloadException, InterruptedException {
        ImportRun run = run(exchange);
        try {
            @SuppressWarnings("unchecked")
            List<CsvRow> source = exchange.getMessage().getMandatoryBody(List.class);
            exchange.setProperty(BATCH_STARTED, System.nanoTime());
            int number = run.batchesBefore() + exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class) + 1;
            RowBatch batch = run.mapping.batch(run.jobUuid, number, source);
            run.inFlight.enter(batch);
            return batch;
        } catch (InvalidPayloadException | InterruptedException | RuntimeException e) {
            run.inFlight.abandon();
            throw e;
        }
    }

    /**
     * After every sink has committed a batch: counts it and, once every batch before it has committed too,
     * writes the job's progress with the checkpoint after the last batch of that committed prefix.
     */
    public void recordBatch(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        ImportRun run = run(exchange);
        RowBatch batch = exchange.getMessage().getMandatoryBody(RowBatch.class);
        String dataset = run.dataset.name();
        batches.rowsWritten("postgresql", dataset, batch.rows().size());
        batches.rowsWritten("elasticsearch", dataset, batch.rows().size());
        batches.rowsWritten("dead_letters", dataset, batch.rejected().size());
        Long started = exchange.getProperty(BATCH_STARTED, Long.class);
        if (started != null) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            batches.batchTook(dataset, took);
            LOG.debug("Batch {} (rows {}-{}) committed in {} ms: {} rows, {} rejected", batch.number(), batch.firstRow(),
                    batch.lastRow(), took.toMillis(), batch.rows().size(), batch.rejected().size());
        }
        // one writer at a time, so that a checkpoint is never followed by an earlier one
        synchronized (run) {
            List<BatchesInFlight.Committed> prefix = run.inFlight.committed(batch);
            if (prefix.isEmpty()) {
                return;
            }
            for (BatchesInFlight.Committed committed : prefix) {
                run.batches = committed.number();
                run.rowsRead += committed.rowsRead();
                run.rowsImported += committed.rowsImported();
                run.rowsFailed += committed.rowsFailed();
                run.rowsDuplicate += committed.rowsDuplicate();
            }
            BatchesInFlight.Committed last = prefix.get(prefix.size() - 1);
            run.checkpointOffset = last.endOffset();
            Checkpoint checkpoint = new Checkpoint(dataset, run.etag, run.mapping.header(), last.endOffset(), run.batches,
                    run.rowsRead, run.rowsImported, run.rowsFailed, run.rowsDuplicate,
                    run.resumedFrom == null ? 0 : run.resumedFrom.rowsRead(), run.resumedFrom == null ? 0 : run.resumedFrom.byteOffset());
            if (!jobs.recordProgress(UUID.fromString(run.jobUuid), run.attempt, run.rowsRead, run.rowsImported, run.rowsFailed,
                    last.endOffset(), run.bytesTotal, json.writeValueAsString(checkpoint))) {
                throw new ImportRejected("the job was cancelled or taken over after row " + last.lastRow());
            }
        }
    }

    /**
     * After the last batch: when the rows stopped because the instance is stopping, hands the job back at
     * its checkpoint, which every batch read has reached by now.
     */
    public void handBackIfStopped(Exchange exchange) {
        ImportRun run = run(exchange);
        if (run.stoppedEarly) {
            throw new JobHandedBack("at its checkpoint after row " + run.rowsRead + " (byte " + run.checkpointOffset
                    + " of " + run.bytesTotal + ")");
        }
    }

    /**
     * Whether the object is to be imported: it was not, unchanged, before (or the job forces it), and no other
     * job imports it now.
     */
    public boolean isNewObject(Exchange exchange) {
        return run(exchange).importedBefore == null && run(exchange).importedNowBy == null;
    }

    /** Remembers the object as imported, so that an unchanged one is not imported again. */
    public void recordImported(Exchange exchange) {
        ImportRun run = run(exchange);
        importedObjects.record(run.bucket, run.key, run.etag, run.dataset.name(), UUID.fromString(run.jobUuid),
                run.rowsImported);
    }

    /** What the job's response says: the counts, the columns it ignored, how long it took. */
    public void finish(Exchange exchange) {
        ImportRun run = run(exchange);
        if (run.importedNowBy != null) {
            exchange.setVariable(JobExecution.RESPONSE, Map.of("dataset", run.dataset.name(), "s3_bucket", run.bucket,
                    "s3_key", run.key, "being_imported_by", run.importedNowBy.jobUuid().toString()));
            exchange.setVariable(JobExecution.MESSAGE, "s3://" + run.bucket + "/" + run.key + " (ETag " + run.etag
                    + ") is being imported into " + run.dataset.name() + " by job " + run.importedNowBy.jobUuid()
                    + ", which started at " + run.importedNowBy.importedAt().toInstant()
                    + "; this job defers to it and imports nothing");
            return;
        }
        if (run.importedBefore != null) {
            exchange.setVariable(JobExecution.RESPONSE, Map.of("dataset", run.dataset.name(), "s3_bucket", run.bucket,
                    "s3_key", run.key, "already_imported_by", run.importedBefore.jobUuid().toString()));
            exchange.setVariable(JobExecution.MESSAGE, "s3://" + run.bucket + "/" + run.key + " was imported into "
                    + run.dataset.name() + " unchanged (ETag " + run.etag + ") by job " + run.importedBefore.jobUuid()
                    + " at " + run.importedBefore.importedAt().toInstant() + "; set job_data.force to true to import it again");
            return;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("dataset", run.dataset.name());
        response.put("s3_bucket", run.bucket);
        response.put("s3_key", run.key);
        response.put("rows_read", run.rowsRead);
        response.put("rows_imported", run.rowsImported);
        response.put("rows_failed", run.rowsFailed);
        response.put("rows_duplicate", run.rowsDuplicate);
        if (run.resumedFrom != null) {
            response.put("resumed_at_row", run.resumedFrom.rowsRead() + 1);
            response.put("resumed_at_byte", run.resumedFrom.byteOffset());
        }
        response.put("unknown_columns", run.mapping.unknownColumns());
        response.put("duration_ms", (System.nanoTime() - run.startedNanos) / 1_000_000);
        exchange.setVariable(JobExecution.RESPONSE, response);

        StringBuilder message = new StringBuilder("Imported " + run.rowsImported + " of " + run.rowsRead + " rows into "
                + run.dataset.name());
        if (run.rowsFailed > 0) {
            message.append("; ").append(run.rowsFailed).append(" rows failed validation and are in the dead letters");
        }
        if (run.rowsDuplicate > 0) {
            message.append("; ").append(run.rowsDuplicate)
                    .append(" rows had the key of an earlier row of their batch, and the last of them won");
        }
        if (run.startedOver) {
            message.append("; started again at row 1, as the object was replaced since the checkpoint of an earlier attempt");
        }
        if (run.resumedFrom != null) {
            message.append("; resumed at row ").append(run.resumedFrom.rowsRead() + 1).append(" (byte ")
                    .append(run.resumedFrom.byteOffset()).append(") from the checkpoint of an earlier attempt");
        }
        if (!run.mapping.unknownColumns().isEmpty()) {
            message.append("; ignored columns that ").append(run.dataset.name()).append(" does not have: ")
                    .append(String.join(", ", run.mapping.unknownColumns()));
        }
        exchange.setVariable(JobExecution.MESSAGE, message.toString());
    }

    /** The rows of a batch that failed after its redeliveries, as dead letters, and why it failed. */
    public List<Map<String, Object>> failedBatch(Exchange exchange) {
        ImportRun run = run(exchange);
        if (run != null && run.inFlight != null) {
            run.inFlight.abandon();
        }
        RowBatch batch = exchange.getProperty(WRITTEN_BATCH, RowBatch.class);
        String error = describeFailure(exchange, batch);
        exchange.setProperty("importFailure", error);
        if (batch == null) {
            return List.of();
        }
        List<Map<String, Object>> deadLetters = new ArrayList<>();
        for (CsvRow row : batch.source()) {
            deadLetters.add(DeadLetterRows.row(batch, row.number(), asCsv(row.values()), error));
        }
        return deadLetters;
    }

    /** Fails the job once the failed batch is recorded. */
    public void stop(Exchange exchange) {
        throw new ImportFailed(exchange.getProperty("importFailure", String.class));
    }

    private String describeFailure(Exchange exchange, RowBatch batch) {
        String what = batch == null ? "the import" : "batch " + batch.number() + " (rows " + batch.firstRow() + "-"
                + batch.lastRow() + ")";
        return what + " failed after " + maxRedeliveries + " redeliveries: " + StepFailure.describe(exchange);
    }

    /** A row's values as one line of CSV, as a text column can hold it. */
    static String asCsv(List<String> values) {
        return FileText.storable(CSVFormat.DEFAULT.format(values.toArray()));
    }

    private static String text(Map<?, ?> data, String field) {
        Object value = data.get(field);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    /** The batches of the object until the instance stops: then the import ends at the last batch read. */
    private final class UntilStopping implements Iterator<List<CsvRow>>, Closeable {

        private final ImportRun run;
        private final RecordBatches batches;

        UntilStopping(ImportRun run, RecordBatches batches) {
            this.run = run;
            this.batches = batches;
        }

        @Override
        public boolean hasNext() {
            if (stopping.getAsBoolean()) {
                run.stoppedEarly = batches.hasNext();
                return false;
            }
            return batches.hasNext();
        }

        @Override
        public List<CsvRow> next() {
            return batches.next();
        }

        @Override
        public void close() throws IOException {
            batches.close();
        }
    }

    private static ImportRun run(Exchange exchange) {
        return exchange.getProperty(RUN, ImportRun.class);
    }
}
