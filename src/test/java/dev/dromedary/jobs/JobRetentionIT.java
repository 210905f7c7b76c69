package dev.dromedary.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retention prunes finished jobs past JOB_RETENTION_DAYS (failed ones past FAILED_JOB_RETENTION_DAYS) with their
 * transitions, samples and reprocessed dead letters, and keeps every job something still needs: an unfinished job of
 * its batch or partitions, an open job depending on it, a dead letter waiting, an idempotency key's window, a one-off
 * schedule's key, a schedule's newest completed job.
 */
@ExtendWith(RealServices.class)
class JobRetentionIT {

    private final Map<String, UUID> pruned = new LinkedHashMap<>();
    private final Map<String, UUID> kept = new LinkedHashMap<>();
    private RealServices.TestDatabase database;

    @Test
    void finishedJobsPastTheirRetentionArePrunedWithWhatIsTheirsAndEveryJobStillNeededStays() throws Exception {
        database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("retention", database).with("PRUNE_INTERVAL_SECONDS", 1)
                .with("PRUNE_BATCH_SIZE", 3).start()) {
            // the pruner runs every second while these are made: what keeps a job is made before the job itself
            UUID old = UUID.randomUUID();
            database.update("WITH made AS (INSERT INTO jobs (uuid, job_type, status, queue, created_at, completed_at) "
                    + "VALUES (?, 'noop', 'completed', 'parked', now() - interval '8 days', now() - interval '8 days') RETURNING uuid) "
                    + "INSERT INTO job_samples (job_uuid, attempt, rows_read, rows_written, rows_failed) SELECT uuid, 1, 5, 5, 0 FROM made", old);
            pruned.put("completed 8 days ago, with a sample and a reprocessed dead letter", old);
            database.update("INSERT INTO dead_letters (job_uuid, dataset, row_number, payload, error, reprocessed_at) "
                    + "VALUES (?, 'contact', 2, 'x', 'bad', now())", old);
            job(kept, "completed 6 days ago", "completed", 6, null, null, null);
            job(pruned, "cancelled 8 days ago", "cancelled", 8, null, null, null);
            job(kept, "failed for good 8 days ago", "failed", 8, null, null, null);
            job(pruned, "failed for good 31 days ago", "failed", 31, null, null, null);
            job(kept, "failed 40 days ago, due to run again", "failed-due", 40, null, null, null);
            UUID lettered = UUID.randomUUID();
            database.update("INSERT INTO dead_letters (job_uuid, dataset, row_number, payload, error) VALUES (?, 'contact', 2, 'x', 'bad')", lettered);
            job(kept, "completed 8 days ago, a dead letter waiting", "completed", 8, null, null, null, lettered);
            UUID batch = UUID.randomUUID();
            job(kept, "open in a batch", "open", 0, null, batch, null);
            job(kept, "completed 8 days ago, its batch unfinished", "completed", 8, null, batch, null);
            UUID parent = UUID.randomUUID();
            job(kept, "an unfinished partition", "open", 0, null, parent, null);
            job(kept, "a partition parent completed 8 days ago, a partition unfinished", "completed", 8, null, null, null, parent);
            UUID needed = UUID.randomUUID();
            job(kept, "open, depending on a job", "open", 0, null, null, needed);
            job(kept, "completed 8 days ago, an open job depends on it", "completed", 8, null, null, null, needed);
            job(kept, "keyed, made 8 days ago", "completed", 8, "client-key-1", null, null);
            job(pruned, "keyed, made 31 days ago", "completed", 31, "client-key-2", null, null);
            job(kept, "a one-off schedule's job", "completed", 40, "once:migrate:2026-01-01", null, null);
            job(kept, "the schedule's newest completed job", "completed", 40, "schedule:nightly:2026-10-02T02:00:00Z", null, null);
            job(pruned, "a schedule's older job", "completed", 41, "schedule:nightly:2026-10-01T02:00:00Z", null, null);

            await().atMost(Duration.ofSeconds(30)).until(() -> prunedSoFar(dromedary) == pruned.size());

            for (Map.Entry<String, UUID> job : pruned.entrySet()) {
                assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE uuid = ?", job.getValue())).as(job.getKey()).isZero();
                assertThat(database.queryLong("SELECT count(*) FROM job_transitions WHERE job_uuid = ?", job.getValue()))
                        .as("transitions of " + job.getKey()).isZero();
            }
            for (Map.Entry<String, UUID> job : kept.entrySet()) {
                assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE uuid = ?", job.getValue())).as(job.getKey()).isOne();
            }
            assertThat(database.queryLong("SELECT count(*) FROM job_samples WHERE job_uuid = ?", old)).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?", old)).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?", lettered)).isOne();
            assertThat(dromedary.api().get(old.toString()).error()).startsWith("ERR_JOB_NOT_FOUND");

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dromedary.managementUrl()
                    + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("dromedary_jobs_pruned_total{status=\"completed\"} 3.0")
                    .contains("dromedary_jobs_pruned_total{status=\"cancelled\"} 1.0")
                    .contains("dromedary_jobs_pruned_total{status=\"failed\"} 1.0");
            JsonNode retention = dromedary.api().send(dromedary.api().request("/common/status").GET()).body().path("data").path("retention");
            assertThat(retention.path("last_pruned_at").asText()).isNotEmpty();
        }
    }

    /**
     * A job as it stood when it finished {@code daysAgo} days ago (made then too), in a queue no instance runs: status
     * failed-due is failed with a run to come; {@code uuid}, when given, is the job's.
     */
    private UUID job(Map<String, UUID> expected, String what, String status, int daysAgo, String idempotencyKey, UUID batch,
                     UUID dependsOn, UUID... uuid) throws SQLException {
        UUID made = uuid.length > 0 ? uuid[0] : UUID.randomUUID();
        boolean finished = !status.equals("open");
        database.update("INSERT INTO jobs (uuid, job_type, status, queue, idempotency_key, batch_uuid, depends_on, run_after, "
                + "created_at, completed_at) VALUES (?, 'noop', ?, 'parked', ?, ?, CAST(? AS uuid[]), "
                + (status.equals("failed-due") ? "now() + interval '1 hour'" : "NULL") + ", now() - make_interval(days => ?), "
                + (finished ? "now() - make_interval(days => ?)" : "CAST(? AS timestamptz)") + ")",
                made, status.equals("failed-due") ? "failed" : status, idempotencyKey, batch,
                dependsOn == null ? "{}" : "{" + dependsOn + "}", daysAgo, finished ? daysAgo : null);
        expected.put(what, made);
        return made;
    }

    private static long prunedSoFar(RunningDromedary dromedary) {
        return dromedary.api().send(dromedary.api().request("/common/status").GET()).body()
                .path("data").path("retention").path("jobs_pruned").asLong();
    }
}
