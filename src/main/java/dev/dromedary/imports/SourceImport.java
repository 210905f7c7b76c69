package dev.dromedary.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.formats.RecordSource;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.observe.JobMetrics;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import dev.dromedary.sinks.ChangeDetection;
import dev.dromedary.sinks.FacetValues;
import java.io.IOException;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of every job type that lands rows from a source other than an object in S3 (ingest_database,
 * ingest_http_api): the job's source opens a {@link SourceRun} here, and routes/source-batches.camel.yaml sends its
 * rows in batches through the same validation, sink pipeline, dead letters, progress and checkpoints as a
 * file's. The run travels with the exchange as the {@value #RUN} property.
 */
public final class SourceImport {

    public static final String RUN = "sourceRun";
    private static final String BATCH_STARTED = "batchStarted";
    private static final Logger LOG = LoggerFactory.getLogger(SourceImport.class);

    private final Datasets datasets;
    private final JobStore jobs;
    private final ObjectMapper json;
    private final BooleanSupplier stopping;
    private final JobMetrics metrics;
    private final RecordLimits limits;

    public SourceImport(Datasets datasets, JobStore jobs, ObjectMapper json, BooleanSupplier stopping, JobMetrics metrics,
                        RecordLimits limits) {
        this.datasets = datasets;
        this.jobs = jobs;
        this.json = json;
        this.stopping = stopping;
        this.metrics = metrics;
        this.limits = limits;
    }

    /** The dataset a job names as {@code job_data.service}; ImportRejected when there is none of that name. */
    public Dataset dataset(Map<?, ?> data) {
        Object name = data.get("service");
        if (name == null || name.toString().isBlank()) {
            throw new ImportRejected("job_data.service is required: the dataset the rows land in");
        }
        try {
            return datasets.get(name.toString());
        } catch (IllegalArgumentException e) {
            throw new ImportRejected("job_data.service: " + e.getMessage());
        }
    }

    /**
     * Begins the run of the job on the exchange: from its checkpoint when it has one taken from the same source
     * into the same dataset and {@code resumeAfter} can resume (it says where the source goes on after a row,
     * or is null for a source that resumes only where the job says so, {@link #resumeAt}).
     */
    public SourceRun begin(Exchange exchange, Dataset dataset, String source, boolean resumable,
                           Function<SourceRow, JsonNode> resumeAfter) throws JsonProcessingException {
        Map<?, ?> data = exchange.getMessage().getBody(Map.class);
        ImportOptions options;
        try {
            options = ImportOptions.of(data);
        } catch (IllegalArgumentException e) {
            throw new ImportRejected(e.getMessage());
        }
        String jobUuid = exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class);
        int attempt = exchange.getMessage().getHeader(JobExecution.JOB_ATTEMPT, 1, Integer.class);
        SourceCheckpoint resumed = null;
        JsonNode saved = exchange.getMessage().getHeader(JobExecution.JOB_CHECKPOINT, JsonNode.class);
        if (saved != null && resumable && saved.has("resume_at")) {
            SourceCheckpoint checkpoint = json.treeToValue(saved, SourceCheckpoint.class);
            if (checkpoint.dataset().equals(dataset.name()) && checkpoint.source().equals(source)) {
                resumed = checkpoint;
                LOG.info("Job {} resumes {} at row {} from its checkpoint ({})", jobUuid, source, checkpoint.rowsRead() + 1,
                        checkpoint.resumeAt());
            }
        }
        SourceRun run = new SourceRun(jobUuid, attempt, dataset, source, options, resumeAfter, resumed);
        run.inFlight = new BatchesInFlight(dataset.key(), run.batches);
        exchange.setProperty(RUN, run);
        FacetValues.startJob(exchange);
        return run;
    }

    /**
     * The records of {@code records} in batches, in the body: their fields are mapped to the dataset first
     * (a header that grows, as JSON's does, is mapped as it grows). Closing them (as the splitter does, also on
     * failure) closes the source.
     */
    public Iterator<List<SourceRow>> batches(SourceRun run, RecordSource records) {
        run.records = records;
        if (run.mapping == null) {
            try {
                run.mapping = HeaderMapping.of(run.dataset, records.header(), records.headerGrows(),
                        run.options.read().columnMap(), run.options.read().nullValues(), "source", run.source)
                        .withRules(HeaderMapping.jobRules(run.options, run.dataset), run.batchesHandedOut + 1);
            } catch (RuntimeException e) {
                close(records);
                throw e;
            }
        }
        // the import ends at the last batch read once its instance stops or its bad rows are over budget
        return new BatchesUntilStopped(new RecordBatches(records, 0, limits),
                () -> stopping.getAsBoolean() || run.overBudget() != null,
                () -> run.stoppedEarly = run.overBudget() == null, batch -> numbered(run, batch));
    }

    /** Types a batch's rows through the dataset, then waits until no earlier batch holding one of its keys is in flight. */
    public RowBatch validate(Exchange exchange) throws InvalidPayloadException, InterruptedException {
        SourceRun run = run(exchange);
        try {
            NumberedBatch source = exchange.getMessage().getMandatoryBody(NumberedBatch.class);
            exchange.setProperty(BATCH_STARTED, System.nanoTime());
            exchange.setProperty(ChangeDetection.REWRITE_ALL, run.options.force());
            exchange.setProperty(MirrorImport.MIRROR, run.mirror());
            RowBatch batch = run.mapping.batch(run.jobUuid, source.number(), source.rows());
            run.inFlight.enter(batch);
            return batch;
        } catch (InvalidPayloadException | InterruptedException | RuntimeException e) {
            run.inFlight.abandon();
            throw e;
        }
    }

    /** After every sink committed a batch: counts it and writes the job's progress, with its checkpoint. */
    public void recordBatch(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        SourceRun run = run(exchange);
        RowBatch batch = exchange.getMessage().getMandatoryBody(RowBatch.class);
        String dataset = run.dataset.name();
        if (!run.dryRun()) {
            metrics.rowsWritten("postgresql", dataset, batch.rows().size());
            metrics.rowsWritten("elasticsearch", dataset, batch.rows().size());
            metrics.rowsWritten("dead_letters", dataset, batch.rejected().size());
            int inserted = batch.inserted();
            metrics.rowsCompared(dataset, inserted, batch.rows().size() - inserted, batch.unchanged());
        }
        Long started = exchange.getProperty(BATCH_STARTED, Long.class);
        if (started != null) {
            metrics.batchTook(dataset, java.time.Duration.ofNanos(System.nanoTime() - started));
        }
        synchronized (run) {
            if (run.commit(batch)) {
                saveProgress(run);
            }
        }
    }

    /** Every batch handed out so far has committed, and the source resumes at {@code position}: the checkpoint moves there. */
    public void resumeAt(SourceRun run, JsonNode position) throws JsonProcessingException {
        synchronized (run) {
            run.resumeAt(position);
            saveProgress(run);
        }
    }

    private void saveProgress(SourceRun run) throws JsonProcessingException {
        if (!jobs.recordProgress(UUID.fromString(run.jobUuid), run.attempt, run.rowsRead, run.rowsImported, run.rowsFailed,
                0, null, run.saved == null ? null : json.writeValueAsString(run.saved))) {
            throw new ImportRejected("the job was cancelled or taken over after row " + run.rowsRead);
        }
    }

    /** The import gives up: nothing waits on its batches any more. */
    public void abandon(Exchange exchange) {
        SourceRun run = run(exchange);
        if (run != null) {
            run.inFlight.abandon();
        }
    }

    /**
     * After the rows: too many bad rows fail the job (ImportRejected), an instance that stops hands it back at its
     * checkpoint (JobHandedBack), otherwise the job's response says what it did.
     */
    public void finish(Exchange exchange) {
        SourceRun run = run(exchange);
        if (run.overBudget() != null) {
            throw new ImportRejected(run.overBudget());
        }
        if (run.stoppedEarly()) {
            // the split has waited for every batch it handed out: the checkpoint is the one every batch read reached
            throw new dev.dromedary.jobs.JobHandedBack(run.checkpointDescribed());
        }
        exchange.setVariable(JobExecution.RESPONSE, run.response(FileImport.deadLettersByRule(exchange)));
        exchange.setVariable(JobExecution.MESSAGE, run.message());
    }

    private static void close(RecordSource records) {
        try {
            records.close();
        } catch (IOException e) {
            LOG.debug("Closing a source failed", e);
        }
    }

    /** A batch as the split hands it out: numbered among the job's batches, with where the source resumes after it. */
    private static NumberedBatch numbered(SourceRun run, List<SourceRow> batch) {
        run.batchesHandedOut++;
        run.rowsHandedOut += batch.size();
        if (run.resumeAfter != null) {
            JsonNode position = run.resumeAfter.apply(batch.get(batch.size() - 1));
            if (position != null) {
                run.resumeAfterBatch.put(run.batchesHandedOut, position);
            }
        }
        return new NumberedBatch(run.batchesHandedOut, batch);
    }

    /** A batch of the source's rows with its number among the job's batches. */
    static final class NumberedBatch extends AbstractList<SourceRow> {

        private final int number;
        private final List<SourceRow> rows;

        NumberedBatch(int number, List<SourceRow> rows) {
            this.number = number;
            this.rows = rows;
        }

        int number() {
            return number;
        }

        List<SourceRow> rows() {
            return rows;
        }

        @Override
        public SourceRow get(int index) {
            return rows.get(index);
        }

        @Override
        public int size() {
            return rows.size();
        }

        /** A batch is itself, not its rows: Camel keys caches by the body, and hashing every row costs dearly. */
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private static SourceRun run(Exchange exchange) {
        return exchange.getProperty(RUN, SourceRun.class);
    }
}
