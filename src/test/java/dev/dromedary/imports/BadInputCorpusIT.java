package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The files of {@code src/test/resources/bad-input}, each of which breaks a naive loader: what each leaves
 * in PostgreSQL, Elasticsearch, the filters table and the dead letters, and what its job says.
 */
@ExtendWith(RealServices.class)
class BadInputCorpusIT {

    private static RealServices.TestDatabase database;
    private static RunningDromedary dromedary;
    private static ImportFixture imports;

    @BeforeAll
    static void start() throws Exception {
        database = RealServices.freshDatabase();
        dromedary = RunningDromedary.named("corpus", database).start();
        imports = new ImportFixture(dromedary, database);
    }

    @AfterAll
    static void stop() {
        dromedary.close();
    }

    @BeforeEach
    void emptySinks() throws Exception {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE contacts, filters_data, dead_letters");
        }
        imports.deleteDocuments("contacts", IntStream.rangeClosed(1, 20).mapToObj(BadInputCorpusIT::uuid).toList());
    }

    @Test
    void anEmptyFileFailsItsJobSayingSoAndLandsNothing() throws Exception {
        JsonNode job = run("empty.csv");

        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("job_response").get("runtime_errors").get(0).asText()).isEqualTo("the file is empty: it has no header row");
        assertNothingLanded();
    }

    @Test
    void aHeaderWithoutRowsCompletesWithNothingToImport() throws Exception {
        JsonNode job = run("header-only.csv");

        assertCompleted(job, 0, 0, 0);
        assertThat(job.get("job_response").get("messages").asText()).isEqualTo("Imported 0 of 0 rows into contact");
        assertNothingLanded();
    }

    @Test
    void aByteOrderMarkAndCrlfLineEndsAreReadAsText() throws Exception {
        JsonNode job = run("bom-crlf.csv");

        assertCompleted(job, 2, 2, 0);
        assertThat(row(1)).containsEntry("first_name", "Ada").containsEntry("country", "GB");
        assertThat(document(1).get("first_name").asText()).isEqualTo("Ada");
        assertThat(row(2)).containsEntry("last_name", "Turing").containsEntry("employees_count", "7");
        assertThat(SinkContents.filtersData(database, "contact")).containsExactly("country=GB");
    }

    @Test
    void quotedCommasQuotesNewlinesAndSpacesAreKeptAsWritten() throws Exception {
        JsonNode job = run("quoted.csv");

        assertCompleted(job, 3, 3, 0);
        assertThat(row(1)).containsEntry("first_name", "Mary, Jr.").containsEntry("last_name", "O\"Brien");
        assertThat(row(2)).containsEntry("first_name", "Line\none").containsEntry("last_name", "Line\r\ntwo")
                .containsEntry("country", null);
        assertThat(row(3)).containsEntry("first_name", "  spaced  ").containsEntry("last_name", ",")
                .containsEntry("employees_count", null);
        assertThat(document(2).get("last_name").asText()).isEqualTo("Line\r\ntwo");
        assertThat(SinkContents.filtersData(database, "contact")).containsExactly("country=IE", "country=US");
    }

    @Test
    void raggedRowsAreDeadLettersWithTheirNumbersAndTheRestLands() throws Exception {
        JsonNode job = run("ragged.csv");

        assertCompleted(job, 4, 2, 2);
        assertThat(deadLetters(job)).containsExactly(
                entry(2L, "the row has 3 values where the header has 7 columns"),
                entry(3L, "the row has 8 values where the header has 7 columns"));
        assertThat(keys()).containsExactly(1, 4);
        assertThat(imports.documents("contacts")).isEqualTo(2);
    }

    @Test
    void aMegabyteValueLandsInATextColumnAndIsRefusedByAKeywordColumn() throws Exception {
        String megabyte = "x".repeat(1024 * 1024);
        imports.upload("bad-input/megabyte.csv", "uuid,first_name,email\n" + uuid(1) + ",\"" + megabyte + "\",a@example.com\n"
                + uuid(2) + ",Bo,\"" + megabyte + "\"\n");
        JsonNode job = imports.importAndWait("bad-input/megabyte.csv", "contact");

        assertCompleted(job, 2, 1, 1);
        assertThat(row(1).get("first_name")).hasSize(1024 * 1024);
        assertThat(document(1).get("first_name").asText()).hasSize(1024 * 1024);
        assertThat(deadLetters(job)).as("the reason quotes 200 characters of the value, not all of it").containsExactly(
                entry(2L, "'email' is 1048576 characters long; a keyword holds at most 8191: '" + "x".repeat(200)
                        + "… (1048576 characters)'"));
    }

    @Test
    void aRowThatIsNotUtf8IsADeadLetterAndTheOthersLand() throws Exception {
        JsonNode job = run("invalid-utf8.csv");

        assertCompleted(job, 3, 2, 1);
        assertThat(deadLetters(job)).containsExactly(
                entry(2L, "the row is not valid UTF-8 (in the value at byte 187 of the file); if the file is in another "
                        + "encoding, name it in job_data.encoding (e.g. windows-1252)"));
        assertThat(row(3)).containsEntry("first_name", "Zoë").containsEntry("last_name", "Ångström");
        assertThat(document(3).get("last_name").asText()).isEqualTo("Ångström");
        assertThat(keys()).containsExactly(1, 3);
    }

    @Test
    void numbersWithThousandsSeparatorsAreReadAndOtherFormsAreRefused() throws Exception {
        JsonNode job = run("thousands.csv");

        assertCompleted(job, 5, 3, 2);
        assertThat(row(1)).containsEntry("employees_count", "1234");
        assertThat(row(2)).containsEntry("employees_count", "12345678");
        assertThat(row(3)).containsEntry("employees_count", "-4000");
        assertThat(document(2).get("employees_count").asLong()).isEqualTo(12_345_678);
        String reason = "'employees_count' is not a whole number (digits, or groups of three digits and commas like 1,234,567)";
        assertThat(deadLetters(job)).containsExactly(entry(4L, reason + ": '1,23'"), entry(5L, reason + ": '1.5'"));
    }

    @Test
    void datesInUnambiguousFormsAreReadAndDayOrMonthFirstOnesAreRefused() throws Exception {
        JsonNode job = run("dates.csv");

        assertCompleted(job, 11, 8, 3);
        Map<Integer, String> expected = new LinkedHashMap<>();
        expected.put(1, "2024-05-31T00:00:00Z");
        expected.put(2, "2024-05-31T12:30:00Z");
        expected.put(3, "2024-05-31T12:30:00Z");
        expected.put(4, "2024-05-31T12:30:00Z");
        expected.put(5, "2024-05-31T12:30:00.250Z");
        expected.put(6, "2024-05-31T00:00:00Z");
        expected.put(7, "2024-05-31T00:00:00Z");
        expected.put(8, "2024-05-31T12:30:00Z");
        for (Map.Entry<Integer, String> date : expected.entrySet()) {
            assertThat(createdAt(date.getKey())).as("row %d", date.getKey()).isEqualTo(date.getValue());
            assertThat(document(date.getKey()).get("created_at").asText()).as("document %d", date.getKey()).isEqualTo(date.getValue());
        }
        assertThat(deadLetters(job)).containsOnlyKeys(9L, 10L, 11L)
                .allSatisfy((row, error) -> assertThat(error).startsWith("'created_at' is not a date or time in a form read without doubt"));
    }

    @Test
    void aKeyRepeatedInTheFileKeepsItsLastRowAndIsCounted() throws Exception {
        JsonNode job = run("duplicate-keys.csv");

        assertCompleted(job, 4, 2, 0);
        assertThat(job.get("job_response").get("rows_duplicate").asLong()).isEqualTo(2);
        assertThat(job.get("job_response").get("messages").asText())
                .contains("2 rows had the key of an earlier row of their batch, and the last of them won");
        assertThat(row(1)).containsEntry("first_name", "Last").containsEntry("email", "v3@example.com");
        assertThat(document(1).get("first_name").asText()).isEqualTo("Last");
        assertThat(imports.documents("contacts")).isEqualTo(2);
    }

    @Test
    void aHeaderWithoutTheKeyColumnFailsTheJobSayingSo() throws Exception {
        JsonNode job = run("missing-key.csv");

        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("job_response").get("runtime_errors").get(0).asText())
                .isEqualTo("the header has no 'uuid' column, which identifies each contact row");
        assertNothingLanded();
    }

    @Test
    void aHeaderInAnotherOrderAndCaseMapsEachColumnByName() throws Exception {
        JsonNode job = run("reordered-header.csv");

        assertCompleted(job, 1, 1, 0);
        assertThat(row(1)).containsEntry("first_name", "Ada").containsEntry("last_name", "Lovelace")
                .containsEntry("email", "ada@example.com").containsEntry("country", "GB");
        assertThat(document(1).get("email").asText()).isEqualTo("ada@example.com");
    }

    @Test
    void aQuoteNeverClosedFailsTheJobNamingTheRowAndByteAndTheRowsBeforeItLand() throws Exception {
        JsonNode job = run("unclosed-quote.csv");

        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("job_response").get("runtime_errors").get(0).asText())
                .isEqualTo("row 2 opens a quoted value at byte 187 of the file that is never closed");
        assertThat(database.queryLong("SELECT count(*) FROM dead_letters")).isZero();
        assertThat(keys()).as("the row before the open quote, in the same batch, landed").containsExactly(1);
        assertThat(imports.documents("contacts")).isEqualTo(1);
    }

    @Test
    void valuesNoSinkCanStoreAreDeadLettersNamingTheColumnAndTheRestLandsInBothSinks() throws Exception {
        String header = "uuid,first_name,employees_count,created_at\n";
        imports.upload("bad-input/unstorable.csv", header
                + uuid(1) + ",Ada,1,2024-05-31\n"
                + uuid(2) + ",Nul\u0000Byte,2,2024-05-31\n"
                + uuid(3) + ",Far,3,+300000-01-01T00:00:00Z\n"
                + uuid(4) + ",Zero,4,0000-01-01\n"
                + uuid(5) + ",Big,9223372036854775808,2024-05-31\n"
                + uuid(6) + ",Late,6,9999-12-31T23:00:00-05:00\n"
                + uuid(7) + ",Edge,9223372036854775807,0001-01-01\n");
        JsonNode job = imports.importAndWait("bad-input/unstorable.csv", "contact");

        assertCompleted(job, 7, 2, 5);
        String range = "is outside the dates that PostgreSQL and Elasticsearch both hold, 0001-01-01 to 9999-12-31 (UTC)";
        assertThat(deadLetters(job)).containsOnlyKeys(2L, 3L, 4L, 5L, 6L);
        assertThat(deadLetters(job).get(2L)).startsWith("'first_name' holds a NUL character (byte 0x00), which PostgreSQL cannot store");
        assertThat(deadLetters(job).get(3L)).startsWith("'created_at' ");
        assertThat(deadLetters(job).get(4L)).startsWith("'created_at' " + range);
        assertThat(deadLetters(job).get(5L)).startsWith("'employees_count' is outside the whole numbers PostgreSQL and "
                + "Elasticsearch hold");
        assertThat(deadLetters(job).get(6L)).startsWith("'created_at' " + range);
        assertThat(keys()).containsExactly(1, 7);
        assertThat(imports.documents("contacts")).isEqualTo(2);
        assertThat(row(7)).containsEntry("employees_count", "9223372036854775807");
        assertThat(document(7).get("created_at").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE payload LIKE '%Nul\uFFFDByte%'"))
                .as("the NUL row's payload, NUL kept as U+FFFD").isEqualTo(1);
        assertThat(database.queryLong("SELECT count(*) FROM dead_letter_headers WHERE job_uuid = ?::uuid",
                job.get("uuid").asText())).as("the header, stored once for its 5 dead letters").isEqualTo(1);
    }

    @Test
    void aRowOfMoreValuesThanMaxColumnsIsADeadLetterAndTheOthersLand() throws Exception {
        imports.upload("bad-input/wide.csv", "uuid,first_name\n" + uuid(1) + ",Ada\n" + uuid(2) + ",x" + ",".repeat(5_000)
                + "\n" + uuid(3) + ",Bo\n");
        JsonNode job = imports.importAndWait("bad-input/wide.csv", "contact");

        assertCompleted(job, 3, 2, 1);
        assertThat(deadLetters(job)).containsExactly(entry(2L, "the row has 5002 values; a row holds at most 1000 (MAX_COLUMNS)"));
        assertThat(keys()).containsExactly(1, 3);
    }

    @Test
    void aJobNamesAtMostAHundredUnknownColumnsAndNeverQuotesMoreThan200CharactersOfTheFile() throws Exception {
        StringBuilder header = new StringBuilder("uuid");
        for (int i = 0; i < 150; i++) {
            header.append(",extra_").append(i);
        }
        imports.upload("bad-input/many-unknown.csv", header + "\n" + uuid(1) + ",x".repeat(150) + "\n");
        JsonNode job = imports.importAndWait("bad-input/many-unknown.csv", "contact");
        assertCompleted(job, 1, 1, 0);
        assertThat(job.get("job_response").get("unknown_columns")).hasSize(100);

        imports.upload("bad-input/no-known-column.csv", "nothing_known_".repeat(1_000) + "\nvalue\n");
        JsonNode refused = imports.importAndWait("bad-input/no-known-column.csv", "contact");
        String error = refused.get("job_response").get("runtime_errors").get(0).asText();
        assertThat(error).startsWith("no cell of the header row (1 cell) names a column of contact").doesNotContain("nothing_known_")
                .hasSizeLessThan(800);

        // an object that is no table at all: its first line is nobody's to read in a job's answer
        imports.upload("bad-input/settings.properties", "db.password=hunter2;admin\nurl=jdbc:postgresql://db/prod\n");
        String secret = imports.importAndWait("bad-input/settings.properties", "contact").get("job_response").toString();
        assertThat(secret).containsPattern("no cell of the header row \\(\\d cells?\\) names a column of contact").doesNotContain("hunter2")
                .doesNotContain("password");
    }

    private JsonNode run(String file) {
        try (InputStream in = getClass().getResourceAsStream("/bad-input/" + file)) {
            imports.upload("bad-input/" + file, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return imports.importAndWait("bad-input/" + file, "contact");
    }

    private static void assertCompleted(JsonNode job, long read, long imported, long failed) {
        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
        JsonNode response = job.get("job_response");
        assertThat(response.get("rows_read").asLong()).isEqualTo(read);
        assertThat(response.get("rows_imported").asLong()).isEqualTo(imported);
        assertThat(response.get("rows_failed").asLong()).isEqualTo(failed);
    }

    private static void assertNothingLanded() throws Exception {
        assertThat(database.queryLong("SELECT count(*) FROM contacts")).isZero();
        assertThat(imports.documents("contacts")).isZero();
        assertThat(database.queryLong("SELECT count(*) FROM filters_data")).isZero();
        assertThat(database.queryLong("SELECT count(*) FROM dead_letters")).isZero();
    }

    private static String uuid(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    private static JsonNode document(int n) {
        JsonNode document = imports.document("contacts", uuid(n));
        assertThat(document).as("document %s", uuid(n)).isNotNull();
        return document;
    }

    private static java.util.List<Integer> keys() throws Exception {
        return SinkContents.keys(database, "contacts").stream()
                .map(key -> Integer.parseInt(key.substring(key.lastIndexOf('-') + 1))).toList();
    }

    private static Map<String, String> row(int n) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT * FROM contacts WHERE uuid = ?::uuid")) {
            query.setString(1, uuid(n));
            ResultSet result = query.executeQuery();
            assertThat(result.next()).as("a row %s", uuid(n)).isTrue();
            Map<String, String> row = new TreeMap<>();
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                row.put(result.getMetaData().getColumnName(i), result.getString(i));
            }
            return row;
        }
    }

    private static String createdAt(int n) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT created_at FROM contacts WHERE uuid = ?::uuid")) {
            query.setString(1, uuid(n));
            ResultSet result = query.executeQuery();
            assertThat(result.next()).as("a row %s", uuid(n)).isTrue();
            return result.getObject(1, OffsetDateTime.class).toInstant().toString();
        }
    }

    private static Map<Long, String> deadLetters(JsonNode job) throws Exception {
        Map<Long, String> letters = new TreeMap<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT row_number, error FROM dead_letters WHERE job_uuid = ?::uuid AND reprocessed_at IS NULL")) {
            query.setString(1, job.get("uuid").asText());
            ResultSet result = query.executeQuery();
            while (result.next()) {
                letters.put(result.getLong(1), result.getString(2));
            }
        }
        return letters;
    }
}
