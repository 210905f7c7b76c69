package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.samples.SampleCsv;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batches are written several at once; a key that comes back in later batches still ends with the values
 * of its last row in the file, in PostgreSQL and in Elasticsearch alike.
 */
@ExtendWith(RealServices.class)
class KeysAcrossBatchesIT {

    private static final int ROWS = 3_000;
    private static final int KEYS = 25;

    @Test
    void theLastRowOfAKeyInTheFileWinsThoughBatchesAreWrittenAtOnce() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("keys-across-batches", database)
                .with("BATCH_SIZE_FOR_INSERTION", 10)
                .with("IMPORT_BATCHES_IN_FLIGHT", 4)
                .start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            SampleCsv sample = new SampleCsv(3);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                keys.add(sample.contact().get(0).toString());
            }
            Map<String, String> lastVersion = new LinkedHashMap<>();
            StringWriter csv = new StringWriter();
            int uuid = SampleCsv.CONTACT_COLUMNS.indexOf("uuid");
            int firstName = SampleCsv.CONTACT_COLUMNS.indexOf("first_name");
            try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.DEFAULT)) {
                printer.printRecord(SampleCsv.CONTACT_COLUMNS);
                for (int row = 1; row <= ROWS; row++) {
                    List<Object> values = new ArrayList<>(sample.contact());
                    // a key comes back every two or three batches, in an order of its own
                    String key = keys.get(row * 7 % KEYS);
                    values.set(uuid, key);
                    values.set(firstName, "version " + row);
                    lastVersion.put(key, "version " + row);
                    printer.printRecord(values);
                }
            }
            imports.upload("imports/keys-across-batches.csv", csv.toString());

            JsonNode job = imports.importAndWait("imports/keys-across-batches.csv", "contact");

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(job.get("job_response").get("rows_imported").asLong()).isEqualTo(ROWS);
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(KEYS);
            assertThat(imports.documents("contacts")).isEqualTo(KEYS);
            for (Map.Entry<String, String> key : lastVersion.entrySet()) {
                assertThat(database.queryLong("SELECT count(*) FROM contacts WHERE uuid = ?::uuid AND first_name = ?",
                        key.getKey(), key.getValue())).as("row of %s", key.getKey()).isEqualTo(1);
                assertThat(imports.document("contacts", key.getKey()).get("first_name").asText())
                        .as("document of %s", key.getKey()).isEqualTo(key.getValue());
            }
        }
    }
}
