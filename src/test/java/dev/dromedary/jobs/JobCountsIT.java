package dev.dromedary.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dromedary.db.Database;
import dev.dromedary.db.DatabaseUrl;
import dev.dromedary.embedded.EmbeddedPostgresServer;
import dev.dromedary.testing.RealServices;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The jobs by status and queue that the metrics and the status answer show: exact in a small table; in a large
 * one exact for the jobs not done and the failed, and estimated from the statistics for completed and cancelled.
 */
@ExtendWith(RealServices.class)
class JobCountsIT {

    @Test
    void aSmallTableIsCountedExactlyAndALargeOneEstimatesOnlyItsFinishedJobs() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (Database migrated = Database.open(DatabaseUrl.parse(database.jdbcUrl(), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD), 2)) {
            // only this test analyzes the table: autovacuum analyzed these 1,010 new rows first once, on a busy machine
            database.update("ALTER TABLE jobs SET (autovacuum_enabled = false)");
            database.update("INSERT INTO jobs (job_type, status, queue) SELECT 'noop', 'completed', 'default' FROM generate_series(1, 900)");
            database.update("INSERT INTO jobs (job_type, status, queue) SELECT 'noop', 'cancelled', 'bulk' FROM generate_series(1, 100)");
            database.update("INSERT INTO jobs (job_type, status, queue) SELECT 'noop', 'open', 'bulk' FROM generate_series(1, 7)");
            database.update("INSERT INTO jobs (job_type, status, queue) SELECT 'noop', 'failed', 'default' FROM generate_series(1, 3)");

            // before the table was ever analyzed it counts as small: every count exact
            JobCounts.Counts exact = new JobCounts(migrated.dataSource(), 1000).read();
            assertThat(exact.estimated()).isFalse();
            assertThat(exact.byStatus()).containsEntry("completed", 900L).containsEntry("cancelled", 100L)
                    .containsEntry("open", 7L).containsEntry("failed", 3L).containsEntry("processing", 0L);
            assertThat(exact.byQueue()).isEqualTo(Map.of("bulk", Map.of("cancelled", 100L, "open", 7L),
                    "default", Map.of("completed", 900L, "failed", 3L)));

            database.update("ANALYZE jobs");
            // a finished job more, which only the estimate misses until the next analyze; an open one more, counted
            database.update("INSERT INTO jobs (job_type, status, queue) VALUES ('noop', 'completed', 'default'), ('noop', 'open', 'bulk')");
            JobCounts.Counts large = new JobCounts(migrated.dataSource(), 1000).read();
            assertThat(large.estimated()).isTrue();
            assertThat(large.byStatus().get("completed")).isCloseTo(900L, within(20L));
            assertThat(large.byStatus().get("cancelled")).isCloseTo(100L, within(20L));
            assertThat(large.byStatus()).containsEntry("open", 8L).containsEntry("failed", 3L).containsEntry("in_queue", 0L);
            assertThat(large.byQueue()).isEqualTo(Map.of("bulk", Map.of("open", 8L), "default", Map.of("failed", 3L)));

            assertThat(new JobCounts(migrated.dataSource(), 2000).read().byStatus()).containsEntry("completed", 901L);
        } finally {
            RealServices.dropDatabase(database);
        }
    }
}
