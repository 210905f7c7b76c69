package dev.dromedary.app.wiring;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import dev.dromedary.app.Services;
import dev.dromedary.app.Settings;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.DatasetStorage;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.db.Database;
import dev.dromedary.observe.ServiceHealthCheck;
import dev.dromedary.observe.Traces;
import dev.dromedary.sinks.IndexRefresh;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The clients of PostgreSQL, S3 and Elasticsearch, their health checks, and the datasets with their tables and
 * indices made ready: what every other concern's beans work with.
 */
public record ServiceBeans(Services services, DataSource dataSource, S3Client s3, RestClient elasticsearchRestClient,
                           ElasticsearchClient elasticsearch, Datasets datasets, IndexRefresh indexRefresh) {

    public static ServiceBeans bind(Wiring wiring, Services services) throws Exception {
        Settings settings = wiring.settings();
        wiring.stopWithContext("embedded services", services::close);
        OpenTelemetrySdk traces = Traces.install(wiring.context(), settings.text("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (traces != null) {
            // after the routes: the spans of the last jobs are sent before the process ends, for 3 s at most (an
            // exporter whose collector is away retries for longer, and a stop must not wait for it)
            wiring.stopWithContext("OpenTelemetry", () -> traces.shutdown().join(3, TimeUnit.SECONDS));
        }
        Database database = Database.open(services.database(), settings.integer("DATABASE_POOL_SIZE"),
                Duration.ofSeconds(settings.integer("DATABASE_CONNECTION_TIMEOUT_SECONDS")));
        wiring.stopWithContext("database pool", database::close);
        S3Client s3 = services.s3().client();
        RestClient elasticsearchRestClient = RestClient.builder(HttpHost.create(services.elasticsearchUrl())).build();
        wiring.stopWithContext("Elasticsearch client", elasticsearchRestClient::close);
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

        wiring.bind("dataSource", database.dataSource());
        wiring.bind("s3Client", s3);
        S3Presigner s3Presigner = wiring.bind("s3Presigner", services.s3().presigner());
        wiring.stopWithContext("S3 presigner", s3Presigner::close);
        wiring.bind("elasticsearchRestClient", elasticsearchRestClient);
        wiring.bind("elasticsearch", elasticsearch);
        wiring.bind("datasets", datasets);
        wiring.bind("postgresqlHealth", new ServiceHealthCheck("postgresql", () -> {
            try (Connection connection = database.dataSource().getConnection()) {
                return connection.getMetaData().getDatabaseProductName() + " " + connection.getMetaData().getDatabaseProductVersion();
            }
        }));
        String bucket = settings.text("S3_BUCKET");
        wiring.bind("s3Health", new ServiceHealthCheck("s3", () -> {
            s3.headBucket(head -> head.bucket(bucket));
            return "bucket " + bucket;
        }));
        wiring.bind("elasticsearchHealth", new ServiceHealthCheck("elasticsearch", () ->
                "cluster " + elasticsearch.cluster().health().status().jsonValue()));
        return new ServiceBeans(services, database.dataSource(), s3, elasticsearchRestClient, elasticsearch, datasets, indexRefresh);
    }
}
