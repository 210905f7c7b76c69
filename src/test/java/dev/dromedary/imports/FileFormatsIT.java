package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The files data teams get, each imported as well as clean CSV: what lands in PostgreSQL (field by field),
 * Elasticsearch and the facets, against the content the test wrote with writers of its own.
 */
@Order(2)
@ExtendWith(RealServices.class)
class FileFormatsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RealServices.TestDatabase database;
    private static RunningDromedary dromedary;
    private static ImportFixture imports;

    @BeforeAll
    static void start() throws Exception {
        database = RealServices.freshDatabase();
        dromedary = RunningDromedary.named("formats", database).start();
        imports = new ImportFixture(dromedary, database);
    }

    @AfterAll
    static void stop() {
        dromedary.close();
    }

    @BeforeEach
    void emptySinks() throws Exception {
        // PostgreSQL and Elasticsearch hold the same keys: the table's are the documents to delete
        List<String> keys = SinkContents.keys(database, "contacts");
        for (int from = 0; from < keys.size(); from += 10_000) {
            imports.deleteDocuments("contacts", keys.subList(from, Math.min(keys.size(), from + 10_000)));
        }
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE contacts, filters_data, dead_letters");
        }
        assertThat(imports.documents("contacts")).isZero();
    }

    @Test
    void aSemicolonWindows1252CsvWithAccentsLandsAsItsText() throws Exception {
        List<Map<String, String>> people = List.of(
                person(1, "Zoë", "Ångström", "zoe@example.com", "FR"),
                person(2, "François", "Müller; Sohn", "francois@example.com", "DE"),
                person(3, "Œdipe", "Señor €uro", "oedipe@example.com", "ES"));
        StringBuilder csv = new StringBuilder("uuid;first_name;last_name;email;country\r\n");
        for (Map<String, String> p : people) {
            csv.append(p.get("uuid")).append(';').append(p.get("first_name")).append(";\"").append(p.get("last_name"))
                    .append("\";").append(p.get("email")).append(';').append(p.get("country")).append("\r\n");
        }
        imports.upload("formats/excel-export.csv", csv.toString().getBytes(Charset.forName("windows-1252")));

        JsonNode job = imports.importAndWait("formats/excel-export.csv", "contact");

        assertCompleted(job, 3, 3);
        assertThat(job.at("/job_response/read_as/encoding").asText()).isEqualTo("windows-1252");
        assertThat(job.at("/job_response/read_as/delimiter").asText()).isEqualTo(";");
        assertLanded(people);
        assertThat(SinkContents.filtersData(database, "contact")).containsExactly("country=DE", "country=ES", "country=FR");
    }

    @Test
    void aTabSeparatedUtf16FileWithAByteOrderMarkLands() throws Exception {
        List<Map<String, String>> people = List.of(person(4, "Łukasz", "Żółć", "lukasz@example.com", "PL"),
                person(5, "Юлия", "Иванова", "julia@example.com", "UA"), person(6, "美咲", "佐藤", "misaki@example.com", "JP"));
        StringBuilder tsv = new StringBuilder("\uFEFFuuid\tfirst_name\tlast_name\temail\tcountry\n");
        for (Map<String, String> p : people) {
            tsv.append(String.join("\t", p.get("uuid"), p.get("first_name"), p.get("last_name"), p.get("email"), p.get("country")))
                    .append('\n');
        }
        imports.upload("formats/people.tsv", tsv.toString().getBytes(StandardCharsets.UTF_16LE));

        JsonNode job = imports.importAndWait("formats/people.tsv", "contact");

        assertCompleted(job, 3, 3);
        assertThat(job.at("/job_response/read_as/encoding").asText()).isEqualTo("utf-16le");
        assertThat(job.at("/job_response/read_as/delimiter").asText()).isEqualTo("\t");
        assertLanded(people);
    }

    @Test
    void aGzippedCsvOf200000RowsLandsRowForRow() throws Exception {
        String csv = ImportFixture.sample("contact", 200_000, 15);
        imports.upload("formats/contacts.csv.gz", gzip(csv.getBytes(StandardCharsets.UTF_8)));

        JsonNode job = imports.importAndWait("formats/contacts.csv.gz", "contact");

        assertCompleted(job, 200_000, 200_000);
        assertThat(job.at("/job_response/read_as/gzip").asBoolean()).isTrue();
        List<CSVRecord> records = SinkContents.parse(csv);
        Map<String, Map<String, String>> landed = rows("uuid, first_name, last_name, email, country, employees_count");
        assertThat(landed).hasSize(200_000);
        for (CSVRecord record : records) {
            Map<String, String> row = landed.get(record.get("uuid"));
            assertThat(row).as("row %s", record.get("uuid")).isNotNull();
            for (String column : List.of("first_name", "last_name", "email", "country", "employees_count")) {
                assertThat(row.get(column)).as("%s of %s", column, record.get("uuid"))
                        .isEqualTo(record.get(column).isEmpty() ? null : record.get(column));
            }
        }
        assertThat(imports.documents("contacts")).isEqualTo(200_000);
        assertThat(SinkContents.filtersData(database, "contact"))
                .isEqualTo(SinkContents.facetValuesIn(records, List.of("industry", "country", "state", "city", "seniority", "department")));
    }

    @Test
    void anXlsxOf20000RowsMadeByPoiLandsWithItsDatesNumbersFormulasAndEmptyCells() throws Exception {
        List<Map<String, String>> expected = new ArrayList<>();
        ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(100)) {
            Sheet sheet = workbook.createSheet("Contacts");
            CellStyle dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            CellStyle dateTimeStyle = workbook.createCellStyle();
            dateTimeStyle.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd hh:mm"));
            Row header = sheet.createRow(0);
            String[] names = {"UUID", "First Name", "E-mail", "Employees Count", "Annual Revenue", "Created At", "Country"};
            for (int i = 0; i < names.length; i++) {
                header.createCell(i).setCellValue(names[i]);
            }
            for (int i = 1; i <= 20_000; i++) {
                Row row = sheet.createRow(i);
                String uuid = uuid(i);
                row.createCell(0).setCellValue(uuid);
                row.createCell(1).setCellValue("Name " + i);
                if (i % 7 != 0) {
                    row.createCell(2).setCellValue("p" + i + "@example.com");
                }
                row.createCell(3).setCellValue(i * 10);
                Cell revenue = row.createCell(4);
                revenue.setCellFormula("D" + (i + 1) + "*1000");
                LocalDateTime created = LocalDate.of(2024, 1, 1).plusDays(i % 365).atTime(i % 2 == 0 ? 0 : 9, i % 2 == 0 ? 0 : 30);
                Cell date = row.createCell(5);
                date.setCellValue(created);
                date.setCellStyle(i % 2 == 0 ? dateStyle : dateTimeStyle);
                row.createCell(6).setCellValue(i % 3 == 0 ? "IE" : "US");
                Map<String, String> values = new LinkedHashMap<>();
                values.put("uuid", uuid);
                values.put("first_name", "Name " + i);
                values.put("email", i % 7 != 0 ? "p" + i + "@example.com" : null);
                values.put("employees_count", Long.toString(i * 10L));
                values.put("annual_revenue", Long.toString(i * 10_000L));
                values.put("created_at", created.atOffset(ZoneOffset.UTC).toInstant().toString());
                values.put("country", i % 3 == 0 ? "IE" : "US");
                expected.add(values);
            }
            workbook.write(xlsx);
            workbook.dispose();
        }
        // POI's writer leaves formulas without cached values; a spreadsheet program computes them on saving
        byte[] computed = withCachedFormulaValues(xlsx.toByteArray());
        imports.upload("formats/crm.xlsx", computed);

        JsonNode job = imports.importAndWait("formats/crm.xlsx", "contact");

        assertCompleted(job, 20_000, 20_000);
        assertThat(job.at("/job_response/read_as/sheet").asText()).isEqualTo("Contacts");
        Map<String, Map<String, String>> landed = rows(
                "uuid, first_name, email, employees_count, annual_revenue, to_char(created_at AT TIME ZONE 'UTC', "
                        + "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, country");
        assertThat(landed).hasSize(20_000);
        for (Map<String, String> row : expected) {
            Map<String, String> got = landed.get(row.get("uuid"));
            for (String column : row.keySet()) {
                String want = row.get(column);
                assertThat(got.get(column)).as("%s of row %s", column, row.get("uuid")).isEqualTo(want);
            }
        }
        assertThat(imports.documents("contacts")).isEqualTo(20_000);
    }

    @Test
    void jsonLinesWithNestedObjectsLandFlattenedAndALineThatIsNoObjectIsADeadLetter() throws Exception {
        String lines = String.join("\n",
                "{\"uuid\": \"" + uuid(1) + "\", \"first_name\": \"Ada\", \"company\": {\"name\": \"Analytical\", \"domain\": \"ada.example\"}, \"employees_count\": 12}",
                "[\"not\", \"an\", \"object\"]",
                "{\"uuid\": \"" + uuid(2) + "\", \"first_name\": \"Grace\", \"country\": \"US\", \"tags\": [\"a\", \"b\"], \"extra\": {\"deep\": {\"er\": 1}}}",
                "",
                "{\"uuid\": \"" + uuid(3) + "\", \"first_name\": null, \"email\": \"x@example.com\"}") + "\n";
        imports.upload("formats/events.jsonl", lines.getBytes(StandardCharsets.UTF_8));
        String uuid = dromedary.api().createJob("insert_csv_file", "{\"s3_key\": \"formats/events.jsonl\", \"service\": \"contact\", "
                + "\"column_map\": {\"company.name\": \"company_name\", \"company.domain\": \"company_domain\"}}");
        JsonNode job = imports.awaitFinished(uuid);

        assertCompleted(job, 4, 3);
        assertThat(job.at("/job_response/rows_failed").asLong()).isEqualTo(1);
        Map<String, Map<String, String>> landed = rows("uuid, first_name, company_name, company_domain, employees_count, country, email");
        assertThat(landed.get(uuid(1))).containsEntry("first_name", "Ada").containsEntry("company_name", "Analytical")
                .containsEntry("company_domain", "ada.example").containsEntry("employees_count", "12");
        assertThat(landed.get(uuid(2))).containsEntry("first_name", "Grace").containsEntry("country", "US");
        assertThat(landed.get(uuid(3))).containsEntry("first_name", null).containsEntry("email", "x@example.com");
        assertThat(job.at("/job_response/unknown_columns").toString()).contains("tags", "extra.deep.er");
        assertThat(deadLetters()).containsExactly(Map.entry(2L, "line 2 is a JSON array, not an object"));
        assertThat(imports.document("contacts", uuid(1)).get("company_name").asText()).isEqualTo("Analytical");
    }

    @Test
    void headersSpelledAsPeopleSpellThemMapThroughNormalisingAndAliases() throws Exception {
        imports.upload("formats/crm-export.csv", ("UUID,First Name,Surname,E-mail,Company Domain,Cuontry\n"
                + uuid(7) + ",Linus,Torvalds,linus@example.com,kernel.org,FI\n").getBytes(StandardCharsets.UTF_8));

        JsonNode job = imports.importAndWait("formats/crm-export.csv", "contact");

        assertCompleted(job, 1, 1);
        assertThat(rows("uuid, first_name, last_name, email, company_domain").get(uuid(7)))
                .containsEntry("first_name", "Linus").containsEntry("last_name", "Torvalds")
                .containsEntry("email", "linus@example.com").containsEntry("company_domain", "kernel.org");
        assertThat(job.at("/job_response/unknown_columns").toString()).isEqualTo("[\"Cuontry\"]");
        assertThat(job.at("/job_response/messages").asText()).contains("Cuontry; did you mean country?");
    }

    @Test
    void aDryRunReadsAndChecksTheWholeFileAndWritesNothing() throws Exception {
        StringBuilder csv = new StringBuilder("uuid,first_name,employees_count,created_at,colour\n");
        for (int i = 1; i <= 50; i++) {
            csv.append(uuid(i)).append(",P").append(i).append(',').append(i % 10 == 0 ? "many" : Integer.toString(i)).append(',')
                    .append(i % 25 == 0 ? "yesterday" : "2024-05-0" + (1 + i % 9)).append(",red\n");
        }
        imports.upload("formats/try-me.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        String uuid = dromedary.api().createJob("insert_csv_file", "{\"s3_key\": \"formats/try-me.csv\", \"service\": \"contact\", \"dry_run\": true}");
        JsonNode job = imports.awaitFinished(uuid);

        assertThat(job.get("status").asText()).isEqualTo("completed");
        JsonNode response = job.get("job_response");
        assertThat(response.get("dry_run").asBoolean()).isTrue();
        assertThat(response.get("rows_read").asLong()).isEqualTo(50);
        assertThat(response.get("rows_valid").asLong()).isEqualTo(44);
        assertThat(response.get("rows_failed").asLong()).isEqualTo(6);
        assertThat(response.at("/dead_letters_by_reason").fieldNames()).toIterable().hasSize(2);
        assertThat(response.at("/dead_letters_by_reason").toString()).contains("\"'employees_count' is not a whole number (digits")
                .contains("1,234,567)\":5").contains("'created_at' is not a date or time").endsWith(":1}");
        assertThat(response.at("/dead_letter_examples/0/row").asLong()).isEqualTo(10);
        assertThat(response.at("/dead_letter_examples/0/column").asText()).isEqualTo("employees_count");
        assertThat(response.at("/dead_letter_examples/0/value").asText()).isEqualTo("many");
        assertThat(response.get("unknown_columns").toString()).isEqualTo("[\"colour\"]");
        assertThat(response.get("missing_columns").toString()).contains("email", "last_name");
        assertThat(response.at("/read_as/delimiter").asText()).isEqualTo(",");
        assertThat(response.at("/read_as/encoding").asText()).isEqualTo("utf-8");
        assertThat(SinkContents.keys(database, "contacts")).isEmpty();
        assertThat(imports.documents("contacts")).isZero();
        assertThat(deadLetters()).isEmpty();
        assertThat(SinkContents.filtersData(database, "contact")).isEmpty();
        assertThat(imports.importAndWait("formats/try-me.csv", "contact").at("/job_response/rows_imported").asLong())
                .as("a dry run does not count as an import of the object").isEqualTo(44);
    }

    @Test
    void anErrorBudgetStopsAFileOfThirtyPercentBadRowsAtItsCheckpoint() throws Exception {
        StringBuilder csv = new StringBuilder("uuid,employees_count\n");
        for (int i = 1; i <= 5000; i++) {
            csv.append(uuid(i)).append(',').append(i % 10 < 3 ? "lots" : Integer.toString(i)).append('\n');
        }
        imports.upload("formats/bad-third.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        String uuid = dromedary.api().createJob("insert_csv_file", "{\"s3_key\": \"formats/bad-third.csv\", \"service\": \"contact\", "
                + "\"max_error_ratio\": 0.1}");
        JsonNode job = imports.awaitSettled(uuid);

        assertThat(job.get("status").asText()).isEqualTo("failed");
        String error = job.at("/job_response/runtime_errors/0").asText();
        assertThat(error).startsWith("ERR_TOO_MANY_BAD_ROWS: ").contains("more than job_data.max_error_ratio (0.1)")
                .contains("× 'employees_count' is not a whole number");
        long landed = SinkContents.keys(database, "contacts").size();
        assertThat(landed).as("stopped early, not at the file's end").isBetween(700L, 3000L);
        assertThat(landed).isEqualTo(job.at("/progress/rows_written").asLong());
    }

    private static void assertCompleted(JsonNode job, long read, long imported) {
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("completed");
        assertThat(job.at("/job_response/rows_read").asLong()).isEqualTo(read);
        assertThat(job.at("/job_response/rows_imported").asLong()).isEqualTo(imported);
    }

    private static void assertLanded(List<Map<String, String>> people) throws Exception {
        Map<String, Map<String, String>> landed = rows("uuid, first_name, last_name, email, country");
        assertThat(landed).hasSize(people.size());
        for (Map<String, String> person : people) {
            assertThat(landed.get(person.get("uuid"))).isEqualTo(person);
            JsonNode document = imports.document("contacts", person.get("uuid"));
            assertThat(document.get("last_name").asText()).isEqualTo(person.get("last_name"));
            assertThat(document.get("first_name").asText()).isEqualTo(person.get("first_name"));
        }
    }

    /** The contacts' rows by uuid, each the columns selected as text. */
    private static Map<String, Map<String, String>> rows(String columns) throws Exception {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT " + columns + " FROM contacts")) {
            int count = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= count; i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getString(i));
                }
                rows.put(row.get("uuid"), row);
            }
        }
        return rows;
    }

    private static List<Map.Entry<Long, String>> deadLetters() throws Exception {
        List<Map.Entry<Long, String>> letters = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT row_number, error FROM dead_letters ORDER BY row_number")) {
            while (result.next()) {
                letters.add(Map.entry(result.getLong(1), result.getString(2)));
            }
        }
        return letters;
    }

    private static Map<String, String> person(int n, String first, String last, String email, String country) {
        Map<String, String> person = new LinkedHashMap<>();
        person.put("uuid", uuid(n));
        person.put("first_name", first);
        person.put("last_name", last);
        person.put("email", email);
        person.put("country", country);
        return person;
    }

    private static String uuid(int n) {
        return new UUID(0x1234L, n).toString();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    /** The workbook with every formula's value computed and cached in it, as Excel or LibreOffice save it. */
    private static byte[] withCachedFormulaValues(byte[] xlsx) throws IOException {
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook workbook = new org.apache.poi.xssf.usermodel.XSSFWorkbook(
                new java.io.ByteArrayInputStream(xlsx))) {
            workbook.getCreationHelper().createFormulaEvaluator().evaluateAll();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            workbook.write(out);
            return out.toByteArray();
        }
    }
}
