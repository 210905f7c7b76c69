package dev.dromedary.failures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ElasticsearchFaults;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Elasticsearch answering a bulk request item by item, through a real HTTP server in front of it that adds
 * the faults: documents a busy cluster rejects are sent again alone until they land; a document refused for
 * its content is a dead letter with Elasticsearch's reason that no sink holds; a batch that fails for good
 * in Elasticsearch is in no sink, and the retry completes the import with the same keys in both.
 */
@ExtendWith(RealServices.class)
class BulkItemFailuresIT {

    private static RealServices.TestDatabase database;
    private static ElasticsearchFaults faults;
    private static RunningDromedary dromedary;
    private static ImportFixture imports;

    @BeforeAll
    static void start() throws Exception {
        database = RealServices.freshDatabase();
        // contacts whose first_name Elasticsearch holds as a number: a name is refused for its content
        ImportFixture.elasticsearch("PUT", "/" + database.name() + "_contacts", "{\"settings\": {\"number_of_shards\": 1, "
                + "\"number_of_replicas\": 0}, \"mappings\": {\"properties\": {\"first_name\": {\"type\": \"long\"}}}}");
        faults = new ElasticsearchFaults();
        dromedary = RunningDromedary.named("bulk-items", database)
                .with("ELASTICSEARCH_URL", faults.url())
                .with("MAX_REDELIVERIES", 1)
                .with("REDELIVERY_DELAY_MS", 50)
                .start();
        imports = new ImportFixture(dromedary, database);
    }

    @AfterAll
    static void stop() {
        dromedary.close();
        faults.close();
    }

    @Test
    void documentsABusyClusterRejectsAreSentAgainAloneAndTheImportCompletesWithEveryRow() throws Exception {
        String csv = ImportFixture.sample("company", 2_000, 5);
        imports.upload("bulk-items/busy.csv", csv);
        faults.bulkSizes.clear();
        faults.busyFor(3, 120);

        JsonNode job = imports.importAndWait("bulk-items/busy.csv", "company");

        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
        assertThat(job.get("job_response").get("rows_imported").asLong()).isEqualTo(2_000);
        assertThat(job.get("job_response").get("rows_failed").asLong()).isZero();
        assertThat(faults.bulkSizes).as("the rejected documents sent again, on their own").contains(120);
        assertThat(faults.bulkSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2_000 + 3 * 120);
        Set<String> keys = keysOf(csv);
        assertThat(new TreeSet<>(SinkContents.keys(database, "companies"))).containsAll(keys);
        assertThat(imports.documentIds("companies")).isEqualTo(new TreeSet<>(SinkContents.keys(database, "companies")));
        assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid", job.get("uuid").asText())).isZero();
    }

    @Test
    void aRowElasticsearchRefusesForItsContentIsADeadLetterWithItsReasonAndInNoSink() throws Exception {
        StringBuilder csv = new StringBuilder("uuid,first_name,country\n");
        for (int i = 1; i <= 10; i++) {
            csv.append(uuid(i)).append(',').append(i == 3 || i == 7 ? "Ada" : String.valueOf(i)).append(',')
                    .append(i == 3 ? "XX" : "GB").append('\n');
        }
        imports.upload("bulk-items/mapping.csv", csv.toString());

        JsonNode job = imports.importAndWait("bulk-items/mapping.csv", "contact");

        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
        assertThat(job.get("job_response").get("rows_imported").asLong()).isEqualTo(8);
        assertThat(job.get("job_response").get("rows_failed").asLong()).isEqualTo(2);
        Map<Long, String> letters = deadLetters(job.get("uuid").asText());
        assertThat(letters).containsOnlyKeys(3L, 7L);
        assertThat(letters.values()).allSatisfy(reason -> assertThat(reason)
                .startsWith("Elasticsearch refused the row: ").contains("first_name"));
        Set<String> landed = new TreeSet<>(SinkContents.keys(database, "contacts"));
        assertThat(landed).hasSize(8).doesNotContain(uuid(3), uuid(7));
        assertThat(imports.documentIds("contacts")).isEqualTo(landed);
        assertThat(SinkContents.filtersData(database, "contact")).containsExactly("country=GB");
    }

    @Test
    void aBatchThatFailsForGoodInElasticsearchIsInNoSinkAndTheRetryCompletesWithTheSameKeysInBoth() throws Exception {
        String csv = ImportFixture.sample("company", 3_000, 6);
        List<CSVRecord> records = SinkContents.parse(csv);
        imports.upload("bulk-items/outage.csv", csv);
        // row 1,200 is in batch 3; two tries (MAX_REDELIVERIES 1) both fail
        faults.failBulksHolding(records.get(1_199).get("uuid"), 2);

        String uuid = imports.api().create("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": "
                + "\"bulk-items/outage.csv\", \"service\": \"company\"}, \"retry_count\": 1, \"retry_interval\": 1}")
                .body().get("uuid").asText();
        JsonNode job = imports.awaitSettled(uuid);

        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
        assertThat(job.get("attempts").asInt()).isEqualTo(2);
        assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid", uuid))
                .as("the failed batch's rows were dead letters").isPositive();
        assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid AND reprocessed_at IS NULL",
                uuid)).as("dead letters still waiting").isZero();
        Set<String> keys = keysOf(csv);
        assertThat(new TreeSet<>(SinkContents.keys(database, "companies"))).containsAll(keys);
        assertThat(imports.documentIds("companies")).isEqualTo(new TreeSet<>(SinkContents.keys(database, "companies")));
    }

    private static Set<String> keysOf(String csv) throws Exception {
        Set<String> keys = new LinkedHashSet<>();
        SinkContents.parse(csv).forEach(record -> keys.add(record.get("uuid")));
        return new TreeSet<>(keys);
    }

    private static Map<Long, String> deadLetters(String job) throws Exception {
        Map<Long, String> letters = new TreeMap<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT row_number, error FROM dead_letters WHERE job_uuid = ?::uuid AND reprocessed_at IS NULL")) {
            query.setString(1, job);
            ResultSet result = query.executeQuery();
            while (result.next()) {
                letters.put(result.getLong(1), result.getString(2));
            }
        }
        return letters;
    }

    private static String uuid(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }
}
