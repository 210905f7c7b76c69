package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given contacts imported once, when the same rows arrive again in another object, then neither PostgreSQL nor
 * Elasticsearch writes a row and every row counts as unchanged; when some rows changed and some are new, exactly
 * those are written, counted as updated and inserted; a forced import writes every row again.
 */
@ExtendWith(RealServices.class)
class ChangeDetectionIT {

    @Test
    void anUnchangedReimportWritesNothingAndAChangedOneWritesExactlyTheChangedRows() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("changes", database).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            String day1 = ImportFixture.sample("contact", 1200, 7);
            imports.upload("daily/day1.csv", day1);
            JsonNode first = imports.importAndWait("daily/day1.csv", "contact").get("job_response");
            assertThat(first.get("rows_inserted").asLong()).isEqualTo(1200);
            assertThat(first.get("rows_updated").asLong()).isZero();
            Map<String, String> rowVersions = rowVersions(database);
            Map<String, Long> documentVersions = documentVersions(imports);

            imports.upload("daily/day2.csv", day1);
            JsonNode unchanged = imports.importAndWait("daily/day2.csv", "contact").get("job_response");

            assertThat(unchanged.get("rows_imported").asLong()).isEqualTo(1200);
            assertThat(unchanged.get("rows_unchanged").asLong()).isEqualTo(1200);
            assertThat(unchanged.get("rows_inserted").asLong()).isZero();
            assertThat(unchanged.get("rows_updated").asLong()).isZero();
            assertThat(rowVersions(database)).as("no PostgreSQL row was written").isEqualTo(rowVersions);
            assertThat(documentVersions(imports)).as("no document was indexed again").isEqualTo(documentVersions);

            List<String> lines = day1.lines().toList();
            StringBuilder day3 = new StringBuilder(lines.get(0)).append('\n');
            List<String> changedKeys = new java.util.ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                if (i % 100 == 0) {
                    changedKeys.add(line.substring(0, 36));
                    line = line.substring(0, 37) + "Changed" + line.substring(37);
                }
                day3.append(line).append('\n');
            }
            String newRows = ImportFixture.sample("contact", 5, 99);
            newRows.lines().skip(1).forEach(line -> day3.append(line).append('\n'));
            imports.upload("daily/day3.csv", day3.toString());
            JsonNode someChanged = imports.importAndWait("daily/day3.csv", "contact").get("job_response");

            assertThat(someChanged.get("rows_updated").asLong()).isEqualTo(12);
            assertThat(someChanged.get("rows_inserted").asLong()).isEqualTo(5);
            assertThat(someChanged.get("rows_unchanged").asLong()).isEqualTo(1188);
            Map<String, String> afterChange = rowVersions(database);
            Map<String, Long> documentsAfterChange = documentVersions(imports);
            assertThat(afterChange).hasSize(1205);
            for (Map.Entry<String, String> row : rowVersions.entrySet()) {
                boolean changed = changedKeys.contains(row.getKey());
                assertThat(afterChange.get(row.getKey()).equals(row.getValue())).as("row %s kept its version", row.getKey()).isEqualTo(!changed);
                assertThat(documentsAfterChange.get(row.getKey())).as("document %s", row.getKey())
                        .isEqualTo(documentVersions.get(row.getKey()) + (changed ? 1 : 0));
            }
            assertThat(database.queryLong("SELECT count(*) FROM contacts WHERE first_name LIKE 'Changed%'")).isEqualTo(12);
            assertThat(documentsAfterChange.keySet()).isEqualTo(afterChange.keySet());

            imports.upload("daily/day4.csv", day3.toString());
            JsonNode forced = imports.importAndWait("daily/day4.csv", "contact", true).get("job_response");
            assertThat(forced.get("rows_unchanged").asLong()).isZero();
            assertThat(forced.get("rows_updated").asLong()).as("force writes every row again").isEqualTo(1205);
        }
    }

    /** Each row's key and the transaction that wrote it last (xmin). */
    private static Map<String, String> rowVersions(RealServices.TestDatabase database) throws Exception {
        Map<String, String> versions = new HashMap<>();
        for (String row : database.queryStrings("SELECT uuid::text || ' ' || xmin::text FROM contacts")) {
            versions.put(row.substring(0, 36), row.substring(37));
        }
        return versions;
    }

    /** Each document's id and version: a document indexed again has the next. */
    private static Map<String, Long> documentVersions(ImportFixture imports) {
        imports.documents("contacts");
        Map<String, Long> versions = new HashMap<>();
        JsonNode hits = ImportFixture.elasticsearch("POST", "/" + imports.indexOf("contacts") + "/_search",
                "{\"size\": 10000, \"version\": true, \"_source\": false}").path("hits").path("hits");
        hits.forEach(hit -> versions.put(hit.path("_id").asText(), hit.path("_version").asLong()));
        return versions;
    }
}
