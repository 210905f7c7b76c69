package dev.dromedary.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.Gate;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.builder.AdviceWith;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An export reads the dataset as it was when it started (an Elasticsearch point in time), though an import lands rows while it runs. */
@ExtendWith(RealServices.class)
class ExportDuringAnImportIT {

    @Test
    void anExportHoldsTheRowsOfItsStartAndNoneOfThoseImportedWhileItRan() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("point-in-time", database).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            String before = ImportFixture.sample("contact", 2_000, 31);
            imports.upload("pit/before.csv", before);
            assertThat(imports.importAndWait("pit/before.csv", "contact").get("status").asText()).isEqualTo("completed");
            // the export stops after reading its first page, until the test has imported more rows
            Gate afterFirstPage = new Gate();
            AdviceWith.adviceWith(dromedary.context(), "job-export_csv_file", route -> route
                    .weaveByToString("Bean\\[ref:csvExport method:append\\]").before().bean(afterFirstPage, "pass"));

            String export = dromedary.api().createJob("export_csv_file", """
                    {"service": "contact", "vql": {"select_columns": ["uuid", "email"],
                     "order_by": [{"order_by": "uuid", "order_direction": "asc"}], "limit": 100}}""");
            afterFirstPage.awaitReached();
            String during = ImportFixture.sample("contact", 200, 32);
            imports.upload("pit/during.csv", during);
            assertThat(imports.importAndWait("pit/during.csv", "contact").get("status").asText()).isEqualTo("completed");
            assertThat(imports.documents("contacts")).as("the rows imported meanwhile are searchable").isEqualTo(2_200);
            afterFirstPage.open();
            JsonNode job = imports.awaitFinished(export);

            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("completed");
            assertThat(job.get("job_response").get("rows_exported").asLong()).isEqualTo(2_000);
            String key = job.get("job_response").get("s3_key").asText();
            byte[] object;
            try (var s3 = RealServices.s3Client()) {
                object = s3.getObjectAsBytes(get -> get.bucket(RealServices.BUCKET).key(key)).asByteArray();
            }
            Set<String> exported = uuids(new String(object, StandardCharsets.UTF_8));
            assertThat(exported).as("each row once").hasSize(2_000);
            assertThat(exported).isEqualTo(uuids(before));
        }
    }

    private static Set<String> uuids(String csv) throws Exception {
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        Set<String> uuids = records.stream().map(record -> record.get("uuid")).collect(Collectors.toSet());
        assertThat(uuids).as("no key twice").hasSize(records.size());
        return uuids;
    }
}
