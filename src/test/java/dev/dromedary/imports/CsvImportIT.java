package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.samples.SampleCsv;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** insert_csv_file against the real PostgreSQL, S3 server and Elasticsearch: what a user would check. */
@Order(4)
@ExtendWith(RealServices.class)
class CsvImportIT {

    private RealServices.TestDatabase database;
    private RunningDromedary dromedary;
    private ImportFixture imports;

    @BeforeEach
    void start() throws Exception {
        database = RealServices.freshDatabase();
        dromedary = RunningDromedary.named("importer", database).start();
        imports = new ImportFixture(dromedary, database);
    }

    @AfterEach
    void stop() {
        dromedary.close();
    }

    @Test
    void aGeneratedFileLandsInEverySinkAsItIsAndImportingItAgainChangesNothing() throws Exception {
        String csv = ImportFixture.sample("contact", 20_000, 7);
        imports.upload("imports/contacts-20k.csv", csv);

        JsonNode job = imports.importAndWait("imports/contacts-20k.csv", "contact");

        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
        JsonNode response = job.get("job_response");
        assertThat(response.get("rows_read").asLong()).isEqualTo(20_000);
        assertThat(response.get("rows_imported").asLong()).isEqualTo(20_000);
        assertThat(response.get("rows_failed").asLong()).isZero();
        assertThat(response.get("messages").asText()).isEqualTo("Imported 20000 of 20000 rows into contact");
        assertThat(job.get("progress").get("bytes_read").asLong()).isEqualTo(csv.getBytes(StandardCharsets.UTF_8).length);
        assertThat(job.get("progress").get("percent").asDouble()).isEqualTo(100.0);
        assertThat(job.get("progress").get("rows_per_second").asDouble()).isPositive();
        assertThat(job.get("progress").get("seconds_left").isNull()).isTrue();
        assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(20_000);
        // the index did not refresh during the import; it does again, and every document is searchable at once
        assertThat(imports.refreshInterval("contacts")).isNull();
        assertThat(imports.searchableDocuments("contacts")).isEqualTo(20_000);
        assertThat(imports.documents("contacts")).isEqualTo(20_000);

        List<CSVRecord> records = SinkContents.parse(csv);
        for (int i = 0; i < records.size(); i += 397) {
            assertRowEverywhere(records.get(i));
        }
        Set<String> facetValues = SinkContents.facetValuesIn(records, List.of("industry", "country", "state", "city", "seniority", "department"));
        assertThat(SinkContents.filtersData(database, "contact")).isEqualTo(facetValues);

        JsonNode skipped = imports.importAndWait("imports/contacts-20k.csv", "contact");
        JsonNode forced = imports.importAndWait("imports/contacts-20k.csv", "contact", true);

        assertThat(skipped.get("status").asText()).isEqualTo("completed");
        assertThat(skipped.get("job_response").get("messages").asText())
                .startsWith("s3://dromedary/imports/contacts-20k.csv was imported into contact unchanged")
                .contains("by job " + job.get("uuid").asText()).endsWith("set job_data.force to true to import it again");
        assertThat(skipped.get("progress").get("rows_read").asLong()).isZero();
        assertThat(forced.get("status").asText()).isEqualTo("completed");
        assertThat(forced.get("job_response").get("rows_imported").asLong()).isEqualTo(20_000);
        assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(20_000);
        assertThat(imports.documents("contacts")).isEqualTo(20_000);
        assertThat(SinkContents.filtersData(database, "contact")).isEqualTo(facetValues);

        // two imports of the unchanged object started at once (forced, so neither skips it): one imports it, the
        // other defers to it and says which job imports it
        String data = "{\"s3_key\": \"imports/contacts-20k.csv\", \"service\": \"contact\", \"force\": true}";
        String one = dromedary.api().createJob("insert_csv_file", data);
        String other = dromedary.api().createJob("insert_csv_file", data);
        List<JsonNode> both = List.of(imports.awaitFinished(one), imports.awaitFinished(other));
        List<JsonNode> importing = both.stream().filter(run -> run.get("job_response").has("rows_imported")).toList();
        List<JsonNode> deferring = both.stream().filter(run -> run.get("job_response").has("being_imported_by")).toList();
        assertThat(importing).as("jobs %s", both).hasSize(1);
        assertThat(deferring).as("jobs %s", both).hasSize(1);
        assertThat(importing.get(0).get("job_response").get("rows_imported").asLong()).isEqualTo(20_000);
        assertThat(deferring.get(0).get("status").asText()).isEqualTo("completed");
        assertThat(deferring.get(0).get("job_response").get("being_imported_by").asText())
                .isEqualTo(importing.get(0).get("uuid").asText());
        assertThat(deferring.get(0).get("job_response").get("messages").asText())
                .startsWith("s3://dromedary/imports/contacts-20k.csv (ETag ")
                .contains("is being imported into contact by job " + importing.get(0).get("uuid").asText())
                .endsWith("this job defers to it and imports nothing");
        assertThat(deferring.get(0).get("progress").get("rows_read").asLong()).isZero();
        assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(20_000);
    }

    @Test
    void badRowsGoToTheDeadLettersWithTheirRowNumbersAndTheRestLands() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        SampleCsv sample = new SampleCsv(11);
        for (int i = 0; i < 1000; i++) {
            rows.add(new ArrayList<>(sample.contact().stream().map(String::valueOf).toList()));
        }
        Map<Long, String> spoiled = new TreeMap<>();
        List<String> columns = SampleCsv.CONTACT_COLUMNS;
        for (int i = 0; i < 37; i++) {
            int index = 5 + i * 26;
            List<String> row = rows.get(index);
            long rowNumber = index + 1;
            switch (i % 5) {
                case 0 -> {
                    row.remove(row.size() - 1);
                    spoiled.put(rowNumber, "the row has " + (columns.size() - 1) + " values where the header has "
                            + columns.size() + " columns");
                }
                case 1 -> {
                    row.set(columns.indexOf("employees_count"), "many");
                    spoiled.put(rowNumber, "'employees_count' is not a whole number (digits, or groups of three digits and commas like 1,234,567): 'many'");
                }
                case 2 -> {
                    row.set(columns.indexOf("created_at"), "yesterday");
                    spoiled.put(rowNumber, "'created_at' is not a date or time in a form read without doubt");
                }
                case 3 -> {
                    row.set(columns.indexOf("uuid"), "");
                    spoiled.put(rowNumber, "the key 'uuid' is empty");
                }
                default -> {
                    row.set(columns.indexOf("uuid"), "not-a-uuid");
                    spoiled.put(rowNumber, "'uuid' is not a UUID: 'not-a-uuid'");
                }
            }
        }
        imports.upload("imports/with-bad-rows.csv", csv(columns, rows));

        JsonNode job = imports.importAndWait("imports/with-bad-rows.csv", "contact");

        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("job_response").get("rows_imported").asLong()).isEqualTo(963);
        assertThat(job.get("job_response").get("rows_failed").asLong()).isEqualTo(37);
        assertThat(job.get("job_response").get("messages").asText())
                .isEqualTo("Imported 963 of 1000 rows into contact; 37 rows failed validation and are in the dead letters");
        assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(963);
        assertThat(imports.documents("contacts")).isEqualTo(963);

        Map<Long, String> deadLetters = new TreeMap<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT row_number, error, payload FROM dead_letters WHERE job_uuid = ?::uuid")) {
            query.setString(1, job.get("uuid").asText());
            ResultSet result = query.executeQuery();
            while (result.next()) {
                long rowNumber = result.getLong(1);
                deadLetters.put(rowNumber, result.getString(2));
                assertThat(result.getString(3)).isEqualTo(String.join(",", quoteAll(rows.get((int) rowNumber - 1))));
            }
        }
        assertThat(deadLetters.keySet()).isEqualTo(spoiled.keySet());
        spoiled.forEach((rowNumber, reason) -> assertThat(deadLetters.get(rowNumber)).startsWith(reason));

        String jobUuid = job.get("uuid").asText();
        JsonNode listed = imports.api().send(imports.api().request("/common/dead-letters?job_uuid=" + jobUuid + "&limit=1000")
                .GET()).body().get("data");
        assertThat(listed).hasSize(37);
        assertThat(listed).extracting(letter -> letter.get("row_number").asLong()).containsExactlyInAnyOrderElementsOf(spoiled.keySet());
        JsonNode stats = imports.api().send(imports.api().request("/common/dead-letters/stats?job_uuid=" + jobUuid)
                .GET()).body().get("data");
        assertThat(stats.get("total").asLong()).isEqualTo(37);
        assertThat(stats.get("waiting").asLong()).isEqualTo(37);
        assertThat(stats.get("by_job").get(jobUuid).asLong()).isEqualTo(37);
        assertThat(stats.get("by_reason").get("'employees_count' is not a whole number (digits, or groups of three digits and commas like N,N,N)").asLong())
                .isEqualTo(spoiled.values().stream().filter(reason -> reason.startsWith("'employees_count'")).count());
        assertThat(stats.get("by_reason").get("the key 'uuid' is empty").asLong())
                .isEqualTo(spoiled.values().stream().filter(reason -> reason.equals("the key 'uuid' is empty")).count());
        assertThat(imports.api().send(imports.api().request("/common/dead-letters?limit=0").GET()).status()).isEqualTo(400);

        JsonNode reprocessing = imports.awaitFinished(imports.api()
                .post("/common/dead-letters/reprocess", "{\"job_uuid\": \"" + jobUuid + "\"}").body().get("uuid").asText());
        assertThat(reprocessing.get("job_response").get("reprocessed").asLong()).isZero();
        assertThat(reprocessing.get("job_response").get("still_failing").asLong()).isEqualTo(37);
        assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE reprocessed_at IS NULL")).isEqualTo(37);
        assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(963);
    }

    @Test
    void quotedCommasQuotesAndNewlinesAByteOrderMarkAndCrlfAreRead() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String third = UUID.randomUUID().toString();
        String content = "\uFEFFuuid,first_name,title,company_name\r\n"
                + first + ",\"Zoë\",\"Head of \"\"Growth\"\"\",\"Acme, Inc.\"\r\n"
                + second + ",Łukasz,\"line one\r\nline two\",Initech\r\n";
        imports.upload("imports/rfc4180.csv", content);
        imports.upload("imports/lf.csv", "uuid,first_name\n" + third + ",山田\n");

        assertThat(imports.importAndWait("imports/rfc4180.csv", "contact").get("status").asText()).isEqualTo("completed");
        assertThat(imports.importAndWait("imports/lf.csv", "contact").get("status").asText()).isEqualTo("completed");

        assertThat(column("first_name", first)).isEqualTo("Zoë");
        assertThat(column("title", first)).isEqualTo("Head of \"Growth\"");
        assertThat(column("company_name", first)).isEqualTo("Acme, Inc.");
        assertThat(column("title", second)).isEqualTo("line one\r\nline two");
        assertThat(column("first_name", third)).isEqualTo("山田");
        assertThat(imports.document("contacts", first).get("company_name").asText()).isEqualTo("Acme, Inc.");
    }

    @Test
    void aFileThatCannotBeImportedFailsTheJobWithAClearReason() {
        imports.upload("imports/empty.csv", "");
        imports.upload("imports/strange.csv", "colour,shape\nred,round\n");
        imports.upload("imports/no-key.csv", "first_name,last_name\nAda,Lovelace\n");

        assertFailure("imports/missing.csv", "contact", "there is no object s3://dromedary/imports/missing.csv");
        assertFailure("imports/empty.csv", "contact", "the file is empty: it has no header row");
        assertFailure("imports/strange.csv", "contact", "no cell of the header row (2 cells) names a column of contact");
        assertFailure("imports/no-key.csv", "contact", "the header has no 'uuid' column, which identifies each contact row");
        assertFailure("imports/no-key.csv", "planet", "job_data.service: 'planet' is not a dataset; the datasets are company, contact");
    }

    @Test
    void unknownColumnsAreIgnoredAndReported() throws Exception {
        String uuid = UUID.randomUUID().toString();
        imports.upload("imports/extra.csv", "uuid,first_name,favourite_colour,Shoe Size\n" + uuid + ",Ada,blue,38\n");

        JsonNode job = imports.importAndWait("imports/extra.csv", "contact");

        assertThat(job.get("status").asText()).isEqualTo("completed");
        assertThat(job.get("job_response").get("unknown_columns")).hasSize(2);
        assertThat(job.get("job_response").get("messages").asText()).isEqualTo("Imported 1 of 1 rows into contact; "
                + "ignored columns that contact does not have: favourite_colour, Shoe Size");
        assertThat(column("first_name", uuid)).isEqualTo("Ada");
    }

    @Test
    void companiesWithSeveralIndustriesKeepEachOne() throws Exception {
        String csv = ImportFixture.sample("company", 300, 3);
        imports.upload("imports/companies.csv", csv);

        JsonNode job = imports.importAndWait("imports/companies.csv", "company");

        assertThat(job.get("status").asText()).isEqualTo("completed");
        List<CSVRecord> records = SinkContents.parse(csv);
        CSVRecord record = records.stream().filter(r -> r.get("industries").contains(";")).findFirst().orElseThrow();
        List<String> industries = List.of(record.get("industries").split(";"));
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT industries FROM companies WHERE uuid = ?::uuid")) {
            query.setString(1, record.get("uuid"));
            ResultSet result = query.executeQuery();
            assertThat(result.next()).isTrue();
            assertThat((String[]) result.getArray(1).getArray()).containsExactlyElementsOf(industries);
        }
        JsonNode document = imports.document("companies", record.get("uuid"));
        assertThat(document.get("industries")).extracting(JsonNode::asText).containsExactlyElementsOf(industries);
        assertThat(SinkContents.filtersData(database, "company")).isEqualTo(SinkContents.facetValuesIn(records, List.of("industries", "country", "state", "city")));
    }

    private void assertFailure(String key, String dataset, String reason) {
        JsonNode job = imports.importAndWait(key, dataset);
        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("job_response").get("runtime_errors").get(0).asText()).startsWith(reason);
    }

    private void assertRowEverywhere(CSVRecord record) throws Exception {
        String uuid = record.get("uuid");
        JsonNode document = imports.document("contacts", uuid);
        assertThat(document).as("document %s", uuid).isNotNull();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT * FROM contacts WHERE uuid = ?::uuid")) {
            query.setString(1, uuid);
            ResultSet row = query.executeQuery();
            assertThat(row.next()).isTrue();
            for (String column : SampleCsv.CONTACT_COLUMNS) {
                String expected = record.get(column);
                if (column.equals("created_at")) {
                    assertThat(row.getObject(column, OffsetDateTime.class).toInstant()).isEqualTo(Instant.parse(expected));
                    assertThat(Instant.parse(document.get(column).asText())).isEqualTo(Instant.parse(expected));
                } else {
                    assertThat(row.getString(column)).as("%s of %s", column, uuid).isEqualTo(expected);
                    assertThat(document.get(column).asText()).as("%s of document %s", column, uuid).isEqualTo(expected);
                }
            }
        }
    }

    private String column(String column, String uuid) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + column + " FROM contacts WHERE uuid = ?::uuid")) {
            query.setString(1, uuid);
            ResultSet result = query.executeQuery();
            assertThat(result.next()).as("a row %s", uuid).isTrue();
            return result.getString(1);
        }
    }

    private static String csv(List<String> header, List<List<String>> rows) {
        StringBuilder csv = new StringBuilder(String.join(",", header)).append("\r\n");
        for (List<String> row : rows) {
            csv.append(String.join(",", quoteAll(row))).append("\r\n");
        }
        return csv.toString();
    }

    private static List<String> quoteAll(List<String> values) {
        return values.stream().map(value -> CSVFormat.DEFAULT.format(value)).toList();
    }

}
