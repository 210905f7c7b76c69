package dev.dromedary.testing;

import dev.dromedary.embedded.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real services every integration test talks to, started once per test run and stopped when it ends:
 * a PostgreSQL server on a free port with a fresh data directory under {@code target/}, in which each
 * test class takes a {@link #freshDatabase() database of its own}.
 */
public final class RealServices implements BeforeAllCallback {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgresServer postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (RealServices.class) {
            if (postgres != null) {
                return;
            }
            Path dataDirectory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "test-postgres-");
            postgres = EmbeddedPostgresServer.start(dataDirectory, 0);
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put(RealServices.class.getName(), (AutoCloseable) postgres::close);
        }
    }

    /** A new, empty database on the shared server, so that no test class sees another's jobs. */
    public static TestDatabase freshDatabase() throws SQLException {
        String name = "test_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(requireStarted().jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " OWNER " + EmbeddedPostgresServer.USER);
        }
        return new TestDatabase(requireStarted().jdbcUrl().replaceAll("/[^/]+$", "/" + name));
    }

    /** A database of the test run: its URL for an application, a data source for the test's own checks. */
    public record TestDatabase(String jdbcUrl) {

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
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                ResultSet result = statement.executeQuery();
                result.next();
                return result.getLong(1);
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
