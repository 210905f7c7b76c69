package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.DromedaryProcess;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given contacts already landed, when a file that is the whole truth is imported as a mirror, then the rows it
 * lacks are deleted from PostgreSQL and Elasticsearch (only within its scope), a mirror that would delete more
 * than its limit deletes nothing, one whose source had dead letters deletes nothing, and one killed while it
 * deletes and resumed by another instance deletes exactly the rows its file lacks.
 */
@ExtendWith(RealServices.class)
class MirrorImportIT {

    @Test
    void aMirrorDeletesTheRowsItsFileLacksWithinItsScopeAndItsLimit() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("mirror", database).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            String all = ImportFixture.sample("contact", 1000, 11);
            List<CSVRecord> records = SinkContents.parse(all);
            String header = all.lines().findFirst().orElseThrow();
            imports.upload("mirror/all.csv", all);
            assertThat(imports.importAndWait("mirror/all.csv", "contact").get("status").asText()).isEqualTo("completed");

            // every 20th row gone from the source: 50 rows, 5% of the table
            List<String> lines = all.lines().skip(1).toList();
            StringBuilder kept = new StringBuilder(header).append('\n');
            for (int i = 0; i < lines.size(); i++) {
                if (i % 20 != 0) {
                    kept.append(lines.get(i)).append('\n');
                }
            }
            imports.upload("mirror/kept.csv", kept.toString());
            JsonNode mirrored = imports.awaitFinished(imports.api().createJob("insert_csv_file",
                    "{\"s3_key\": \"mirror/kept.csv\", \"mode\": \"mirror\"}"));

            assertThat(mirrored.get("status").asText()).as("%s", mirrored).isEqualTo("completed");
            assertThat(mirrored.at("/job_response/rows_deleted").asLong()).isEqualTo(50);
            assertThat(mirrored.at("/job_response/rows_unchanged").asLong()).isEqualTo(950);
            assertThat(mirrored.at("/job_response/mirror/deleted_keys")).hasSize(50);
            JsonNode report = imports.api().send(imports.api().request("/common/jobs/" + mirrored.get("uuid").asText() + "/report")
                    .GET()).body().get("data");
            assertThat(report.at("/rows/deleted").asLong()).isEqualTo(50);
            assertThat(report.at("/rows/unchanged").asLong()).isEqualTo(950);
            assertThat(report.at("/rows/mirror/deleted_keys")).hasSize(50);
            Set<String> keptKeys = new TreeSet<>();
            for (int i = 0; i < records.size(); i++) {
                if (i % 20 != 0) {
                    keptKeys.add(records.get(i).get("uuid"));
                }
            }
            assertThat(new TreeSet<>(SinkContents.keys(database, "contacts"))).isEqualTo(keptKeys);
            assertThat(new TreeSet<>(imports.documentIds("contacts"))).isEqualTo(keptKeys);

            // half the rows gone: over the default limit of 10%, and nothing is deleted
            StringBuilder half = new StringBuilder(header).append('\n');
            kept.toString().lines().skip(1).limit(500).forEach(line -> half.append(line).append('\n'));
            imports.upload("mirror/half.csv", half.toString());
            JsonNode refused = imports.awaitSettled(imports.api().createJob("insert_csv_file",
                    "{\"s3_key\": \"mirror/half.csv\", \"mode\": \"mirror\"}"));
            assertThat(refused.get("status").asText()).isEqualTo("failed");
            assertThat(refused.at("/job_response/runtime_errors").toString()).contains("ERR_MIRROR_DELETE_LIMIT")
                    .contains("more than 95 of the 950 rows");
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(950);
            assertThat(imports.documents("contacts")).isEqualTo(950);

            // a scope: only the rows of one country may go, and the file holds none of them
            String country = records.get(1).get("country");
            long ofCountry = database.queryLong("SELECT count(*) FROM contacts WHERE country = ?", country);
            StringBuilder others = new StringBuilder(header).append('\n');
            for (int i = 0; i < records.size(); i++) {
                if (i % 20 != 0 && !records.get(i).get("country").equals(country)) {
                    others.append(lines.get(i)).append('\n');
                }
            }
            imports.upload("mirror/others.csv", others.toString());
            JsonNode scoped = imports.awaitFinished(imports.api().createJob("insert_csv_file",
                    "{\"s3_key\": \"mirror/others.csv\", \"mode\": \"mirror\", \"mirror_max_delete\": \"100%\", "
                            + "\"mirror_scope\": {\"keyword_match\": {\"must\": {\"country\": [\"" + country + "\"]}}}}"));
            assertThat(scoped.get("status").asText()).as("%s", scoped).isEqualTo("completed");
            assertThat(scoped.at("/job_response/rows_deleted").asLong()).isEqualTo(ofCountry);
            assertThat(database.queryLong("SELECT count(*) FROM contacts WHERE country = ?", country)).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(950 - ofCountry);
            assertThat(imports.documents("contacts")).isEqualTo(950 - ofCountry);

            // a source with a bad row deletes nothing, and says why
            imports.upload("mirror/bad.csv", header + "\n" + lines.get(1).replaceFirst("^[^,]+", "not-a-uuid") + "\n");
            JsonNode withDeadLetters = imports.awaitFinished(imports.api().createJob("insert_csv_file",
                    "{\"s3_key\": \"mirror/bad.csv\", \"mode\": \"mirror\", \"mirror_max_delete\": \"100%\"}"));
            assertThat(withDeadLetters.at("/job_response/rows_deleted").asLong()).isZero();
            assertThat(withDeadLetters.at("/job_response/mirror/deleted_nothing").asText()).contains("dead letters");
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(950 - ofCountry);
        }
    }

    @Test
    void aMirrorKilledWhileItDeletesIsResumedAndDeletesExactlyTheRowsItsFileLacks() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String all = ImportFixture.sample("contact", 20_000, 12);
        List<CSVRecord> records = SinkContents.parse(all);
        List<String> lines = all.lines().toList();
        StringBuilder kept = new StringBuilder(lines.get(0)).append('\n');
        Set<String> keptKeys = new TreeSet<>();
        List<String> absentKeys = new java.util.ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (i % 5 != 0) {
                kept.append(lines.get(i)).append('\n');
                keptKeys.add(records.get(i - 1).get("uuid"));
            } else {
                absentKeys.add(records.get(i - 1).get("uuid"));
            }
        }
        try (RunningDromedary first = RunningDromedary.named("mirror-before", database).start()) {
            ImportFixture imports = new ImportFixture(first, database);
            imports.upload("mirror-killed/all.csv", all);
            imports.upload("mirror-killed/kept.csv", kept.toString());
            assertThat(imports.importAndWait("mirror-killed/all.csv", "contact").get("status").asText()).isEqualTo("completed");
        }

        int port = RunningDromedary.freePort();
        Path log = Files.createTempFile(Path.of("target"), "killed-mirror-", ".log");
        String uuid;
        try (DromedaryProcess mirror = DromedaryProcess.start(log, DromedaryProcess.on(database, "killed-mirror", port,
                Map.of("PARALLEL_JOBS", "1", "MIRROR_PAGE_SIZE", "20")), List.of()).awaitStarted()) {
            JobsApi api = mirror.api(port, RunningDromedary.API_KEY);
            uuid = api.createJob("insert_csv_file", "{\"s3_key\": \"mirror-killed/kept.csv\", \"mode\": \"mirror\", "
                    + "\"mirror_max_delete\": \"25%\"}");
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(5))
                    .until(() -> database.queryLong("SELECT count(*) FROM contacts") < 19_900);
            mirror.kill();
        }
        long left = database.queryLong("SELECT count(*) FROM contacts");
        assertThat(left).as("killed midway through its deletes").isBetween(16_001L, 19_899L);

        database.update("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes' WHERE uuid = ?::uuid", uuid);
        try (RunningDromedary next = RunningDromedary.named("mirror-next", database).start()) {
            ImportFixture imports = new ImportFixture(next, database);
            JsonNode job = imports.awaitSettled(uuid);

            assertThat(job.get("status").asText()).as("%s", job).isEqualTo("completed");
            assertThat(job.get("attempts").asInt()).isEqualTo(2);
            assertThat(new TreeSet<>(SinkContents.keys(database, "contacts"))).isEqualTo(keptKeys);
            assertThat(imports.documents("contacts")).isEqualTo(16_000);
            JsonNode stillIndexed = ImportFixture.elasticsearch("POST", "/" + imports.indexOf("contacts") + "/_count",
                    new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().set("query",
                            new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of("terms", Map.of("uuid", absentKeys))))
                            .toString());
            assertThat(stillIndexed.get("count").asLong()).as("documents of rows the file lacks").isZero();
            assertThat(job.at("/job_response/rows_deleted").asLong()).as("the deletes of the attempt that completed")
                    .isBetween(1L, 4000L);
        }
    }
}
