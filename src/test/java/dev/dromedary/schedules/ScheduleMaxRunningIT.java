package dev.dromedary.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.Gate;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given a schedule that fires every second for a job that takes longer, when its job is still running at the next
 * fire times, then those fire times make no job (max_running 1, the default), each skip is recorded with its reason
 * and shown by status and counted in metrics; once the job ends, the next fire time makes the next job.
 */
@ExtendWith(RealServices.class)
@ResourceLock(RunningDromedary.SCHEDULER)
class ScheduleMaxRunningIT {

    @Test
    void aSlowJobOnAShortScheduleIsNotPiledUpAndEachSkippedFireTimeIsRecorded() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path schedules = Files.createTempFile(Path.of("target").toAbsolutePath(), "schedules-", ".yaml");
        Files.writeString(schedules, """
                schedules:
                  - name: slow-every-second
                    every: 1s
                    job_type: test_gated
                """);
        Gate gate = new Gate();
        try (RunningDromedary dromedary = RunningDromedary.named("max-running", database).with("SCHEDULES_FILE", schedules)
                .bind("gate", gate).start()) {
            gate.awaitReached();
            await().atMost(Duration.ofSeconds(60)).until(() -> database.queryLong("SELECT count(*) FROM schedule_skips") >= 3);

            assertThat(database.queryLong("SELECT count(*) FROM jobs")).as("one job, however many fire times passed").isEqualTo(1);
            JobsApi api = dromedary.api();
            JsonNode skips = api.send(api.request("/common/status").GET()).body().at("/data/schedule_skips/0");
            assertThat(skips.get("schedule").asText()).isEqualTo("slow-every-second");
            assertThat(skips.get("skips").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(skips.get("last_reason").asText()).isEqualTo("1 of its jobs are still open or running (max_running 1)");
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(dromedary.managementUrl() + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).containsPattern("dromedary_schedule_skips_total\\{[^}]*schedule=\"slow-every-second\"[^}]*} [1-9]");

            gate.open();
            await().atMost(Duration.ofSeconds(60)).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") >= 2);
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE status NOT IN ('completed', 'open', 'in_queue', 'processing')"))
                    .isZero();
        }
    }
}
