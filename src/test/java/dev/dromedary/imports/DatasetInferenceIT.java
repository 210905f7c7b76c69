package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.launcher.Launcher;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given a file with no key and headers as a person writes them, {@code ./dromedary dataset infer} proposes a
 * dataset for it (types, a derived key, facets) and says why; a Dromedary started with that dataset imports
 * the very file with no dead letters, each row once.
 */
@ExtendWith(RealServices.class)
class DatasetInferenceIT {

    @Test
    void aDatasetInferredFromAFileImportsThatFileWithNoDeadLetters() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "inferred-datasets-" + UUID.randomUUID()));
        Path file = dir.resolve("orders.csv");
        StringBuilder csv = new StringBuilder("Order Date,Country,Amount,Customer Note,Tags,Buyer E-mail,Order Ref\n");
        String[] countries = {"DE", "FR", "IE", "US"};
        for (int i = 1; i <= 3000; i++) {
            csv.append("2026-0").append(1 + i % 9).append('-').append(10 + i % 18).append(',').append(countries[i % 4]).append(',')
                    .append(i * 3).append(",\"left at the door, ring twice ").append(i).append("\",").append(i % 5 == 0 ? "gift;express" : "standard")
                    .append(",buyer").append(i % 400).append("@example.com,ORD-").append(i % 1500).append('\n');
        }
        Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int code = new Launcher(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run("dataset", "infer", file.toString(), "--name", "order_line", "--dir", dir.toString());

        String said = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).as(said).isZero();
        assertThat(said).contains("Read 3000 rows of " + file + " as csv, utf-8, delimiter ','")
                .containsPattern("order_date +date +every value is a date or time")
                .containsPattern("amount +long +every value is a whole number")
                .containsPattern("customer_note +text ")
                .containsPattern("tags +keywords ")
                .containsPattern("country +keyword ")
                .contains("Key: uuid (no uuid or id column is filled and unique in the 3000 rows sampled")
                .contains("Facets: country, tags");
        String definition = Files.readString(dir.resolve("order_line.yaml"));
        assertThat(definition).contains("key_source: derived").contains("facets: [country, tags]")
                .contains("buyer_e_mail: keyword");
        try (var migrations = Files.list(dir.resolve("migrations"))) {
            assertThat(migrations.map(path -> path.getFileName().toString()).toList())
                    .as("after the highest version under datasets/").containsExactly("V3__order_line.sql");
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(new Launcher(new PrintStream(again, true, StandardCharsets.UTF_8))
                .run("dataset", "infer", file.toString(), "--name", "order_line", "--dir", dir.toString())).isEqualTo(1);
        assertThat(again.toString(StandardCharsets.UTF_8)).contains("order_line.yaml exists; --force writes over it");

        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("inferred", database)
                .with("DATASETS_DIRS", "datasets," + dir).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("inferred/orders.csv", csv.toString());

            JsonNode job = imports.importAndWait("inferred/orders.csv", "order_line");

            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("completed");
            assertThat(job.at("/job_response/rows_imported").asLong()).isEqualTo(3000);
            assertThat(job.at("/job_response/rows_failed").asLong()).isZero();
            assertThat(job.at("/job_response/unknown_columns").size()).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM order_line")).isEqualTo(3000);
            assertThat(database.queryLong("SELECT count(*) FROM order_line WHERE amount = 3 * 17 AND 'express' = ANY (tags)"))
                    .isEqualTo(0);
            assertThat(database.queryLong("SELECT count(*) FROM order_line WHERE amount = 3 * 20 AND 'express' = ANY (tags)"))
                    .isEqualTo(1);
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters")).isZero();
            assertThat(imports.documents("order_line")).isEqualTo(3000);
            assertThat(database.queryLong("SELECT count(DISTINCT value) FROM filters_data WHERE dataset = 'order_line' AND facet = 'country'"))
                    .isEqualTo(4);
        }
    }
}
