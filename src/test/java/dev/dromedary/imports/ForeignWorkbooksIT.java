package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 2,000 contacts as a CSV, then as openpyxl and LibreOffice Calc wrote the same rows into workbooks
 * (src/test/resources/xlsx/make-fixtures.py says how each was made): each workbook lands exactly as its CSV twin
 * did, every row unchanged after the CSV's import (same text, numbers and dates once typed), none a dead letter.
 */
@ExtendWith(RealServices.class)
class ForeignWorkbooksIT {

    private static final String ROWS = "SELECT uuid::text || '|' || first_name || '|' || last_name || '|' || coalesce(email, '') || '|' "
            + "|| country || '|' || employees_count || '|' || annual_revenue || '|' || created_at::text FROM contacts ORDER BY uuid";

    @Test
    void openpyxlAndLibreOfficeWorkbooksLandAsTheirCsvTwinDoes() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("foreign-workbooks", database).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("workbooks/contacts-2000.csv", fixture("contacts-2000.csv"));
            JsonNode csv = imports.importAndWait("workbooks/contacts-2000.csv", "contact");
            assertThat(csv.at("/job_response/rows_imported").asLong()).as("%s", csv).isEqualTo(2000);
            List<String> landed = database.queryStrings(ROWS);
            assertThat(landed).hasSize(2000);
            assertThat(landed.stream().filter(row -> row.contains("|Person 11|" + "|"))).as("every 11th has no e-mail").hasSize(1);
            assertThat(landed.stream().filter(row -> row.endsWith(" 00:00:00+00"))).as("every 7th created at midnight")
                    .hasSizeGreaterThanOrEqualTo(285);

            for (String workbook : List.of("openpyxl-contacts-2000.xlsx", "libreoffice-contacts-2000.xlsx")) {
                imports.upload("workbooks/" + workbook, fixture(workbook));
                JsonNode job = imports.importAndWait("workbooks/" + workbook, "contact");
                JsonNode response = job.get("job_response");
                assertThat(job.get("status").asText()).as("%s: %s", workbook, job).isEqualTo("completed");
                assertThat(response.get("rows_read").asLong()).as(workbook).isEqualTo(2000);
                assertThat(response.get("rows_failed").asLong()).as(workbook).isZero();
                assertThat(response.get("rows_unchanged").asLong()).as("%s: every row as the CSV landed it", workbook).isEqualTo(2000);
                assertThat(database.queryStrings(ROWS)).as(workbook).isEqualTo(landed);
            }
        }
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = ForeignWorkbooksIT.class.getResourceAsStream("/xlsx/" + name)) {
            return in.readAllBytes();
        }
    }
}
