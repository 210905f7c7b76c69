package dev.dromedary.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.StuckRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Given a job whose worker recorded progress once and then hung, on an instance that stays alive, when no
 * progress comes for a lease, then the job's run loses its lease and is started again (here, by the same
 * instance), and what the hung worker writes afterwards changes nothing: every write of a run is fenced by
 * its attempt.
 */
@Isolated
@ExtendWith(RealServices.class)
class StuckRunIT {

    @Test
    void aRunWhoseWorkerIsStuckIsReapedWhileItsInstanceLivesAndItsLateWritesChangeNothing() throws Exception {
        StuckRun stuck = new StuckRun();
        try (RunningDromedary dromedary = RunningDromedary.named("stuck", RealServices.freshDatabase())
                .with("LEASE_SECONDS", 2)
                .with("HEARTBEAT_INTERVAL_SECONDS", 1)
                .bind("stuckRun", stuck)
                .start()) {
            JobsApi api = dromedary.api();
            String uuid = api.createJob("test_stuck_first_attempt", "{}");

            // no progress for the lease: the same live instance reaps the run and starts attempt 2
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode job = api.job(uuid);
                return job.get("attempts").asInt() == 2 && job.get("status").asText().equals("retrying");
            });
            stuck.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> stuck.lateWriteTaken.get() != null);
            JsonNode whileSecondRuns = api.job(uuid);
            stuck.releaseLaterAttempt();
            await().atMost(Duration.ofSeconds(30)).until(() -> api.status(uuid).equals("completed"));
            JsonNode completed = api.job(uuid);

            assertThat(stuck.lateWriteTaken.get()).as("the hung attempt's progress, written while attempt 2 runs on the "
                    + "same instance").isFalse();
            assertThat(whileSecondRuns.get("progress").get("rows_read").asLong()).isNotEqualTo(999);
            assertThat(completed.get("attempts").asInt()).isEqualTo(2);
            assertThat(completed.get("claimed_by").asText()).isEqualTo("stuck");
            assertThat(completed.get("job_response").get("messages").asText()).isEqualTo("completed on attempt 2");
            assertThat(completed.get("progress").get("rows_read").asLong()).isNotEqualTo(999);
        }
    }
}
