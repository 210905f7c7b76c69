package dev.dromedary.app.wiring;

import dev.dromedary.app.Settings;
import dev.dromedary.imports.DeadLetterReprocessing;
import dev.dromedary.imports.FileImport;
import dev.dromedary.imports.ImportedObjects;
import dev.dromedary.imports.MirrorImport;
import dev.dromedary.imports.PartitionKeys;
import dev.dromedary.imports.PartitionedImport;
import dev.dromedary.imports.SourceImport;
import dev.dromedary.inbox.S3Inbox;
import dev.dromedary.ingest.DatabaseIngest;
import dev.dromedary.ingest.HttpApiIngest;
import dev.dromedary.jobs.AllowedBuckets;
import dev.dromedary.jobs.AllowedUrls;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.sinks.ChangeDetection;
import dev.dromedary.sinks.ElasticsearchBulkSink;
import dev.dromedary.sinks.FacetValues;
import dev.dromedary.sinks.FailedBatches;
import dev.dromedary.sinks.PostgresUpsertSink;
import dev.dromedary.watch.UrlWatch;
import dev.dromedary.watch.WatchSnapshots;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything that lands rows: the sources (objects in S3, whole or by partition, databases, HTTP APIs, watched
 * pages, the dead letters), the S3 inbox that makes import jobs, and the sinks of routes/sinks.camel.yaml.
 */
public record ImportBeans(AllowedBuckets buckets, RecordLimits limits, Map<String, Consumer<Map<?, ?>>> sourceChecks) {

    public static ImportBeans bind(Wiring wiring, ServiceBeans services, JobBeans jobs) {
        Settings settings = wiring.settings();
        String bucket = settings.text("S3_BUCKET");
        AllowedBuckets buckets = new AllowedBuckets(settings.list("S3_ALLOWED_BUCKETS"));
        RecordLimits limits = new RecordLimits(settings.integer("MAX_RECORD_BYTES"), settings.integer("MAX_COLUMNS"),
                settings.integer("BATCH_SIZE_FOR_INSERTION"), settings.integer("BATCH_MAX_BYTES"));
        PartitionKeys partitionKeys = new PartitionKeys(services.dataSource());

        wiring.bind("fileImport", new FileImport(services.datasets(), jobs.jobStore(),
                new ImportedObjects(services.dataSource()), services.s3(), bucket, buckets, jobs.json(),
                jobs.jobExecution()::isStopping, jobs.metrics(), services.indexRefresh(), limits, partitionKeys));
        wiring.bind("partitionedImport", new PartitionedImport(jobs.jobStore(), services.s3(), partitionKeys, jobs.json(),
                jobs.jobExecution()::isStopping, settings.longValue("PARTITION_MIN_BYTES"), settings.integer("PARTITIONS_MAX"),
                limits));
        SourceImport sourceImport = wiring.bind("sourceImport", new SourceImport(services.datasets(), jobs.jobStore(),
                jobs.json(), jobs.jobExecution()::isStopping, jobs.metrics(), limits));
        wiring.bind("databaseIngest", new DatabaseIngest(settings, sourceImport, limits));
        AllowedUrls httpSources = new AllowedUrls("HTTP_SOURCES_ALLOWED", settings.list("HTTP_SOURCES_ALLOWED"));
        HttpApiIngest httpApiIngest = wiring.bind("httpApiIngest", new HttpApiIngest(settings, httpSources, sourceImport, limits,
                jobs.jobExecution()::isStopping));
        UrlWatch urlWatch = wiring.bind("urlWatch", new UrlWatch(settings, httpSources, services.datasets(), sourceImport,
                new WatchSnapshots(services.dataSource(), settings.integer("WATCH_SNAPSHOTS_KEPT")), limits,
                jobs.jobExecution()::isStopping));
        wiring.bind("deadLetterReprocessing", new DeadLetterReprocessing(services.datasets(), services.dataSource(), bucket,
                settings.integer("BATCH_SIZE_FOR_INSERTION")));

        wiring.bind("failedBatches", new FailedBatches(settings.integer("MAX_REDELIVERIES")));
        wiring.bind("changeDetection", new ChangeDetection(services.dataSource()));
        wiring.bind("mirrorImport", new MirrorImport(services.dataSource(), services.elasticsearchRestClient(),
                settings.integer("MIRROR_PAGE_SIZE")));
        wiring.bind("postgresUpsert", new PostgresUpsertSink(services.dataSource()));
        wiring.bind("elasticsearchBulk", new ElasticsearchBulkSink(services.elasticsearchRestClient(),
                Duration.ofSeconds(settings.integer("ES_BUSY_RETRY_SECONDS")), jobs.jobStore()::stillWorking));
        wiring.bind("facetValues", new FacetValues(settings.integer("FACET_VALUES_REMEMBERED")));

        wiring.bind("s3Inbox", new S3Inbox(jobs.jobStore(), services.s3(), services.datasets(), services.dataSource(), jobs.json(),
                bucket, settings.text("INBOX_PREFIX"), settings.text("INBOX_PROCESSED_PREFIX"),
                settings.text("INBOX_FAILED_PREFIX"), settings.text("INBOX_DEFAULT_DATASET"), settings.integer("INBOX_RETRY_COUNT"),
                settings.integer("DEFAULT_RETRY_INTERVAL_SECONDS"), settings.list("INBOX_MIRROR_FOLDERS")));
        // the job types whose job_data the API checks as a source's before it creates the job
        return new ImportBeans(buckets, limits, Map.of("ingest_database", DatabaseIngest::check,
                "ingest_http_api", httpApiIngest::check, "watch_url", urlWatch::check));
    }
}
