package dev.dromedary.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.samples.SampleCsv;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One object imported as partitions by two instances: every row once in PostgreSQL, Elasticsearch and the facets;
 * keys that several partitions hold end with the file's last row of them; a bad row is a dead letter with its row
 * number in the file; the parent's counts are the file's.
 */
@ExtendWith(RealServices.class)
class PartitionedImportIT {

    private static final int ROWS = 6_000;
    private static final int REPEATED = 300;

    @Test
    void twoInstancesImportTheCutObjectEachRowOnceWithTheLastRowOfAKeyWinning() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary first = RunningDromedary.named("partitions-a", database).with("BATCH_SIZE_FOR_INSERTION", 200)
                .with("PARALLEL_JOBS", 2).start();
             RunningDromedary second = RunningDromedary.named("partitions-b", database).with("BATCH_SIZE_FOR_INSERTION", 200)
                     .with("PARALLEL_JOBS", 2).start()) {
            ImportFixture imports = new ImportFixture(first, database);
            SampleCsv sample = new SampleCsv(11);
            int uuid = SampleCsv.CONTACT_COLUMNS.indexOf("uuid");
            int firstName = SampleCsv.CONTACT_COLUMNS.indexOf("first_name");
            Map<String, String> lastFirstName = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            StringWriter csv = new StringWriter();
            long badRow = ROWS / 2 + 17;
            try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.DEFAULT)) {
                printer.printRecord(SampleCsv.CONTACT_COLUMNS);
                for (int row = 1; row <= ROWS; row++) {
                    List<Object> values = new ArrayList<>(sample.contact());
                    // quoted line ends, for the cuts to step over
                    values.set(firstName, row % 3 == 0 ? "First\nof row " + row : "First " + row);
                    keys.add(values.get(uuid).toString());
                    lastFirstName.put(values.get(uuid).toString(), values.get(firstName).toString());
                    printer.printRecord(values);
                }
                // the file's last part holds later rows of keys of its first part
                for (int again = 0; again < REPEATED; again++) {
                    List<Object> values = new ArrayList<>(sample.contact());
                    values.set(uuid, keys.get(again));
                    values.set(firstName, "Later " + again);
                    lastFirstName.put(keys.get(again), "Later " + again);
                    printer.printRecord(values);
                }
            }
            String text = csv.toString();
            // a row without its key, in the middle of the file: a dead letter numbered as the file's row (a record is a
            // CRLF line here: the line ends inside values are LF)
            String[] lines = text.split("\r\n", -1);
            String keyOfBad = lines[(int) badRow].substring(0, 36);
            lines[(int) badRow] = lines[(int) badRow].substring(36);
            lastFirstName.remove(keyOfBad);
            imports.upload("partitions/contacts.csv", String.join("\r\n", lines));

            String parent = imports.api().createJob("insert_csv_file",
                    "{\"s3_key\": \"partitions/contacts.csv\", \"service\": \"contact\", \"partitions\": 4}");
            JsonNode job = imports.awaitFinished(parent);

            JsonNode response = job.get("job_response");
            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(response.get("partitions")).hasSize(4);
            assertThat(response.get("rows_read").asLong()).isEqualTo(ROWS + REPEATED);
            assertThat(response.get("rows_failed").asLong()).isEqualTo(1);
            assertThat(response.get("rows_imported").asLong()).isEqualTo(ROWS + REPEATED - 1);
            assertThat(response.get("keys_in_several_partitions").asLong()).isEqualTo(REPEATED);
            assertThat(response.get("boundary_scan").get("bytes").asLong()).isPositive();
            assertThat(response.get("messages").asText()).contains("in 4 partitions");
            long firstRowsSum = 0;
            Set<String> partitionJobs = new HashSet<>();
            for (JsonNode partition : response.get("partitions")) {
                assertThat(partition.get("status").asText()).isEqualTo("completed");
                partitionJobs.add(partition.get("uuid").asText());
                firstRowsSum += partition.get("rows_read").asLong();
            }
            assertThat(firstRowsSum).as("the partitions read the file's rows, each once").isEqualTo(ROWS + REPEATED);
            assertThat(job.get("progress").get("rows_read").asLong()).isEqualTo(ROWS + REPEATED);

            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(ROWS - 1);
            assertThat(imports.searchableDocuments("contacts")).isEqualTo(ROWS - 1);
            assertThat(SinkContents.keys(database, "contacts")).containsExactlyInAnyOrderElementsOf(lastFirstName.keySet());
            assertThat(imports.documentIds("contacts")).containsExactlyInAnyOrderElementsOf(lastFirstName.keySet());
            for (int again = 0; again < REPEATED; again += 37) {
                String key = keys.get(again);
                assertThat(database.queryLong("SELECT count(*) FROM contacts WHERE uuid = ?::uuid AND first_name = ?", key,
                        "Later " + again)).as("row of %s", key).isEqualTo(1);
                assertThat(imports.document("contacts", key).get("first_name").asText()).isEqualTo("Later " + again);
            }
            assertThat(SinkContents.filtersData(database, "contact"))
                    .containsAll(SinkContents.facetValuesIn(SinkContents.parse(String.join("\r\n", lines)), List.of("country")));
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE row_number = ? AND job_uuid = ANY (?::uuid[])",
                    badRow, "{" + String.join(",", partitionJobs) + "}")).as("dead letter of row %d", badRow).isEqualTo(1);
            assertThat(database.queryLong("SELECT count(*) FROM partition_keys")).as("the keys are forgotten").isZero();

            String again = imports.api().createJob("insert_csv_file",
                    "{\"s3_key\": \"partitions/contacts.csv\", \"service\": \"contact\", \"partitions\": 4}");
            assertThat(imports.awaitFinished(again).get("job_response").has("already_imported_by")).isTrue();
        }
    }

    @Test
    void threeInstancesWithTheDefaultSettingsShareTheSixPartitionsOfAnImportThatOneOfThemCut() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary first = RunningDromedary.named("spread-a", database).start();
             RunningDromedary second = RunningDromedary.named("spread-b", database).start();
             RunningDromedary third = RunningDromedary.named("spread-c", database).start()) {
            ImportFixture imports = new ImportFixture(first, database);
            int rows = 24_000;
            imports.upload("spread/contacts.csv", ImportFixture.sample("contact", rows, 21));
            String parent = imports.api().createJob("insert_csv_file",
                    "{\"s3_key\": \"spread/contacts.csv\", \"service\": \"contact\", \"partitions\": 6}");
            JsonNode job = imports.awaitFinished(parent);

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(job.get("job_response").get("partitions")).hasSize(6);
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(rows);
            assertThat(imports.searchableDocuments("contacts")).isEqualTo(rows);
            // who ran each partition, by the transitions its runs recorded
            List<String> ranBy = database.queryStrings("SELECT instance || ':' || count(DISTINCT job_uuid) FROM job_transitions "
                    + "WHERE to_status IN ('processing', 'retrying') AND job_uuid IN (SELECT uuid FROM jobs WHERE batch_uuid = ?::uuid) "
                    + "GROUP BY instance ORDER BY instance", parent);
            Map<String, Long> partitionsPerInstance = new LinkedHashMap<>();
            ranBy.forEach(entry -> partitionsPerInstance.put(entry.split(":")[0], Long.parseLong(entry.split(":")[1])));
            assertThat(partitionsPerInstance).as("partitions run per instance")
                    .containsOnlyKeys("spread-a", "spread-b", "spread-c")
                    .allSatisfy((instance, partitions) -> assertThat(partitions).isLessThanOrEqualTo(6 / 3 + 1));
        }
    }

    @Test
    void aGzippedFileIsImportedInOnePieceAndSaysWhy() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("partitions-gzip", database).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
            try (var out = new java.util.zip.GZIPOutputStream(gz)) {
                out.write(ImportFixture.sample("contact", 500, 4).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            imports.upload("partitions/contacts.csv.gz", gz.toByteArray());
            String uuid = imports.api().createJob("insert_csv_file",
                    "{\"s3_key\": \"partitions/contacts.csv.gz\", \"service\": \"contact\", \"partitions\": 3}");
            JsonNode job = imports.awaitFinished(uuid);

            assertThat(job.get("status").asText()).isEqualTo("completed");
            assertThat(job.get("job_response").get("rows_imported").asLong()).isEqualTo(500);
            assertThat(job.get("job_response").get("partitioning").asText()).contains("in one piece");
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE batch_uuid = ?::uuid", uuid)).isZero();
        }
    }
}
