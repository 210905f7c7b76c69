package dev.dromedary.app;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.analysis.DatasetStatistics;
import dev.dromedary.analysis.JobReportPage;
import dev.dromedary.analysis.JobReports;
import dev.dromedary.analysis.StatisticsReport;
import dev.dromedary.api.ApiKeys;
import dev.dromedary.api.InstanceView;
import dev.dromedary.api.JobRequests;
import dev.dromedary.api.JobResponses;
import dev.dromedary.api.OpenApiDocument;
import dev.dromedary.api.RequestGuard;
import dev.dromedary.api.StatusView;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.DatasetStorage;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.db.Database;
import dev.dromedary.db.DatabaseUrl;
import dev.dromedary.embedded.Ports;
import dev.dromedary.events.JobEventFeed;
import dev.dromedary.exports.CsvExport;
import dev.dromedary.imports.DeadLetterReprocessing;
import dev.dromedary.imports.FileImport;
import dev.dromedary.imports.ImportedObjects;
import dev.dromedary.imports.PartitionKeys;
import dev.dromedary.imports.PartitionedImport;
import dev.dromedary.imports.SourceImport;
import dev.dromedary.inbox.S3Inbox;
import dev.dromedary.ingest.DatabaseIngest;
import dev.dromedary.ingest.HttpApiIngest;
import dev.dromedary.jobs.AllowedBuckets;
import dev.dromedary.jobs.AllowedUrls;
import dev.dromedary.jobs.Job;
import dev.dromedary.jobs.JobAnnouncements;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.JobQueues;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.JobTypes;
import dev.dromedary.jobs.RetryBackoff;
import dev.dromedary.observe.InstanceHeartbeat;
import dev.dromedary.observe.JobMetrics;
import dev.dromedary.observe.ServiceHealthCheck;
import dev.dromedary.observe.Traces;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.schedules.ClusteredScheduler;
import dev.dromedary.schedules.Schedule;
import dev.dromedary.schedules.Schedules;
import dev.dromedary.sinks.ElasticsearchBulkSink;
import dev.dromedary.sinks.FacetValues;
import dev.dromedary.sinks.FailedBatches;
import dev.dromedary.sinks.IndexRefresh;
import dev.dromedary.sinks.PostgresUpsertSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.ext.web.Router;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Connects to the services named by the settings (starting embedded ones where none is named) and binds
 * the beans that the routes call. Runs once, before the routes are loaded.
 */
public final class DromedaryConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DromedaryConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent());
        Path dataDir = Path.of(settings.text("DATA_DIR")).toAbsolutePath().normalize();
        String instanceId = InstanceId.of(settings);

        // routes poll with a timer period in milliseconds, derived from the guide's minutes or the seconds override
        context.getPropertiesComponent().addInitialProperty("TICKER_INTERVAL_MILLIS",
                Long.toString(settings.tickerInterval().toMillis()));
        // a lost run is found within a tenth of a lease of its lease running out, whatever the ticker: its recovery
        // takes the lease and one retry (half a lease added up to 5 s to a 10 s lease in the fault suite)
        context.getPropertiesComponent().addInitialProperty("LEASE_CHECK_MILLIS",
                Long.toString(Math.max(100, settings.integer("LEASE_SECONDS") * 100L)));

        boolean servesHttp = Boolean.parseBoolean(settings.text("camel.server.enabled"));
        if (servesHttp) {
            // the HTTP server reports a port in use only in its log, after the routes have started
            Ports.requireFree(settings.integer("HTTP_PORT"), "HTTP_PORT");
        }
        Ports.requireFree(settings.integer("MANAGEMENT_PORT"), "MANAGEMENT_PORT");
        Services services = Services.connect(settings, dataDir);
        try {
            bindBeans(context, settings, dataDir, instanceId, servesHttp, services);
        } catch (Exception e) {
            // Camel stops nothing that a failed start began, and embedded servers are processes of their own
            services.close();
            throw e;
        }
    }

    private static void bindBeans(CamelContext context, Settings settings, Path dataDir, String instanceId,
                                  boolean servesHttp, Services services) throws Exception {
        stopWithContext(context, "embedded services", services::close);
        OpenTelemetrySdk traces = Traces.install(context, settings.text("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (traces != null) {
            // after the routes: the spans of the last jobs are sent before the process ends, for 3 s at most (an
            // exporter whose collector is away retries for longer, and a stop must not wait for it)
            stopWithContext(context, "OpenTelemetry", () -> traces.shutdown().join(3, TimeUnit.SECONDS));
        }
        Database database = Database.open(services.database(), settings.integer("DATABASE_POOL_SIZE"),
                Duration.ofSeconds(settings.integer("DATABASE_CONNECTION_TIMEOUT_SECONDS")));
        stopWithContext(context, "database pool", database::close);
        S3Client s3 = services.s3().client();
        RestClient elasticsearchRestClient = RestClient.builder(HttpHost.create(services.elasticsearchUrl())).build();
        stopWithContext(context, "Elasticsearch client", elasticsearchRestClient::close);
        ElasticsearchClient elasticsearch = new ElasticsearchClient(
                new RestClientTransport(elasticsearchRestClient, new JacksonJsonpMapper()));

        List<Path> datasetDirs = settings.list("DATASETS_DIRS").stream().map(Path::of).toList();
        Datasets datasets = Datasets.load(datasetDirs, settings.text("ELASTICSEARCH_INDEX_PREFIX"));
        DatasetStorage.prepareTables(database.dataSource(), datasetDirs, datasets);
        DatasetStorage.prepareIndices(elasticsearch, datasets);
        IndexRefresh indexRefresh = new IndexRefresh(elasticsearchRestClient, settings.text("IMPORT_REFRESH_INTERVAL"));
        for (Dataset dataset : datasets.all()) {
            indexRefresh.restoreIfPaused(dataset.index());
        }

        ObjectMapper json = new ObjectMapper();
        JobStore jobStore = new JobStore(database.dataSource(), json, instanceId);
        JobTypes jobTypes = new JobTypes(context);
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(settings.integer("RETRY_BACKOFF_MAX_SECONDS")));

        Registry registry = context.getRegistry();
        registry.bind("dataSource", database.dataSource());
        registry.bind("s3Client", s3);
        S3Presigner s3Presigner = services.s3().presigner();
        registry.bind("s3Presigner", s3Presigner);
        stopWithContext(context, "S3 presigner", s3Presigner::close);
        registry.bind("elasticsearchRestClient", elasticsearchRestClient);
        registry.bind("elasticsearch", elasticsearch);
        registry.bind("datasets", datasets);
        // the registry that camel-micrometer-prometheus serves at /observe/metrics, with Camel's route metrics
        JobMetrics metrics = new JobMetrics(() -> registry.lookupByNameAndType("metricsRegistry", MeterRegistry.class),
                database.dataSource());
        registry.bind("jobMetrics", metrics);
        jobStore.timeClaims(metrics::claimTook);
        jobStore.defaultTimeouts(jobType -> defaultTimeout(settings, jobType));
        jobStore.sampleEvery(Double.parseDouble(settings.text("JOB_SAMPLE_SECONDS")));
        JobQueues queues = JobQueues.of(settings.list("QUEUES"), settings.integer("PARALLEL_JOBS"), settings.list("RUN_QUEUES"),
                settings.integer("JOB_IN_QUEUE_SIZE"));
        registry.bind("jobQueues", queues);
        for (String queue : queues.runHere()) {
            registry.bind("jobQueue-" + queue, queues.claimed(queue));
        }
        metrics.queueDepth("first_time", queues::waitingHere);
        metrics.queueDepth("retry", () -> queueDepth(context, "retry-worker"));
        registry.bind("postgresqlHealth", new ServiceHealthCheck("postgresql", () -> {
            try (Connection connection = database.dataSource().getConnection()) {
                return connection.getMetaData().getDatabaseProductName() + " " + connection.getMetaData().getDatabaseProductVersion();
            }
        }));
        registry.bind("s3Health", new ServiceHealthCheck("s3", () -> {
            s3.headBucket(head -> head.bucket(settings.text("S3_BUCKET")));
            return "bucket " + settings.text("S3_BUCKET");
        }));
        registry.bind("elasticsearchHealth", new ServiceHealthCheck("elasticsearch", () ->
                "cluster " + elasticsearch.cluster().health().status().jsonValue()));
        JobExecution jobExecution = new JobExecution(jobStore, backoff, json, metrics);
        int maxJobs = settings.integer("MAX_JOBS");
        if (maxJobs > 0) {
            AtomicInteger ended = new AtomicInteger();
            jobExecution.onEnded(() -> {
                if (ended.incrementAndGet() == maxJobs) {
                    LOG.info("MAX_JOBS: {} jobs ran here; stopping", maxJobs);
                    jobExecution.stop();
                    Thread stopper = new Thread(() -> context.stop(), "max-jobs-stop");
                    stopper.start();
                }
            });
        }
        AllowedBuckets buckets = new AllowedBuckets(settings.list("S3_ALLOWED_BUCKETS"));
        RecordLimits limits = new RecordLimits(settings.integer("MAX_RECORD_BYTES"), settings.integer("MAX_COLUMNS"),
                settings.integer("BATCH_SIZE_FOR_INSERTION"), settings.integer("BATCH_MAX_BYTES"));
        PartitionKeys partitionKeys = new PartitionKeys(database.dataSource());
        registry.bind("fileImport", new FileImport(datasets, jobStore,
                new ImportedObjects(database.dataSource()), s3, settings.text("S3_BUCKET"), buckets,
                json, jobExecution::isStopping, metrics, indexRefresh, limits, partitionKeys));
        registry.bind("partitionedImport", new PartitionedImport(jobStore, s3, partitionKeys, json, jobExecution::isStopping,
                settings.longValue("PARTITION_MIN_BYTES"), settings.integer("PARTITIONS_MAX"), limits));
        SourceImport sourceImport = new SourceImport(datasets, jobStore, json, jobExecution::isStopping, metrics, limits);
        registry.bind("sourceImport", sourceImport);
        registry.bind("databaseIngest", new DatabaseIngest(settings, sourceImport, limits));
        registry.bind("datasetStatistics", new DatasetStatistics(datasets, elasticsearchRestClient, database.dataSource(), json,
                settings.text("S3_UPLOAD_FILE_PATH_PRIFIX")));
        registry.bind("statisticsReport", new StatisticsReport());
        registry.bind("jobReports", new JobReports(jobStore, database.dataSource()));
        registry.bind("jobReportPage", new JobReportPage(json));
        HttpApiIngest httpApiIngest = new HttpApiIngest(settings, new AllowedUrls("HTTP_SOURCES_ALLOWED",
                settings.list("HTTP_SOURCES_ALLOWED")), sourceImport, limits, jobExecution::isStopping);
        registry.bind("httpApiIngest", httpApiIngest);
        registry.bind("csvExport", new CsvExport(datasets, elasticsearch, elasticsearchRestClient, jobStore, s3, settings.text("S3_BUCKET"), buckets,
                settings.text("S3_UPLOAD_FILE_PATH_PRIFIX"), settings.integer("MAX_REDELIVERIES"),
                settings.bool("EXPORT_ESCAPE_FORMULAS")));
        registry.bind("deadLetterReprocessing", new DeadLetterReprocessing(datasets, database.dataSource(),
                settings.text("S3_BUCKET"), settings.integer("BATCH_SIZE_FOR_INSERTION")));
        registry.bind("failedBatches", new FailedBatches(settings.integer("MAX_REDELIVERIES")));
        registry.bind("postgresUpsert", new PostgresUpsertSink(database.dataSource()));
        registry.bind("elasticsearchBulk", new ElasticsearchBulkSink(elasticsearchRestClient,
                Duration.ofSeconds(settings.integer("ES_BUSY_RETRY_SECONDS")), jobStore::stillWorking));
        registry.bind("facetValues", new FacetValues(settings.integer("FACET_VALUES_REMEMBERED")));
        registry.bind("jobStore", jobStore);
        registry.bind("s3Inbox", new S3Inbox(jobStore, s3, datasets, database.dataSource(), json, settings.text("S3_BUCKET"),
                settings.text("INBOX_PREFIX"), settings.text("INBOX_PROCESSED_PREFIX"), settings.text("INBOX_FAILED_PREFIX"),
                settings.text("INBOX_DEFAULT_DATASET"), settings.integer("INBOX_RETRY_COUNT"),
                settings.integer("DEFAULT_RETRY_INTERVAL_SECONDS")));
        registry.bind("jobExecution", jobExecution);
        registry.bind("jobTypes", jobTypes);
        AllowedUrls notifyUrls = new AllowedUrls("JOB_WEBHOOK_ALLOWED", settings.list("JOB_WEBHOOK_ALLOWED"));
        JobEventFeed jobEvents = new JobEventFeed(database.dataSource(), notifyUrls, settings.text("JOB_WEBHOOK_SECRET"));
        registry.bind("jobEvents", jobEvents);
        registry.bind("jobRequests", new JobRequests(jobTypes, settings.integer("API_MAX_BODY_BYTES"),
                settings.integer("DEFAULT_RETRY_INTERVAL_SECONDS"), buckets, queues, notifyUrls, httpApiIngest));
        registry.bind("jobResponses", new JobResponses(jobStore, jobEvents));
        registry.bind("openApiDocument", OpenApiDocument.renderer(context));
        registry.bind("statusView", new StatusView(database.dataSource(), jobStore, settings.integer("LEASE_SECONDS")));
        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("first_time_runner", settings.bool("FIRST_TIME_RUNNER_ENABLED"));
        runs.put("retry_runner", settings.bool("RETRY_RUNNER_ENABLED"));
        runs.put("queues", queues.runHere().stream().map(queue -> queue + ":" + queues.workers(queue)).toList());
        runs.put("http", servesHttp);
        InstanceHeartbeat instanceHeartbeat = new InstanceHeartbeat(database.dataSource(), instanceId, json.writeValueAsString(runs));
        registry.bind("instanceHeartbeat", instanceHeartbeat);
        instanceHeartbeat.beat();
        RequestGuard requestGuard = null;
        ApiKeys apiKeys = servesHttp || !settings.list("API_KEYS").isEmpty() ? new ApiKeys(apiKeys(settings, dataDir)) : null;
        if (servesHttp) {
            registry.bind("apiKeys", apiKeys);
            requestGuard = new RequestGuard(apiKeys, settings.integer("API_MAX_BODY_BYTES"));
            // Camel 4.17 guesses the REST routes' server by port, and guesses 8080 when a management server runs too
            int httpPort = settings.integer("HTTP_PORT");
            context.getComponent("platform-http", PlatformHttpComponent.class).setEngine(new VertxPlatformHttpEngine() {
                @Override
                public int getServerPort() {
                    return httpPort;
                }
            });
        }

        Schedules schedules = !settings.bool("SCHEDULES_ENABLED") ? Schedules.none(jobStore)
                : Schedules.load(Path.of(settings.text("SCHEDULES_FILE")), jobStore, settings.integer("DEFAULT_RETRY_INTERVAL_SECONDS"));
        registry.bind("schedules", schedules);
        registry.bind("instanceView", new InstanceView(instanceId, settings.bool("FIRST_TIME_RUNNER_ENABLED"),
                settings.bool("RETRY_RUNNER_ENABLED"), settings.bool("INBOX_ENABLED") ? settings.text("INBOX_PREFIX") : null,
                schedules.names()));
        Scheduler scheduler = null;
        if (!schedules.recurring().isEmpty()) {
            scheduler = ClusteredScheduler.create(database.dataSource(), instanceId,
                    settings.integer("SCHEDULE_MISFIRE_GRACE_SECONDS"));
            context.getComponent("quartz", QuartzComponent.class).setScheduler(scheduler);
            stopWithContext(context, "Quartz scheduler", scheduler::shutdown);
        }
        Scheduler clustered = scheduler;
        boolean firstTime = settings.bool("FIRST_TIME_RUNNER_ENABLED");
        boolean retries = settings.bool("RETRY_RUNNER_ENABLED");
        DatabaseUrl databaseUrl = services.database();
        JobAnnouncements[] announcements = {null};
        RequestGuard guard = requestGuard;
        int serverPort = settings.integer("HTTP_PORT");
        int managementPort = settings.integer("MANAGEMENT_PORT");
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                if (guard != null) {
                    VertxPlatformHttpRouter routes = router(started, serverPort);
                    guard.guard(routes, topRouter(routes));
                }
                RequestGuard.guardHealth(router(started, managementPort), apiKeys);
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                addScheduleRoutes(started, schedules, jobTypes, queues);
                if (firstTime) {
                    addQueueRoutes(started, queues);
                }
                if (firstTime || retries) {
                    ProducerTemplate announce = started.createProducerTemplate();
                    announcements[0] = new JobAnnouncements(
                            () -> DriverManager.getConnection(databaseUrl.jdbcUrl(), databaseUrl.user(), databaseUrl.password()),
                            queue -> {
                                if (firstTime) {
                                    announce.sendBody("direct:jobs-announced", queue);
                                }
                            },
                            jobStore::retryDueAt,
                            () -> {
                                if (firstTime) {
                                    queues.runHere().forEach(queue -> announce.sendBody("direct:jobs-announced", queue));
                                }
                            });
                    announcements[0].start();
                }
            }
        });

        handBackQueuedJobs(jobStore, "left by an earlier run of");
        // as soon as the context begins to stop, before its routes do: running imports stop at their next
        // checkpoint, and Quartz fires nothing more here (a fire time it took would meet a stopped route and be
        // lost; in standby it gives the fire times it took back for the other instances)
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    jobExecution.stop();
                    if (announcements[0] != null) {
                        announcements[0].close();
                    }
                    if (clustered != null) {
                        clustered.standby();
                    }
                }
            }
        });
        // added after the pool, so stopped before it: after the routes stop (or the grace period ran out),
        // queued jobs and jobs still running go back for others to take
        stopWithContext(context, "hand back of jobs", () -> {
            instanceHeartbeat.leave();
            handBackQueuedJobs(jobStore, "not started by");
            for (Job running : jobStore.runningHere()) {
                jobExecution.handBack(running, "Handed back unfinished as instance " + jobStore.owner()
                        + " stopped before the job ended (SHUTDOWN_GRACE_SECONDS); it goes on from its checkpoint, or starts again");
            }
        });
    }

    /** A route per schedule, from the templates of routes/schedules.camel.yaml, once the job routes are loaded. */
    private static void addScheduleRoutes(CamelContext context, Schedules schedules, JobTypes jobTypes,
                                          JobQueues queues) throws Exception {
        List<String> unknown = schedules.unknownJobTypes(jobTypes.names());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("SCHEDULES_FILE names job types that no route runs: " + unknown
                    + "; the job types are " + jobTypes.names());
        }
        List<String> unknownQueues = schedules.unknownQueues(queues);
        if (!unknownQueues.isEmpty()) {
            throw new IllegalArgumentException("SCHEDULES_FILE names queues that QUEUES does not define: " + unknownQueues
                    + "; the queues are " + queues.names());
        }
        for (Schedule schedule : schedules.recurring()) {
            TemplatedRouteBuilder.builder(context, "recurring-schedule").routeId("schedule-" + schedule.name())
                    .parameters(Schedules.templateParameters(schedule)).add();
        }
        for (Schedule schedule : schedules.oneOffs()) {
            TemplatedRouteBuilder.builder(context, "one-off-schedule").routeId("schedule-" + schedule.name())
                    .parameters(Schedules.templateParameters(schedule)).add();
        }
    }

    /** A claimer and the workers per queue this instance runs, from the templates of routes/job-runner.camel.yaml. */
    private static void addQueueRoutes(CamelContext context, JobQueues queues) throws Exception {
        for (String queue : queues.runHere()) {
            TemplatedRouteBuilder.builder(context, "queue-claimer").routeId("claim-" + queue)
                    .parameter("queue", queue).add();
            TemplatedRouteBuilder.builder(context, "queue-workers").routeId("workers-" + queue)
                    .parameter("queue", queue).parameter("workers", queues.workers(queue)).add();
        }
    }

    /** JOB_TIMEOUT_SECONDS_<TYPE>, e.g. JOB_TIMEOUT_SECONDS_INSERT_CSV_FILE; null when unset. */
    private static Integer defaultTimeout(Settings settings, String jobType) {
        String name = "JOB_TIMEOUT_SECONDS_" + jobType.toUpperCase(java.util.Locale.ROOT);
        String value = settings.text(name);
        if (value.isEmpty()) {
            return null;
        }
        int seconds = settings.integer(name);
        if (seconds < 1) {
            throw new IllegalArgumentException("the setting " + name + " must be a positive number of seconds");
        }
        return seconds;
    }

    private static VertxPlatformHttpRouter router(CamelContext context, int port) {
        VertxPlatformHttpRouter router = context.getRegistry().lookupByNameAndType(
                VertxPlatformHttpRouter.getRouterNameFromPort(port), VertxPlatformHttpRouter.class);
        if (router == null) {
            throw new IllegalStateException("no HTTP server runs on port " + port);
        }
        return router;
    }

    // Camel 4.17 mounts the routes' router under a top router that it keeps private, and Vert.x answers a path
    // or method no route matched (404, 405) from the top router's error handlers
    private static Router topRouter(VertxPlatformHttpRouter routes) {
        try {
            Field top = VertxPlatformHttpServer.class.getDeclaredField("router");
            top.setAccessible(true);
            return (Router) top.get(routes.getServer());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Camel keeps its HTTP server's router elsewhere", e);
        }
    }

    private static int queueDepth(CamelContext context, String workerRoute) {
        Route route = context.getRoute(workerRoute);
        return route != null && route.getEndpoint() instanceof SedaEndpoint seda ? seda.getCurrentQueueSize() : 0;
    }

    private static void handBackQueuedJobs(JobStore jobStore, String which) {
        int handedBack = jobStore.handBackQueued();
        if (handedBack > 0) {
            LOG.info("Handed back {} queued jobs {} instance {}", handedBack, which, jobStore.owner());
        }
    }

    private static List<String> apiKeys(Settings settings, Path dataDir) throws Exception {
        List<String> configured = settings.list("API_KEYS");
        if (!configured.isEmpty()) {
            return configured;
        }
        GeneratedApiKey generated = GeneratedApiKey.readOrCreate(dataDir);
        if (generated.made()) {
            // once, on the terminal, never into a log file
            System.out.println("API_KEYS is not set; made up this API key, kept in " + dataDir.resolve("api-key") + ": "
                    + generated.key());
        } else {
            LOG.info("API_KEYS is not set; using the API key kept in {}", dataDir.resolve("api-key"));
        }
        return List.of(generated.key());
    }

    private interface Closer {
        void close() throws Exception;
    }

    /** Camel stops the services it holds after the routes, the last added first. */
    private static void stopWithContext(CamelContext context, String name, Closer closer) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                closer.close();
            }

            @Override
            public String toString() {
                return name;
            }
        }, true, true);
    }
}
