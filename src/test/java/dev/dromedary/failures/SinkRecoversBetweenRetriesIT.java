package dev.dromedary.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given an import whose PostgreSQL table is gone for its first two attempts, when the table is back, then
 * the retry runner completes it: failed, retry_in_queued, retrying, twice, then completed, each wait twice
 * the one before, and what the failed attempts left in the dead letters is superseded.
 */
@ExtendWith(RealServices.class)
class SinkRecoversBetweenRetriesIT {

    private static final int RETRY_INTERVAL = 2;

    @Test
    void anImportFailsTwiceWhileItsTableIsAwayAndCompletesOnTheThirdAttempt() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("recovers", database)
                .with("MAX_REDELIVERIES", 1)
                .with("REDELIVERY_DELAY_MS", 50)
                .start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("recovers/contacts.csv", ImportFixture.sample("contact", 3_000, 17));
            execute(database, "ALTER TABLE contacts RENAME TO contacts_away");

            String uuid = dromedary.api().create("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": "
                    + "\"recovers/contacts.csv\"}, \"retry_count\": 3, \"retry_interval\": " + RETRY_INTERVAL + "}")
                    .body().get("uuid").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode job = dromedary.api().job(uuid);
                return job.get("status").asText().equals("failed") && job.get("attempts").asInt() == 2;
            });
            JsonNode secondFailure = dromedary.api().job(uuid);
            execute(database, "ALTER TABLE contacts_away RENAME TO contacts");

            assertThat(secondFailure.get("job_response").get("runtime_errors").get(0).asText())
                    .contains("relation \"contacts\" does not exist");
            assertThat(secondFailure.get("job_response").get("messages").asText())
                    .isEqualTo("Job failed on attempt 2; retrying in " + 2 * RETRY_INTERVAL + " s");
            JsonNode job = imports.awaitSettled(uuid);
            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(job.get("attempts").asInt()).isEqualTo(3);
            assertThat(job.get("job_response").get("rows_imported").asLong()).isEqualTo(3_000);
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(3_000);
            assertThat(imports.documents("contacts")).isEqualTo(3_000);
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid", uuid)).isPositive();
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid "
                    + "AND reprocessed_at IS NULL", uuid)).as("dead letters still waiting").isZero();

            List<Transition> transitions = transitions(database, uuid);
            assertThat(transitions).extracting(Transition::change).containsExactly(
                    "null>open", "open>in_queue", "in_queue>processing", "processing>failed",
                    "failed>retry_in_queued", "retry_in_queued>retrying", "retrying>failed",
                    "failed>retry_in_queued", "retry_in_queued>retrying", "retrying>completed");
            List<Transition> failures = transitions.stream().filter(t -> t.change().endsWith(">failed")).toList();
            for (int attempt = 1; attempt <= 2; attempt++) {
                Transition failure = failures.get(attempt - 1);
                double waited = Duration.between(failure.at(), failure.runAfter()).toMillis() / 1000.0;
                assertThat(waited).as("wait after attempt %d", attempt)
                        .isCloseTo(RETRY_INTERVAL * Math.pow(2, attempt - 1), within(0.5));
                Transition retried = transitions.get(transitions.indexOf(failure) + 1);
                assertThat(retried.at()).as("retried after attempt %d", attempt).isAfterOrEqualTo(failure.runAfter());
            }
        }
    }

    private record Transition(String change, OffsetDateTime at, OffsetDateTime runAfter) {
    }

    private static List<Transition> transitions(RealServices.TestDatabase database, String uuid) throws Exception {
        List<Transition> transitions = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             var query = connection.prepareStatement("SELECT from_status, to_status, at, run_after FROM job_transitions "
                     + "WHERE job_uuid = ?::uuid ORDER BY id")) {
            query.setString(1, uuid);
            ResultSet result = query.executeQuery();
            while (result.next()) {
                transitions.add(new Transition(result.getString(1) + ">" + result.getString(2),
                        result.getObject(3, OffsetDateTime.class), result.getObject(4, OffsetDateTime.class)));
            }
        }
        return transitions;
    }

    private static void execute(RealServices.TestDatabase database, String sql) throws Exception {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
