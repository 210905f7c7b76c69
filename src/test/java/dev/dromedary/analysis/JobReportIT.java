package dev.dromedary.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The report of an import that failed (its object was not there yet) and completed on its retry, with bad rows of
 * two kinds: its attempts, counts, dead letters by reason and samples are the job's own, as JSON and as a page.
 */
@ExtendWith(RealServices.class)
class JobReportIT {

    private static final int ROWS = 3000;

    @Test
    void theReportOfAFailedThenRetriedImportMatchesTheJob() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("report", database)
                .with("JOB_SAMPLE_SECONDS", 0).with("BATCH_SIZE_FOR_INSERTION", 100).start()) {
            JobsApi api = dromedary.api();
            ImportFixture fixture = new ImportFixture(dromedary, database);
            JobsApi.Response created = api.create("{\"job_type\": \"insert_csv_file\", \"retry_count\": 1, \"retry_interval\": 5, "
                    + "\"job_data\": {\"s3_key\": \"report/contacts.csv\", \"service\": \"contact\"}}");
            String uuid = created.body().get("uuid").asText();
            await().atMost(Duration.ofMinutes(1)).until(() -> api.job(uuid).get("attempts").asInt() == 1
                    && api.status(uuid).equals("failed"));

            List<String> lines = new ArrayList<>(ImportFixture.sample("contact", ROWS, 5).lines().toList());
            List<Long> badNumbers = new ArrayList<>();
            List<Long> badDates = new ArrayList<>();
            String[] header = lines.get(0).split(",");
            int employees = List.of(header).indexOf("employees_count");
            for (int row = 1; row <= ROWS; row++) {
                if (row % 300 == 7 || row % 300 == 8) {
                    String[] cells = lines.get(row).split(",", -1);
                    if (cells.length != header.length) {
                        continue;
                    }
                    if (row % 300 == 7) {
                        cells[employees] = "many";
                        badNumbers.add((long) row);
                    } else {
                        cells[cells.length - 1] = "soon";
                        badDates.add((long) row);
                    }
                    lines.set(row, String.join(",", cells));
                }
            }
            fixture.upload("report/contacts.csv", String.join("\n", lines) + "\n");
            JsonNode job = fixture.awaitSettled(uuid);
            assertThat(job.get("status").asText()).as("%s", job).isEqualTo("completed");

            JsonNode report = api.send(api.request("/common/jobs/" + uuid + "/report").GET()).body().get("data");
            assertThat(report.at("/job/uuid").asText()).isEqualTo(uuid);
            JsonNode attempts = report.get("attempts");
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("failed");
            assertThat(attempts.get(0).get("reason").asText()).contains("there is no object");
            assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("completed");
            assertThat(attempts.get(1).get("instance").asText()).isEqualTo("report");

            long dead = badNumbers.size() + badDates.size();
            assertThat(report.at("/rows/read").asLong()).isEqualTo(job.at("/job_response/rows_read").asLong()).isEqualTo(ROWS);
            assertThat(report.at("/rows/landed/postgresql").asLong()).isEqualTo(ROWS - dead)
                    .isEqualTo(database.queryLong("SELECT count(*) FROM contacts"));
            assertThat(report.at("/rows/landed/elasticsearch").asLong()).isEqualTo(ROWS - dead);
            assertThat(report.at("/rows/dead").asLong()).isEqualTo(dead).isEqualTo(job.at("/job_response/rows_failed").asLong());

            JsonNode reasons = report.get("dead_letters_by_reason");
            assertThat(reasons).hasSize(2);
            JsonNode numbers = reasons.get(0).get("reason").asText().contains("employees_count") ? reasons.get(0) : reasons.get(1);
            JsonNode dates = numbers == reasons.get(0) ? reasons.get(1) : reasons.get(0);
            assertThat(numbers.get("count").asLong()).isEqualTo(badNumbers.size());
            assertThat(dates.get("count").asLong()).isEqualTo(badDates.size());
            assertThat(dates.get("reason").asText()).contains("created_at");
            assertThat(numbers.get("examples").findValues("row_number")).extracting(JsonNode::asLong)
                    .containsExactlyElementsOf(badNumbers.subList(0, 3));
            assertThat(numbers.at("/examples/0/payload").asText()).contains("many");

            JsonNode samples = report.get("samples");
            long checkpoints = database.queryLong("SELECT count(*) FROM job_samples WHERE job_uuid = ?::uuid", uuid);
            // one at each progress write: a write moves the checkpoint over every batch committed since the last
            assertThat(samples).hasSize((int) checkpoints).hasSizeGreaterThan(5);
            long previous = 0;
            for (JsonNode sample : samples) {
                assertThat(sample.get("attempt").asInt()).isEqualTo(2);
                assertThat(sample.get("rows_read").asLong()).isGreaterThanOrEqualTo(previous);
                previous = sample.get("rows_read").asLong();
            }
            assertThat(previous).as("the last checkpoint").isEqualTo(ROWS);
            assertThat(samples.findValues("rows_per_second")).anyMatch(speed -> speed.asDouble() > 0);
            assertThat(report.at("/stages/running_ms").asLong()).isPositive();

            HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(api.request("/common/jobs/" + uuid + "/report").header("Accept", "text/html")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("Rows a second").contains("Dead letters by reason")
                    .contains("there is no object").contains("&#39;employees_count&#39;").doesNotContain("<script");

            assertThat(api.send(api.request("/common/jobs/00000000-0000-4000-8000-000000000000/report").GET()).error())
                    .startsWith("ERR_JOB_NOT_FOUND");
        }
    }
}
