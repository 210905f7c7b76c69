package dev.dromedary.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool to the jobs database, with its schema migrated to the newest version on open. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database open(DatabaseUrl url, int poolSize) {
        return open(url, poolSize, Duration.ofSeconds(30));
    }

    /** {@code connectionTimeout}: how long a step waits for a connection (the pool full, or PostgreSQL away). */
    public static Database open(DatabaseUrl url, int poolSize, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("dromedary");
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        // a batch of single-row upserts goes to the server as multi-row statements
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
