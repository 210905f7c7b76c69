package dev.dromedary.imports;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What one import job knows as it goes: where it reads from, how the header maps to columns, its counts. */
public final class ImportRun {

    final String jobUuid;
    final Dataset dataset;
    final String bucket;
    final String key;
    final Long bytesTotal;
    final String etag;
    /** The earlier import of this unchanged object, when there was one and the job does not force another. */
    ImportedObjects.Import importedBefore;
    final long startedNanos = System.nanoTime();
    /** The object's bytes as read so far. */
    org.apache.commons.io.input.BoundedInputStream source;
    /** The dataset column of each header position; null where the header names no column of the dataset. */
    List<Column> columns;
    List<String> unknownColumns = List.of();
    long rowsRead;
    long rowsImported;
    long rowsFailed;
    int batches;
    /** Facet values sent to filters_data in this job, as facet + '\u0000' + value. */
    final Set<String> facetValuesSent = ConcurrentHashMap.newKeySet();

    ImportRun(String jobUuid, Dataset dataset, String bucket, String key, Long bytesTotal, String etag) {
        this.jobUuid = jobUuid;
        this.dataset = dataset;
        this.bucket = bucket;
        this.key = key;
        this.bytesTotal = bytesTotal;
        this.etag = etag;
    }
}
