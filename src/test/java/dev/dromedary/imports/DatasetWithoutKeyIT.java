package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given a third dataset defined only by files (a definition and a migration) whose CSV has no key column,
 * when the same file is imported twice, then each row is in the table and the index once.
 */
@ExtendWith(RealServices.class)
class DatasetWithoutKeyIT {

    @Test
    void aFileWithoutKeysImportedTwiceHoldsEachRowOnce() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("visits", database)
                .with("DATASETS_DIRS", "datasets,src/test/resources/test-datasets")
                .start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            StringBuilder csv = new StringBuilder("page,visitor,seconds,visited_at\n");
            for (int i = 0; i < 1200; i++) {
                csv.append("/pricing,visitor ").append(i % 7).append(',').append(i).append(",2026-11-0")
                        .append(1 + i % 9).append("T10:00:00Z\n");
            }
            imports.upload("visits/day.csv", csv.toString());

            JsonNode first = imports.importAndWait("visits/day.csv", "visit");
            JsonNode second = imports.importAndWait("visits/day.csv", "visit", true);

            assertThat(first.get("status").asText()).isEqualTo("completed");
            assertThat(second.get("status").asText()).isEqualTo("completed");
            assertThat(second.get("job_response").get("rows_imported").asLong()).isEqualTo(1200);
            assertThat(database.queryLong("SELECT count(*) FROM visits")).isEqualTo(1200);
            assertThat(database.queryLong("SELECT count(DISTINCT seconds) FROM visits")).isEqualTo(1200);
            assertThat(imports.documents("visits")).isEqualTo(1200);
        }
    }
}
