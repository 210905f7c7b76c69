package dev.dromedary.testing;

import dev.dromedary.embedded.EmbeddedElasticsearch;
import dev.dromedary.embedded.EmbeddedPostgresServer;
import dev.dromedary.embedded.EmbeddedS3Server;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real services every integration test talks to, started once per test run and stopped when it ends,
 * on free ports with fresh data directories under {@code target/}: PostgreSQL, in which each test class
 * takes a {@link #freshDatabase() database of its own}, an S3 server with the bucket {@value #BUCKET},
 * and Elasticsearch, in which a test keeps to indices of its own prefix.
 */
public final class RealServices implements BeforeAllCallback {

    public static final String BUCKET = "dromedary";
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Path SERVERS = Path.of("target/services");
    private static EmbeddedPostgresServer postgres;
    private static EmbeddedS3Server s3;
    private static EmbeddedElasticsearch elasticsearch;
    private static Path elasticsearchData;
    private static int elasticsearchPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (RealServices.class) {
            if (postgres != null) {
                return;
            }
            // a wait that names no deadline of its own gets one a loaded 2-core machine keeps, not Awaitility's 10 s;
            // waits that assert speed say so with atMost
            Awaitility.setDefaultTimeout(Duration.ofSeconds(60));
            Path dataDirectory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "test-services-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            elasticsearchData = dataDirectory.resolve("elasticsearch");
            elasticsearchPort = RunningDromedary.freePort();
            // registered first, so that what did start is stopped even when a later service fails to
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(RealServices.class.getName(),
                    (AutoCloseable) RealServices::stopAll);
            elasticsearch = launchElasticsearch();
            postgres = EmbeddedPostgresServer.start(dataDirectory.resolve("postgres"), 0);
            s3 = EmbeddedS3Server.start(SERVERS.resolve("s3proxy.jar"), dataDirectory.resolve("s3"),
                    RunningDromedary.freePort(), ACCESS_KEY, SECRET_KEY, BUCKET);
            elasticsearch.awaitReady();
        }
    }

    private static void stopAll() throws IOException {
        if (elasticsearch != null) {
            elasticsearch.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    public static String s3Endpoint() {
        return s3.endpoint();
    }

    /** A client of the test S3 server, for putting the files a test imports and reading what it exports. */
    public static S3Client s3Client() {
        return S3Client.builder()
                .endpointOverride(URI.create(s3Endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public static String elasticsearchUrl() {
        return elasticsearch.url();
    }

    private static EmbeddedElasticsearch launchElasticsearch() throws IOException {
        return EmbeddedElasticsearch.launch(SERVERS.resolve("elasticsearch-9.2.0"), elasticsearchData,
                elasticsearchPort, "512m", "");
    }

    /** A new, empty database on the shared server, so that no test class sees another's jobs. */
    public static TestDatabase freshDatabase() throws SQLException {
        String name = "test_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(requireStarted().jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " OWNER " + EmbeddedPostgresServer.USER);
        }
        return new TestDatabase(name, requireStarted().jdbcUrl().replaceAll("/[^/]+$", "/" + name));
    }

    /** Drops a database made by {@link #freshDatabase()}, closing what is still connected to it. */
    public static void dropDatabase(TestDatabase database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(requireStarted().jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
        }
    }

    /** A database of the test run: its URL for an application, a data source for the test's own checks. */
    public record TestDatabase(String name, String jdbcUrl) {

        public DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(jdbcUrl);
            dataSource.setUser(EmbeddedPostgresServer.USER);
            dataSource.setPassword(EmbeddedPostgresServer.PASSWORD);
            return dataSource;
        }

        /** The single value a query returns, as a long. */
        public long queryLong(String sql, Object... parameters) throws SQLException {
            try (Connection connection = dataSource().getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                ResultSet result = statement.executeQuery();
                result.next();
                return result.getLong(1);
            }
        }

        /** The first column of every row a query returns, as text, in the query's order. */
        public java.util.List<String> queryStrings(String sql, Object... parameters) throws SQLException {
            try (Connection connection = dataSource().getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                ResultSet result = statement.executeQuery();
                java.util.List<String> values = new java.util.ArrayList<>();
                while (result.next()) {
                    values.add(result.getString(1));
                }
                return values;
            }
        }

        private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
        }

        /** Runs an INSERT, UPDATE or DELETE; answers how many rows it changed. */
        public int update(String sql, Object... parameters) throws SQLException {
            try (Connection connection = dataSource().getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                return statement.executeUpdate();
            }
        }
    }

    private static EmbeddedPostgresServer requireStarted() {
        if (postgres == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(RealServices.class)");
        }
        return postgres;
    }
}
