package dev.dromedary.app;

import dev.dromedary.db.DatabaseUrl;
import dev.dromedary.embedded.DataDirLock;
import dev.dromedary.embedded.EmbeddedElasticsearch;
import dev.dromedary.embedded.EmbeddedPostgresServer;
import dev.dromedary.embedded.EmbeddedS3Server;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The PostgreSQL, S3 and Elasticsearch this instance works with: the ones the settings name, or embedded
 * ones it starts (Elasticsearch first, as it takes longest) and stops with itself.
 */
public final class Services implements AutoCloseable {

    static final String DEVELOPMENT_ACCESS_KEY = "dromedary";
    static final String DEVELOPMENT_SECRET_KEY = "dromedary-secret";

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    private final List<AutoCloseable> embedded = new ArrayList<>();
    private DatabaseUrl database;
    private S3Connection s3;
    private String elasticsearchUrl;

    /**
     * A client of the S3 that the settings name, started by nothing: S3_ENDPOINT, or the embedded S3 of a
     * Dromedary running on this machine (EMBEDDED_S3_PORT), for commands that read from it.
     */
    private void createBucketIfMissing(String bucket) {
        try (S3Client client = s3.client()) {
            try {
                client.headBucket(head -> head.bucket(bucket));
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                client.createBucket(create -> create.bucket(bucket));
                LOG.info("Made the bucket {} (S3_CREATE_BUCKET)", bucket);
            }
        }
    }

    public static S3Client s3ClientOf(Settings settings) {
        String endpoint = settings.text("S3_ENDPOINT");
        String accessKey = settings.text("AWS_ACCESS_KEY_ID");
        String secretKey = settings.text("AWS_SECRET_ACCESS_KEY");
        if (endpoint.isEmpty()) {
            return new S3Connection(URI.create("http://localhost:" + settings.integer("EMBEDDED_S3_PORT")), settings.text("S3_REGION"),
                    accessKey.isEmpty() ? DEVELOPMENT_ACCESS_KEY : accessKey, secretKey.isEmpty() ? DEVELOPMENT_SECRET_KEY : secretKey).client();
        }
        return new S3Connection(endpoint.equalsIgnoreCase("aws") ? null : URI.create(endpoint), settings.text("S3_REGION"),
                accessKey, secretKey).client();
    }

    /** Where S3 is and how to sign requests to it; {@code endpoint} is null for Amazon S3 itself. */
    public record S3Connection(URI endpoint, String region, String accessKey, String secretKey) {

        public S3Client client() {
            var builder = S3Client.builder().region(Region.of(region)).credentialsProvider(credentials());
            if (endpoint != null) {
                builder.endpointOverride(endpoint).forcePathStyle(true);
            }
            return builder.build();
        }

        /** Signs URLs that let a client without credentials put an object (path-style, as the client). */
        public S3Presigner presigner() {
            var builder = S3Presigner.builder().region(Region.of(region)).credentialsProvider(credentials());
            if (endpoint != null) {
                builder.endpointOverride(endpoint)
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
            }
            return builder.build();
        }

        private software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials() {
            return accessKey.isEmpty()
                    ? DefaultCredentialsProvider.builder().build()
                    : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        }
    }

    static Services connect(Settings settings, Path dataDir) throws Exception {
        Services services = new Services();
        try {
            services.start(settings, dataDir);
        } catch (Exception e) {
            services.close();
            throw e;
        }
        return services;
    }

    private void start(Settings settings, Path dataDir) throws Exception {
        Path serversDir = Path.of(settings.text("EMBEDDED_SERVICES_DIR"));
        if (settings.text("ELASTICSEARCH_URL").isEmpty() || settings.text("DATABASE_URL").isEmpty()
                || settings.text("S3_ENDPOINT").isEmpty()) {
            embedded.add(DataDirLock.take(dataDir));
        }
        EmbeddedElasticsearch elasticsearch = null;
        elasticsearchUrl = settings.text("ELASTICSEARCH_URL");
        if (elasticsearchUrl.isEmpty()) {
            elasticsearch = EmbeddedElasticsearch.launch(serversDir.resolve("elasticsearch-9.2.0"),
                    dataDir.resolve("elasticsearch"), settings.integer("EMBEDDED_ES_PORT"),
                    settings.text("EMBEDDED_ES_HEAP"), settings.text("ES_JAVA_HOME"));
            embedded.add(elasticsearch);
            elasticsearchUrl = elasticsearch.url();
        }

        String databaseUrl = settings.text("DATABASE_URL");
        if (databaseUrl.isEmpty()) {
            Path postgresData = dataDir.resolve("postgres");
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(postgresData, settings.integer("EMBEDDED_PG_PORT"));
            embedded.add(postgres);
            database = new DatabaseUrl(postgres.jdbcUrl(), EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
            LOG.info("Embedded PostgreSQL: {}  user {}  password {}  (data in {})", postgres.jdbcUrl(),
                    EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD, postgresData);
        } else {
            database = DatabaseUrl.parse(databaseUrl, settings.text("DATABASE_USER"), settings.text("DATABASE_PASSWORD"));
        }

        String s3Endpoint = settings.text("S3_ENDPOINT");
        String accessKey = settings.text("AWS_ACCESS_KEY_ID");
        String secretKey = settings.text("AWS_SECRET_ACCESS_KEY");
        if (s3Endpoint.isEmpty()) {
            accessKey = accessKey.isEmpty() ? DEVELOPMENT_ACCESS_KEY : accessKey;
            secretKey = secretKey.isEmpty() ? DEVELOPMENT_SECRET_KEY : secretKey;
            Path s3Data = dataDir.resolve("s3");
            EmbeddedS3Server server = EmbeddedS3Server.start(serversDir.resolve("s3proxy.jar"), s3Data,
                    settings.integer("EMBEDDED_S3_PORT"), accessKey, secretKey, settings.text("S3_BUCKET"));
            embedded.add(server);
            s3 = new S3Connection(URI.create(server.endpoint()), settings.text("S3_REGION"), accessKey, secretKey);
            LOG.info("Embedded S3: {}  bucket {}  access key {}  secret key {}  (data in {})", server.endpoint(),
                    settings.text("S3_BUCKET"), accessKey, secretKey.equals(DEVELOPMENT_SECRET_KEY) ? secretKey
                            : "(AWS_SECRET_ACCESS_KEY)", s3Data);
        } else {
            URI endpoint = s3Endpoint.equalsIgnoreCase("aws") ? null : URI.create(s3Endpoint);
            s3 = new S3Connection(endpoint, settings.text("S3_REGION"), accessKey, secretKey);
            if (settings.bool("S3_CREATE_BUCKET")) {
                createBucketIfMissing(settings.text("S3_BUCKET"));
            }
        }

        if (elasticsearch != null) {
            elasticsearch.awaitReady();
            LOG.info("Embedded Elasticsearch: {}  (data in {})", elasticsearchUrl, dataDir.resolve("elasticsearch"));
        }
    }

    public DatabaseUrl database() {
        return database;
    }

    public S3Connection s3() {
        return s3;
    }

    public String elasticsearchUrl() {
        return elasticsearchUrl;
    }

    /** Stops the embedded servers, the last started first. */
    @Override
    public void close() {
        for (int i = embedded.size() - 1; i >= 0; i--) {
            try {
                embedded.get(i).close();
            } catch (Exception e) {
                LOG.warn("Could not stop {}", embedded.get(i), e);
            }
        }
        embedded.clear();
    }
}
