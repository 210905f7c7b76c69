package dev.dromedary.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.formats.FileSources;
import dev.dromedary.formats.RecordBoundaries;
import dev.dromedary.formats.RecordSource;
import dev.dromedary.formats.UnreadableFile;
import dev.dromedary.jobs.Job;
import dev.dromedary.jobs.JobControls;
import dev.dromedary.jobs.JobHandedBack;
import dev.dromedary.jobs.JobStatus;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.NewJob;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import dev.dromedary.sinks.FacetValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * An import of an object larger than PARTITION_MIN_BYTES (or with {@code job_data.partitions}) cut into partitions
 * that any instance imports: one pass over the object finds the record boundaries nearest each share of it
 * ({@link RecordBoundaries}), the partitions' jobs are created in one transaction as the batch of this job's uuid,
 * and this job waits for them, importing its own partitions that no worker has taken meanwhile (so that it never
 * waits on a worker it holds), showing their summed progress. It completes when they all have, after writing again
 * from its last partition each key that several partitions hold; it fails when one fails for good, and a retry of
 * it retries only those. Java rather than routes: the wait is a loop over the table with its own deadline-free
 * polling, ended by the job's lease, timeout or cancel like any run.
 */
public final class PartitionedImport {

    /** The first bytes read to learn the file's dialect and header before it is cut. */
    static final int HEAD_BYTES = 1 << 20;
    private static final long POLL_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionedImport.class);

    private final JobStore jobs;
    private final S3Client s3;
    private final PartitionKeys keys;
    private final ObjectMapper json;
    private final BooleanSupplier stopping;
    private final long minBytes;
    private final int maxPartitions;
    private final RecordLimits limits;
    private volatile ProducerTemplate producer;

    /** How an import was cut: the partitions' jobs, and what the boundary scan took (null for a cut found made). */
    public record Plan(List<Job> partitions, Long scannedBytes, Long scanNanos) {
    }

    public PartitionedImport(JobStore jobs, S3Client s3, PartitionKeys keys, ObjectMapper json, BooleanSupplier stopping,
                             long minBytes, int maxPartitions, RecordLimits limits) {
        this.jobs = jobs;
        this.s3 = s3;
        this.keys = keys;
        this.json = json;
        this.stopping = stopping;
        this.minBytes = minBytes;
        this.maxPartitions = maxPartitions;
        this.limits = limits;
    }

    /**
     * Decides whether the import is cut, and cuts it: the partitions' jobs made by an earlier attempt, or new
     * ones. Only a delimited file read in its own bytes is cut; any other is imported whole, and says why.
     */
    public void plan(Exchange exchange) {
        ImportRun run = exchange.getProperty(FileImport.RUN, ImportRun.class);
        if (run.partition != null || run.dryRun()) {
            return;
        }
        UUID parent = UUID.fromString(run.jobUuid);
        List<Job> made = jobs.ofBatch(parent);
        if (!made.isEmpty()) {
            Partition first = partitionOf(made.get(0));
            run.dialect = first.dialect();
            run.mapping = mapping(run, first.header());
            run.partitioned = new Plan(made, null, null);
            return;
        }
        Integer asked = run.options.partitions();
        long parts = asked != null ? asked : Math.min(maxPartitions, (run.bytesTotal + minBytes - 1) / Math.max(1, minBytes));
        if (parts <= 1 || run.bytesTotal == 0) {
            return;
        }
        if (run.mirror()) {
            run.notPartitioned = "imported in one piece: a mirror deletes what its one run did not read";
            return;
        }
        byte[] head = range(run, 0, Math.min(HEAD_BYTES, run.bytesTotal));
        RecordBoundaries.Start start;
        try {
            start = RecordBoundaries.start(head, head.length == run.bytesTotal, run.key, run.options.read(), limits);
        } catch (UnreadableFile e) {
            if (head.length == run.bytesTotal) {
                throw e;
            }
            start = null;
        }
        if (start == null) {
            run.notPartitioned = "imported in one piece: only a delimited file that is not gzipped or UTF-16, with a header "
                    + "in its first " + HEAD_BYTES + " bytes, is cut into partitions";
            return;
        }
        run.dialect = start.dialect();
        run.mapping = mapping(run, start.header());
        long began = System.nanoTime();
        List<RecordBoundaries.Cut> cuts;
        try (InputStream rest = bytes(run, start.dataStart(), run.bytesTotal)) {
            cuts = RecordBoundaries.cuts(rest, start.dataStart(), run.bytesTotal, (int) parts, start.dialect());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long scanNanos = System.nanoTime() - began;
        if (cuts.size() <= 1) {
            run.notPartitioned = "imported in one piece: the file has too few records to cut";
            return;
        }
        Job parentJob = jobs.find(parent).orElseThrow();
        ObjectNode data = json.valueToTree(exchange.getMessage().getBody(Map.class));
        List<JobStore.BatchItem> items = new ArrayList<>();
        for (int i = 0; i < cuts.size(); i++) {
            long end = i + 1 < cuts.size() ? cuts.get(i + 1).offset() : run.bytesTotal;
            Partition partition = new Partition(parent, i, cuts.size(), cuts.get(i).offset(), end, cuts.get(i).firstRecord(),
                    run.etag, start.header(), start.dialect());
            ObjectNode partData = data.deepCopy();
            partData.remove(List.of("partitions", "force", "notify_url"));
            partData.set("partition", json.valueToTree(partition));
            // a partition is claimed before work that came after its parent
            int priority = parentJob.priority() == Integer.MAX_VALUE ? parentJob.priority() : parentJob.priority() + 1;
            items.add(new JobStore.BatchItem(null, new NewJob("insert_csv_file", partData, parentJob.retryCount(),
                    parentJob.retryInterval(), null, new JobControls(priority, parentJob.queue(), null, List.of()))));
        }
        List<Job> partitions = jobs.createPartitions(parent, items).jobs();
        run.partitioned = new Plan(partitions, run.bytesTotal - start.dataStart(), scanNanos);
        LOG.info("Job {} cut s3://{}/{} into {} partitions ({} MB scanned in {} ms)", run.jobUuid, run.bucket, run.key,
                partitions.size(), (run.bytesTotal - start.dataStart()) / 1_000_000, scanNanos / 1_000_000);
    }

    /**
     * Waits until every partition has completed, importing here those no worker has taken, and writes the job's
     * progress as their sum; then settles the keys several partitions hold and sums up their counts.
     */
    public void await(Exchange exchange) throws InterruptedException {
        ImportRun run = exchange.getProperty(FileImport.RUN, ImportRun.class);
        if (producer == null) {
            producer = exchange.getContext().createProducerTemplate();
        }
        UUID parent = UUID.fromString(run.jobUuid);
        for (Job partition : jobs.ofBatch(parent)) {
            if (partition.status() == JobStatus.FAILED && partition.runAfter() == null) {
                // an earlier attempt failed for this partition: this one retries it, and only it
                jobs.retryNow(partition.uuid());
            }
        }
        List<Job> partitions;
        while (true) {
            partitions = jobs.ofBatch(parent);
            long rowsRead = 0;
            long rowsWritten = 0;
            long rowsFailed = 0;
            long bytesRead = 0;
            boolean allCompleted = true;
            for (Job partition : partitions) {
                Partition part = partitionOf(partition);
                rowsRead += partition.progress().rowsRead();
                rowsWritten += partition.progress().rowsWritten();
                rowsFailed += partition.progress().rowsFailed();
                bytesRead += partition.status() == JobStatus.COMPLETED ? part.byteEnd() - part.byteStart()
                        : partition.progress().bytesRead();
                allCompleted &= partition.status() == JobStatus.COMPLETED;
                if (partition.status() == JobStatus.CANCELLED || (partition.status() == JobStatus.FAILED && partition.runAfter() == null)) {
                    throw new ImportRejected("ERR_PARTITION_FAILED: " + part.described() + " (job "
                            + partition.uuid() + ") " + (partition.status() == JobStatus.CANCELLED ? "was cancelled, so this import cannot complete"
                            : "failed: " + firstError(partition) + "; a retry of this job imports that partition again"));
                }
            }
            if (!jobs.recordProgress(parent, run.attempt, rowsRead, rowsWritten, rowsFailed, bytesRead, run.bytesTotal, null)) {
                boolean cancelled = jobs.find(parent).map(job -> job.status() == JobStatus.CANCELLED).orElse(true);
                if (cancelled) {
                    keys.forget(parent);
                    for (Job partition : partitions) {
                        // a finished partition stays as it is: cancelling it is refused
                        jobs.cancel(partition.uuid());
                    }
                }
                // timed out or taken over: the partitions go on, for the attempt that follows to wait for
                throw new ImportRejected(cancelled ? "the job was cancelled while its partitions ran; its partitions that had "
                        + "not finished are cancelled" : "the job was stopped (timed out or taken over) while its partitions ran");
            }
            if (allCompleted) {
                break;
            }
            if (stopping.getAsBoolean()) {
                throw new JobHandedBack("while its " + partitions.size() + " partitions are imported");
            }
            Optional<Job> here = jobs.claimOpenOf(parent);
            if (here.isPresent()) {
                // not on the run's own exchange: the partition is a job of its own, with its own headers and outcome;
                // the import's run records no progress meanwhile, and stays alive
                jobs.whileWaiting(parent, () -> producer.sendBody("direct:run-job", here.get()));
            } else {
                Thread.sleep(POLL_MILLIS);
            }
        }
        run.partitioned = new Plan(partitions, run.partitioned.scannedBytes(), run.partitioned.scanNanos());
        for (Job partition : partitions) {
            JsonNode response = partition.jobResponse();
            run.rowsRead += response.path("rows_read").asLong();
            run.rowsImported += response.path("rows_imported").asLong();
            run.rowsFailed += response.path("rows_failed").asLong();
            run.rowsDuplicate += response.path("rows_duplicate").asLong();
            run.rowsDropped += response.path("rows_dropped").asLong();
            run.rowsInserted += response.path("rows_inserted").asLong();
            run.rowsUpdated += response.path("rows_updated").asLong();
            run.rowsUnchanged += response.path("rows_unchanged").asLong();
        }
        settleSharedKeys(run, partitions);
        run.partitionsDescribed = described(run.partitioned, json);
    }

    /**
     * Writes again, from the last partition that holds it, each key that several partitions hold: partitions run
     * at once, so an earlier row of the key may have landed after the file's last one.
     */
    private void settleSharedKeys(ImportRun run, List<Job> partitions) {
        UUID parent = UUID.fromString(run.jobUuid);
        if (run.dataset.keyDerived()) {
            return;
        }
        Map<Integer, long[]> shared = keys.shared(parent);
        long sharedKeys = shared.values().stream().mapToLong(hashes -> hashes.length).sum();
        if (sharedKeys > PartitionKeys.MAX_SHARED) {
            throw new ImportRejected("ERR_TOO_MANY_SHARED_KEYS: more than " + PartitionKeys.MAX_SHARED + " keys are in more than "
                    + "one partition of the file; import it in one piece (job_data.partitions: 1)");
        }
        long written = 0;
        for (Map.Entry<Integer, long[]> part : shared.entrySet()) {
            Partition partition = partitionOf(partitions.get(part.getKey()));
            written += writeAgain(run, partition, part.getValue());
        }
        run.sharedKeys = sharedKeys;
        run.rowsWrittenAgain = written;
        keys.forget(parent);
        if (sharedKeys > 0) {
            LOG.info("Job {}: {} keys were in more than one partition; their last rows were written again ({} rows)",
                    run.jobUuid, sharedKeys, written);
        }
    }

    /** Reads the partition again and sends its rows of the given keys (hashes, sorted) through the sink pipeline. */
    private long writeAgain(ImportRun run, Partition partition, long[] hashes) {
        long written = 0;
        int number = 0;
        try (InputStream bytes = bytes(run, partition.byteStart(), partition.byteEnd());
             RecordSource records = FileSources.resume(bytes, partition.dialect(), partition.header(), partition.byteStart(),
                     partition.firstRow(), limits)) {
            List<SourceRow> chunk = new ArrayList<>(limits.batchRows());
            while (records.hasNext()) {
                chunk.add(records.next());
                if (chunk.size() == limits.batchRows() || !records.hasNext()) {
                    written += writeAgain(run, run.mapping.batch(run.jobUuid, ++number, chunk), hashes);
                    chunk = new ArrayList<>(limits.batchRows());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    private long writeAgain(ImportRun run, RowBatch typed, long[] hashes) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < typed.rows().size(); i++) {
            if (Arrays.binarySearch(hashes, PartitionKeys.hash(typed.rows().get(i).get(run.dataset.key()))) >= 0) {
                rows.add(typed.rows().get(i));
                numbers.add(typed.rowNumbers().get(i));
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        Set<Long> kept = new HashSet<>(numbers);
        List<SourceRow> source = typed.source().stream().filter(row -> kept.contains(row.number())).toList();
        // its rows were checked and counted when their partition imported them: no dead letter is written twice
        RowBatch again = new RowBatch(run.jobUuid, run.dataset, typed.header(), typed.number(), source, rows, numbers, List.of());
        Exchange sent = producer.send("direct:write-batch", exchange -> {
            FacetValues.startJob(exchange);
            exchange.getMessage().setBody(again);
        });
        if (sent.getException() != null) {
            throw new ImportRejected("writing again the rows of keys that several partitions hold failed: "
                    + sent.getException().getMessage());
        }
        return rows.size();
    }

    /** What the job's response says of its partitions. */
    private static List<Map<String, Object>> described(Plan plan, ObjectMapper json) {
        List<Map<String, Object>> parts = new ArrayList<>();
        for (Job job : plan.partitions()) {
            Partition partition = json.convertValue(job.data().get("partition"), Partition.class);
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("uuid", job.uuid().toString());
            part.put("status", job.status().wireName());
            part.put("first_row", partition.firstRow());
            part.put("byte_start", partition.byteStart());
            part.put("byte_end", partition.byteEnd());
            part.put("rows_read", job.jobResponse().path("rows_read").asLong(job.progress().rowsRead()));
            part.put("rows_imported", job.jobResponse().path("rows_imported").asLong(job.progress().rowsWritten()));
            part.put("rows_failed", job.jobResponse().path("rows_failed").asLong(job.progress().rowsFailed()));
            part.put("claimed_by", job.claimedBy());
            parts.add(part);
        }
        return parts;
    }

    private HeaderMapping mapping(ImportRun run, List<String> header) {
        return HeaderMapping.of(run.dataset, header, false, run.options.read().columnMap(), run.options.read().nullValues(),
                run.bucket, run.key).withRules(HeaderMapping.jobRules(run.options, run.dataset), 1);
    }

    private Partition partitionOf(Job job) {
        return json.convertValue(job.data().get("partition"), Partition.class);
    }

    private static String firstError(Job job) {
        JsonNode errors = job.jobResponse().path("runtime_errors");
        return errors.isArray() && !errors.isEmpty() ? errors.get(0).asText() : job.jobResponse().path("messages").asText("no reason given");
    }

    private byte[] range(ImportRun run, long from, long length) {
        try (InputStream bytes = bytes(run, from, from + length)) {
            return bytes.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's bytes from {@code from} up to {@code end}, of the version the import began with. */
    private InputStream bytes(ImportRun run, long from, long end) {
        return S3Body.checked(s3.getObject(GetObjectRequest.builder().bucket(run.bucket).key(run.key).ifMatch(run.etag)
                .range("bytes=" + from + "-" + (end - 1)).build()));
    }
}
