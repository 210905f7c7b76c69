package dev.dromedary.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.formats.FileSources;
import dev.dromedary.jobs.AllowedBuckets;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.observe.ImportStage;
import dev.dromedary.observe.JobMetrics;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import dev.dromedary.sinks.ChangeDetection;
import dev.dromedary.sinks.DeadLetterRows;
import dev.dromedary.sinks.FacetValues;
import dev.dromedary.sinks.IndexRefresh;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.commons.io.input.BoundedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The steps of the insert_csv_file route that no component does: finding the object and the dataset, opening
 * it as records of its format, validating and typing rows through the dataset, and committing the job's
 * counts and checkpoint. The state of one import travels with the exchange as the {@value #RUN} property.
 */
public final class FileImport {

    public static final String RUN = "importRun";
    private static final String BATCH_STARTED = "batchStarted";
    private static final Logger LOG = LoggerFactory.getLogger(FileImport.class);

    private final Datasets datasets;
    private final JobStore jobs;
    private final ImportedObjects importedObjects;
    private final S3Client s3;
    private final String defaultBucket;
    private final AllowedBuckets buckets;
    private final ObjectMapper json;
    private final BooleanSupplier stopping;
    private final JobMetrics batches;
    private final IndexRefresh indexRefresh;
    private final RecordLimits limits;
    private final PartitionKeys partitionKeys;

    /** {@code stopping} says when the instance is stopping, so that the import is handed back at a checkpoint. */
    public FileImport(Datasets datasets, JobStore jobs, ImportedObjects importedObjects, S3Client s3, String defaultBucket,
                      AllowedBuckets buckets, ObjectMapper json, BooleanSupplier stopping, JobMetrics batches,
                      IndexRefresh indexRefresh, RecordLimits limits, PartitionKeys partitionKeys) {
        this.datasets = datasets;
        this.jobs = jobs;
        this.importedObjects = importedObjects;
        this.s3 = s3;
        this.defaultBucket = defaultBucket;
        this.buckets = buckets;
        this.json = json;
        this.stopping = stopping;
        this.batches = batches;
        this.indexRefresh = indexRefresh;
        this.limits = limits;
        this.partitionKeys = partitionKeys;
    }

    /**
     * Reads the job data, checks that the object exists, and finds where the import begins: at the object's
     * first byte, or at the job's checkpoint when it was taken in this very object.
     */
    public void begin(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        Map<?, ?> data = exchange.getMessage().getMandatoryBody(Map.class);
        String key = text(data, "s3_key");
        if (key == null) {
            throw new ImportRejected("job_data.s3_key is required: the key of the object to import");
        }
        String bucket = text(data, "s3_bucket") == null ? defaultBucket : text(data, "s3_bucket");
        if (!buckets.allows(bucket)) {
            throw new ImportRejected("ERR_BUCKET_NOT_ALLOWED: " + buckets.refusal(bucket));
        }
        ImportOptions options;
        try {
            options = ImportOptions.of(data);
        } catch (IllegalArgumentException e) {
            throw new ImportRejected(e.getMessage());
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
                dataset, bucket, key, object.contentLength(), object.eTag(), object.contentEncoding(), options);
        if (data.get("partition") != null) {
            beginPartition(exchange, run, json.convertValue(data.get("partition"), Partition.class));
            return;
        }
        if (!options.dryRun()) {
            // taken before the check for an earlier import: a job that ends between the two cannot be missed by both
            run.importedNowBy = importedObjects.takeForImport(bucket, key, run.etag, dataset.name(), UUID.fromString(jobUuid))
                    .orElse(null);
            if (run.importedNowBy == null && !Boolean.TRUE.equals(data.get("force"))) {
                run.importedBefore = importedObjects.find(bucket, key, run.etag, dataset.name()).orElse(null);
            }
        }
        exchange.getMessage().setHeader("ResumeAfterRow", 0L);
        JsonNode saved = exchange.getMessage().getHeader(JobExecution.JOB_CHECKPOINT, JsonNode.class);
        if (saved != null && run.importedBefore == null && run.importedNowBy == null) {
            Checkpoint checkpoint = json.treeToValue(saved, Checkpoint.class);
            if (checkpoint.fits(dataset.name(), run.etag)) {
                run.resumeFrom(checkpoint);
                exchange.getMessage().setHeader("ResumeAfterRow", checkpoint.rowsRead());
                LOG.info("Job {} resumes s3://{}/{} at row {}, {}, from its checkpoint", jobUuid, bucket, key,
                        checkpoint.rowsRead() + 1, run.checkpointDescribed());
            } else {
                LOG.info("Job {} starts s3://{}/{} at row 1: its checkpoint was taken in another version of the object "
                        + "(ETag {}, now {})", jobUuid, bucket, key, checkpoint.etag(), run.etag);
                run.startedOver = true;
            }
        }
        exchange.setProperty(RUN, run);
        FacetValues.startJob(exchange);
    }

    /**
     * A partition of a larger import goes on from its own checkpoint, or starts at its first byte: always a ranged
     * read of the version of the object that was cut (the parent took the object's import for itself).
     */
    private void beginPartition(Exchange exchange, ImportRun run, Partition partition) throws JsonProcessingException {
        if (!partition.etag().equals(run.etag)) {
            throw new ImportRejected("s3://" + run.bucket + "/" + run.key + " was replaced (ETag " + run.etag + ") since job "
                    + partition.parent() + " cut it into partitions (ETag " + partition.etag() + "); a retry of that job imports the new one");
        }
        run.partition = partition;
        Checkpoint from = partition.start(run.dataset.name());
        JsonNode saved = exchange.getMessage().getHeader(JobExecution.JOB_CHECKPOINT, JsonNode.class);
        if (saved != null) {
            Checkpoint checkpoint = json.treeToValue(saved, Checkpoint.class);
            if (checkpoint.fits(run.dataset.name(), run.etag)) {
                from = checkpoint;
            }
        }
        run.resumeFrom(from);
        exchange.getMessage().setHeader("ResumeAfterRow", run.rowsBefore() + from.rowsRead());
        LOG.info("Job {} imports {} of s3://{}/{}{}", run.jobUuid, partition.described(), run.bucket, run.key,
                run.resumedMidway() ? ", resuming at row " + (run.rowsBefore() + from.rowsRead() + 1) : "");
        exchange.setProperty(RUN, run);
        FacetValues.startJob(exchange);
    }

    /**
     * The ranged GET of the bytes after the checkpoint (up to the partition's end, for a partition), if the object
     * is still the version the checkpoint was taken in. A request object: Camel's getObjectRange reads no If-Match header.
     */
    public GetObjectRequest rangeAfterCheckpoint(Exchange exchange) {
        ImportRun run = run(exchange);
        return GetObjectRequest.builder().bucket(run.bucket).key(run.key).ifMatch(run.etag)
                .range("bytes=" + run.resumedFrom.byteOffset() + "-" + (run.rangeEnd() - 1)).build();
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
                object.contentLength(), object.eTag(), object.contentEncoding(), stale.options);
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

    /**
     * The rows of the object's stream in the body, numbered and in batches: opened as its format says after
     * the header, which is mapped to the dataset first, or, on resuming, after the checkpoint. Closing them
     * (as the splitter does, also on failure) closes the object.
     */
    public Iterator<List<SourceRow>> batches(Exchange exchange) throws InvalidPayloadException {
        ImportRun run = run(exchange);
        try {
            // unbounded: it only counts the object's bytes read, for the progress of a gzipped import
            run.objectRead = BoundedInputStream.builder()
                    .setInputStream(S3Body.checked(exchange.getMessage().getMandatoryBody(InputStream.class))).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run.inFlight = new BatchesInFlight(run.dataset.key(), run.batches);
        long firstPosition = 0;
        if (run.resumedFrom != null) {
            firstPosition = run.resumedFrom.byteOffset();
            run.records = FileSources.resume(run.objectRead, run.dialect, run.resumedFrom.header(), firstPosition,
                    run.rowsBefore() + run.resumedFrom.rowsRead() + 1, limits);
        } else {
            FileSources.Opened opened = FileSources.start(run.objectRead, run.key, "gzip".equalsIgnoreCase(run.contentEncoding),
                    run.options.read(), limits);
            run.records = opened.records();
            run.dialect = opened.dialect();
        }
        try {
            run.mapping = HeaderMapping.of(run.dataset, run.records.header(), run.records.headerGrows(),
                    run.options.read().columnMap(), run.options.read().nullValues(), run.bucket, run.key)
                    .withRules(HeaderMapping.jobRules(run.options, run.dataset), run.batchesBefore() + 1);
        } catch (RuntimeException e) {
            close(run);
            // nothing is to read the closed stream again, not even the stream cache of the route that called this one
            exchange.getMessage().setBody(null);
            throw e;
        }
        // the import ends at the last batch read once its instance stops or its bad rows are over budget
        return new BatchesUntilStopped(new RecordBatches(run.records, firstPosition, limits),
                () -> stopping.getAsBoolean() || run.overBudget() != null,
                () -> run.stoppedEarly = run.overBudget() == null, UnaryOperator.identity());
    }

    /**
     * Types each row of a batch through the dataset (a row that does not fit is rejected with its reason),
     * then waits until no earlier batch that holds one of its keys is still being written.
     */
    public RowBatch validate(Exchange exchange) throws InvalidPayloadException, InterruptedException {
        ImportRun run = run(exchange);
        try {
            @SuppressWarnings("unchecked")
            List<SourceRow> source = exchange.getMessage().getMandatoryBody(List.class);
            exchange.setProperty(BATCH_STARTED, System.nanoTime());
            int number = run.batchesBefore() + exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class) + 1;
            exchange.setProperty(ChangeDetection.REWRITE_ALL, run.rewritesAll());
            exchange.setProperty(MirrorImport.MIRROR, run.mirror());
            long mapping = System.nanoTime();
            RowBatch batch = run.mapping.batch(run.jobUuid, number, source);
            ImportStage.MAP.since(mapping);
            run.inFlight.enter(batch);
            return batch;
        } catch (InvalidPayloadException | InterruptedException | RuntimeException e) {
            run.inFlight.abandon();
            throw e;
        }
    }

    /**
     * After every sink has committed a batch (in a dry run: once it is checked): counts it and, once every
     * batch before it has committed too, writes the job's progress with the checkpoint the run moved to.
     */
    public void recordBatch(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        ImportRun run = run(exchange);
        RowBatch batch = exchange.getMessage().getMandatoryBody(RowBatch.class);
        String dataset = run.dataset.name();
        if (!run.dryRun()) {
            batches.rowsWritten("postgresql", dataset, batch.rows().size());
            batches.rowsWritten("elasticsearch", dataset, batch.rows().size());
            batches.rowsWritten("dead_letters", dataset, batch.rejected().size());
            int inserted = batch.inserted();
            batches.rowsCompared(dataset, inserted, batch.rows().size() - inserted, batch.unchanged());
        }
        Long started = exchange.getProperty(BATCH_STARTED, Long.class);
        if (started != null) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            batches.batchTook(dataset, took);
            LOG.debug("Batch {} (rows {}-{}) committed in {} ms: {} rows, {} rejected", batch.number(), batch.firstRow(),
                    batch.lastRow(), took.toMillis(), batch.rows().size(), batch.rejected().size());
        }
        long checkpointing = System.nanoTime();
        recordCheckpoint(run, batch);
        ImportStage.CHECKPOINT.since(checkpointing);
    }

    private void recordCheckpoint(ImportRun run, RowBatch batch) throws JsonProcessingException {
        if (run.partition != null && !run.dryRun()) {
            // before the batch counts as committed: a checkpoint never passes a batch whose keys are not recorded
            partitionKeys.record(run.partition, run.dataset, batch.rows());
        }
        synchronized (run) {
            Checkpoint checkpoint = run.commit(batch);
            if (checkpoint != null && !jobs.recordProgress(UUID.fromString(run.jobUuid), run.attempt, run.rowsRead,
                    run.rowsImported, run.rowsFailed, run.bytesRead(), run.progressTotal(), json.writeValueAsString(checkpoint))) {
                throw new ImportRejected("the job was cancelled or taken over after row " + checkpoint.rowsRead());
            }
        }
    }

    /** The import gives up (a batch failed for good, a row or the budget stopped it): nothing waits on its batches. */
    public void abandon(Exchange exchange) {
        ImportRun run = run(exchange);
        if (run != null && run.inFlight != null) {
            run.inFlight.abandon();
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

    /** What the job's response says: the counts, how the file was read, the columns it ignored, how long it took. */
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
        exchange.setVariable(JobExecution.RESPONSE, run.response(deadLettersByRule(exchange)));
        exchange.setVariable(JobExecution.MESSAGE, run.message());
    }

    /** What routes/*.camel.yaml read with sql/dead-letters/count-by-rule.sql into the variable deadLettersByRule. */
    @SuppressWarnings("unchecked")
    static Map<String, Long> deadLettersByRule(Exchange exchange) {
        return DeadLetterRows.countsByRule(exchange.getVariable("deadLettersByRule", List.class));
    }

    private static String text(Map<?, ?> data, String field) {
        Object value = data.get(field);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private static void close(ImportRun run) {
        try {
            run.records.close();
        } catch (IOException e) {
            LOG.debug("Closing s3://{}/{} failed", run.bucket, run.key, e);
        }
    }

    private static ImportRun run(Exchange exchange) {
        return exchange.getProperty(RUN, ImportRun.class);
    }
}
