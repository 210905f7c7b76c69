package dev.dromedary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.app.Settings;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ./dromedary dlq stats|list|reprocess} and {@code status} against a running instance, with its settings. */
@ExtendWith(RealServices.class)
class DeadLetterCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCommandsCountListAndReprocessTheDeadLettersOfAJob() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("dlq", database).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("dlq/ragged.csv", """
                    uuid,first_name,last_name,email,employees_count,created_at,country
                    00000000-0000-4000-8000-000000000001,Ada,Lovelace,ada@example.com,12,2024-05-31,GB
                    00000000-0000-4000-8000-000000000002,Too,Few
                    00000000-0000-4000-8000-000000000004,Grace,Hopper,grace@example.com,9,not a date,US
                    """);
            String job = imports.importAndWait("dlq/ragged.csv", "contact").get("uuid").asText();
            // the command reads HTTP_PORT and API_KEYS as the running application does
            Settings settings = new Settings(dromedary.context().getPropertiesComponent());

            Output stats = run(settings, "stats", "--job", job);
            Output list = run(settings, "list", "--job", job, "--limit", "10");
            Output reprocess = run(settings, "reprocess", "--job", job);
            Output wrong = run(settings, "list", "--shoe-size", "9");

            assertThat(stats.exitCode()).as(stats.text()).isZero();
            assertThat(stats.text()).contains(job);
            assertThat(list.exitCode()).as(list.text()).isZero();
            JsonNode rows = JSON.readTree(list.text());
            assertThat(rows).hasSize(2);
            assertThat(rows.findValues("row_number")).extracting(JsonNode::asInt).containsExactlyInAnyOrder(2, 3);
            assertThat(reprocess.exitCode()).as(reprocess.text()).isZero();
            String reprocessing = JSON.readTree(reprocess.text()).get("uuid").asText();
            JsonNode reprocessed = imports.awaitFinished(reprocessing);
            assertThat(reprocessed.get("job_type").asText()).isEqualTo("reprocess_dead_letters");
            assertThat(reprocessed.get("job_response").get("still_failing").asLong()).as("the rows are still bad").isEqualTo(2);
            assertThat(wrong.exitCode()).isEqualTo(2);
            assertThat(wrong.text()).contains("dlq stats|list|reprocess");

            ByteArrayOutputStream statusOut = new ByteArrayOutputStream();
            int statusExit = new StatusCommand(new PrintStream(statusOut, true, StandardCharsets.UTF_8), settings).run(List.of());
            String status = statusOut.toString(StandardCharsets.UTF_8);
            assertThat(statusExit).as(status).isZero();
            assertThat(status).contains("Jobs       open 0  in_queue 0  processing 0  completed 2")
                    .contains("  default   completed 2")
                    .contains("Running    none")
                    .contains("Waiting    nothing waits")
                    .containsPattern("Dead letters waiting: [0-9]+")
                    .containsPattern("  dlq +alive, heartbeat [0-9]+ s ago; queues \\[default:4\\], retries, HTTP");

            ByteArrayOutputStream reportOut = new ByteArrayOutputStream();
            ReportCommand report = new ReportCommand(new PrintStream(reportOut, true, StandardCharsets.UTF_8), settings);
            assertThat(report.run(List.of(job))).as(reportOut.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(reportOut.toString(StandardCharsets.UTF_8)).contains("Job " + job + " (insert_csv_file): completed")
                    .contains("  1 on dlq: completed at ")
                    .contains("Rows       3 read, 1 landed in PostgreSQL, 1 in Elasticsearch, 2 dead letters")
                    .containsPattern("       1  'created_at' .* \\(rows 3\\)");
            java.nio.file.Path page = java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "report-", ".html");
            assertThat(report.run(List.of(job, "--html", page.toString()))).isZero();
            assertThat(java.nio.file.Files.readString(page)).startsWith("<!DOCTYPE html>").contains("Dead letters by reason")
                    .contains("<svg").doesNotContain("<script");
            assertThat(report.run(List.of("not-a-uuid"))).isEqualTo(2);
        }
    }

    private record Output(int exitCode, String text) {
    }

    private static Output run(Settings settings, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exitCode = new DeadLetterCommand(new PrintStream(out, true, StandardCharsets.UTF_8), settings).run(List.of(args));
        return new Output(exitCode, out.toString(StandardCharsets.UTF_8));
    }
}
