package dev.dromedary.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.jobs.Job;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.NewJob;
import dev.dromedary.testing.Gate;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Given a job whose instance died while running it, when its lease runs out, then a live instance takes
 * it back and runs it to the end; a job whose instance is alive keeps running however long it takes.
 */
@Isolated
@ExtendWith(RealServices.class)
class DeadInstanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aJobOfAnInstanceThatDiedIsResumedByAnother() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Job orphan;
        try (RunningDromedary first = RunningDromedary.named("first", database).with("FIRST_TIME_RUNNER_ENABLED", false)
                .start()) {
            JobStore ghost = new JobStore(database.dataSource(), JSON, "ghost");
            orphan = ghost.create(new NewJob("test_succeed", JSON.createObjectNode().put("name", "Lazarus"), 0, 30, null)).job();
            Job claimed = ghost.claimOpen("default", 1).get(0);
            assertThat(ghost.start(claimed)).isPresent();
        }
        database.update("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes' WHERE uuid = ?", orphan.uuid());

        try (RunningDromedary live = RunningDromedary.named("live", database).with("LEASE_SECONDS", 60).start()) {
            JobsApi api = live.api();
            String uuid = orphan.uuid().toString();

            await().atMost(Duration.ofSeconds(30)).until(() -> api.status(uuid).equals("completed"));

            JsonNode job = api.job(uuid);
            assertThat(job.get("claimed_by").asText()).isEqualTo("live");
            assertThat(job.get("attempts").asInt()).isEqualTo(2);
            assertThat(job.get("job_response").get("messages").asText()).isEqualTo("greeted Lazarus");
        }
    }

    @Test
    void jobsQueuedByAnInstanceThatDiedAreClaimedByAnotherWhileALiveInstancesQueueIsLeftAlone() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary migrates = RunningDromedary.named("migrates", database).with("FIRST_TIME_RUNNER_ENABLED", false)
                .start()) {
            assertThat(migrates.api().list("{}").status()).isEqualTo(200);
        }
        JobStore ghost = new JobStore(database.dataSource(), JSON, "ghost");
        JobStore slow = new JobStore(database.dataSource(), JSON, "slow");
        Job orphan = ghost.create(new NewJob("test_succeed", JSON.createObjectNode().put("name", "Orphan"), 0, 30, null)).job();
        List<Job> claimedByGhost = ghost.claimOpen("default", 1);
        assertThat(claimedByGhost).extracting(Job::uuid).containsExactly(orphan.uuid());
        Job kept = slow.create(new NewJob("test_succeed", JSON.createObjectNode().put("name", "Kept"), 0, 30, null)).job();
        List<Job> claimedBySlow = slow.claimOpen("default", 1);
        assertThat(claimedBySlow).extracting(Job::uuid).containsExactly(kept.uuid());
        // the ghost's last heartbeat is a lease old; the slow instance's is fresh
        database.update("INSERT INTO instances (id, heartbeat_at) VALUES ('ghost', now() - interval '10 minutes'), ('slow', now())");

        try (RunningDromedary live = RunningDromedary.named("heir", database).with("LEASE_SECONDS", 60).start()) {
            JobsApi api = live.api();
            await().atMost(Duration.ofSeconds(30)).until(() -> api.status(orphan.uuid().toString()).equals("completed"));

            JsonNode job = api.job(orphan.uuid().toString());
            assertThat(job.get("claimed_by").asText()).isEqualTo("heir");
            assertThat(job.get("attempts").asInt()).isEqualTo(1);
            assertThat(api.status(kept.uuid().toString())).isEqualTo("in_queue");
            assertThat(slow.start(claimedBySlow.get(0))).as("still the slow instance's to start").isPresent();
            assertThat(ghost.start(claimedByGhost.get(0))).as("fenced out").isEmpty();
        }
    }

    @Test
    void aJobWhoseInstanceIsAliveKeepsRunningPastItsLease() throws Exception {
        Gate gate = new Gate();
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("alive", database)
                .with("LEASE_SECONDS", 4)
                .with("HEARTBEAT_INTERVAL_SECONDS", 1)
                .bind("gate", gate)
                .start()) {
            JobsApi api = dromedary.api();
            String uuid = api.createJob("test_gated", "{}");
            await().until(() -> api.status(uuid).equals("processing"));
            long firstHeartbeat = heartbeatMillis(database, uuid);

            // two leases and more: a heartbeat would have to be three seconds late for the reaper to take it
            await().during(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(15))
                    .until(() -> api.status(uuid).equals("processing"));
            assertThat(heartbeatMillis(database, uuid)).as("refreshed while it ran").isGreaterThan(firstHeartbeat);
            gate.open();

            await().until(() -> api.status(uuid).equals("completed"));
            assertThat(api.job(uuid).get("attempts").asInt()).isEqualTo(1);
        }
    }

    private static long heartbeatMillis(RealServices.TestDatabase database, String uuid) throws Exception {
        return database.queryLong("SELECT (extract(epoch FROM heartbeat_at) * 1000)::bigint FROM jobs WHERE uuid = ?::uuid", uuid);
    }
}
