package dev.dromedary.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Files of each format and dialect opened as records, and resumed after each record as a checkpoint would. */
class FileSourcesTest {

    @Test
    void theDelimiterIsTheOneThatSplitsTheFirstRecordsAlikeAndQuotedOnesDoNotCount() {
        assertThat(Dialect.sniffDelimiter("a;b;c\n1;\"x,y,z,w\";3\n2;q;4\n", '"', 0, ',')).isEqualTo(';');
        assertThat(Dialect.sniffDelimiter("a\tb\n1\t2\n", '"', 0, ',')).isEqualTo('\t');
        assertThat(Dialect.sniffDelimiter("a|b|c\n1|2|3\n", '"', 0, ',')).isEqualTo('|');
        assertThat(Dialect.sniffDelimiter("Report; exported 2024, by me\nname,email\nZoë,z@x\n", '"', 1, ',')).isEqualTo(',');
        assertThat(Dialect.sniffDelimiter("one column\nvalue\n", '"', 0, '\t')).as("none splits: the extension's").isEqualTo('\t');
    }

    @Test
    void theEncodingIsToldByItsByteOrderMarkOrItsBytes() {
        assertThat(detect(new byte[]{(byte) 0xFF, (byte) 0xFE, 'a', 0})).isEqualTo("utf-16le");
        assertThat(detect(new byte[]{(byte) 0xFE, (byte) 0xFF, 0, 'a'})).isEqualTo("utf-16be");
        assertThat(detect("uuid\tname\n".getBytes(StandardCharsets.UTF_16LE))).as("no mark, every other byte NUL").isEqualTo("utf-16le");
        assertThat(detect("Zoë;Müller\n".getBytes(Charset.forName("windows-1252")))).isEqualTo("windows-1252");
        assertThat(detect("Zoë;Müller\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("utf-8");
        assertThat(detect("plain ascii\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("utf-8");
        byte[] mostlyUtf8 = concat("Zoë,Ångström\n".getBytes(StandardCharsets.UTF_8), new byte[]{'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertThat(detect(mostlyUtf8)).as("a bad row in a UTF-8 file stays a bad row").isEqualTo("utf-8");
    }

    @Test
    void aWindows1252SemicolonFileReadsAsItsText() {
        List<SourceRow> rows = start("people.csv", "name;city\nZoë;Köln\n\"Jean; fils\";Besançon\n".getBytes(Charset.forName("windows-1252")), Map.of());

        assertThat(rows).extracting(SourceRow::values).containsExactly(List.of("Zoë", "Köln"), List.of("Jean; fils", "Besançon"));
    }

    @Test
    void anEscapeCharacterAndAnotherQuoteAreReadAsTheJobSays() {
        List<SourceRow> rows = start("x.csv", "a,b\n'it\\'s',\\,comma\n".getBytes(StandardCharsets.UTF_8),
                Map.of("quote", "'", "escape", "\\", "delimiter", ","));

        assertThat(rows).extracting(SourceRow::values).containsExactly(List.of("it's", ",comma"));
    }

    @Test
    void linesAboveTheHeaderAreSkippedAndAFileWithoutAHeaderTakesTheColumnsGiven() {
        FileSources.Opened skipped = FileSources.start(in("Export of 2024-05-01, \"all\nname,city\nAda,London\n"), "a.csv", false,
                ReadOptions.of(Map.of("skip_rows", 1)), RecordLimits.DEFAULT);
        assertThat(skipped.records().header()).containsExactly("name", "city");
        assertThat(skipped.records().next().values()).containsExactly("Ada", "London");

        FileSources.Opened headless = FileSources.start(in("Ada|London\nBo|Paris\n"), "a.txt", false,
                ReadOptions.of(Map.of("header", false, "columns", List.of("name", "city"))), RecordLimits.DEFAULT);
        assertThat(headless.records().header()).containsExactly("name", "city");
        assertThat(headless.dialect().delimiter()).isEqualTo('|');
        List<SourceRow> rows = new ArrayList<>();
        headless.records().forEachRemaining(rows::add);
        assertThat(rows).extracting(SourceRow::number).containsExactly(1L, 2L);
    }

    @Test
    void aGzippedOrUtf16FileResumesAtTheTextOffsetOfAnyRecordByReadingItAgain() throws IOException {
        byte[] text = "id,name\n1,Zoë\n2,\"multi\nline\"\n3,€uro\n".getBytes(StandardCharsets.UTF_8);
        for (byte[] object : List.of(gzip(text), concat(new byte[]{(byte) 0xFF, (byte) 0xFE},
                new String(text, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE)))) {
            FileSources.Opened opened = FileSources.start(new ByteArrayInputStream(object), "f.csv", false, ReadOptions.of(Map.of()),
                    RecordLimits.DEFAULT);
            assertThat(opened.dialect().resumesByRange()).isFalse();
            List<SourceRow> all = new ArrayList<>();
            opened.records().forEachRemaining(all::add);
            assertThat(all).extracting(SourceRow::values).containsExactly(List.of("1", "Zoë"), List.of("2", "multi\nline"), List.of("3", "€uro"));
            for (SourceRow row : all) {
                List<SourceRow> rest = new ArrayList<>();
                FileSources.resume(new ByteArrayInputStream(object), opened.dialect(), List.of("id", "name"), row.end(), row.number() + 1,
                        RecordLimits.DEFAULT).forEachRemaining(rest::add);
                assertThat(rest).extracting(SourceRow::values)
                        .containsExactlyElementsOf(all.subList((int) row.number(), all.size()).stream().map(SourceRow::values).toList());
            }
        }
    }

    @Test
    void jsonLinesAreFlattenedAndALineThatIsNoObjectIsTold() {
        List<SourceRow> rows = new ArrayList<>();
        RecordSource lines = FileSources.start(in("{\"id\": 1, \"who\": {\"name\": \"Ada\", \"langs\": [\"en\", \"fr\"]}}\n\n"
                + "42\n{\"id\": 2, \"extra\": true, \"who\": {\"name\": \"Bo\"}, \"list\": [{\"a\": 1}]}\n{broken\n"), "e.ndjson", false,
                ReadOptions.of(Map.of()), RecordLimits.DEFAULT).records();
        lines.forEachRemaining(rows::add);

        assertThat(lines.header()).containsExactly("id", "who.name", "who.langs", "extra", "list");
        assertThat(rows.get(0).values()).containsExactly("1", "Ada", "en;fr");
        assertThat(rows.get(1).unreadable()).isEqualTo("line 2 is a JSON number, not an object");
        assertThat(rows.get(2).values()).containsExactly("2", "Bo", null, "true", "[{\"a\":1}]");
        assertThat(rows.get(3).unreadable()).startsWith("line 4 is not JSON: ");
        assertThat(rows).extracting(SourceRow::number).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void anXlsxSheetIsReadAsExcelTypesItsCells() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            workbook.createSheet("Notes").createRow(0).createCell(0).setCellValue("not this one");
            Sheet sheet = workbook.createSheet("People");
            CellStyle date = workbook.createCellStyle();
            date.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
            sheet.createRow(1).createCell(0).setCellValue("Name");
            sheet.getRow(1).createCell(1).setCellValue("Count");
            sheet.getRow(1).createCell(2).setCellValue("Born");
            sheet.getRow(1).createCell(3).setCellValue("Double");
            Row ada = sheet.createRow(2);
            ada.createCell(0).setCellValue("Ada");
            ada.createCell(1).setCellValue(36);
            ada.createCell(2).setCellValue(java.time.LocalDate.of(1990, 12, 10));
            ada.getCell(2).setCellStyle(date);
            ada.createCell(3).setCellFormula("B3*2.5");
            Row bo = sheet.createRow(4);
            bo.createCell(1).setCellValue(1.25);
            workbook.getCreationHelper().createFormulaEvaluator().evaluateAll();
            workbook.write(file);
        }
        FileSources.Opened opened = FileSources.start(new ByteArrayInputStream(file.toByteArray()), "people.xlsx", false,
                ReadOptions.of(Map.of("sheet", "People")), RecordLimits.DEFAULT);
        List<SourceRow> rows = new ArrayList<>();
        opened.records().forEachRemaining(rows::add);

        assertThat(opened.records().header()).containsExactly("Name", "Count", "Born", "Double");
        assertThat(rows).extracting(SourceRow::values).containsExactly(List.of("Ada", "36", "1990-12-10", "90"),
                List.of("", "1.25", "", ""));
        assertThat(rows).extracting(SourceRow::end).as("their rows in the sheet").containsExactly(3L, 5L);
        List<SourceRow> rest = new ArrayList<>();
        FileSources.resume(new ByteArrayInputStream(file.toByteArray()), opened.dialect(), opened.records().header(), 3, 2,
                RecordLimits.DEFAULT).forEachRemaining(rest::add);
        assertThat(rest).extracting(SourceRow::number, SourceRow::end).containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 5L));
        assertThatThrownBy(() -> FileSources.start(new ByteArrayInputStream(file.toByteArray()), "people.xlsx", false,
                ReadOptions.of(Map.of("sheet", "Nope")), RecordLimits.DEFAULT)).isInstanceOf(UnreadableFile.class)
                .hasMessage("the workbook has no sheet Nope; its sheets are [Notes, People]");
    }

    @Test
    void optionsThatCannotBeAreRefusedWithWhatTheyMayBe() {
        assertThatThrownBy(() -> ReadOptions.of(Map.of("delimiter", "::"))).hasMessageStartingWith("job_data.delimiter is auto, ',', ';'");
        assertThatThrownBy(() -> ReadOptions.of(Map.of("encoding", "ebcdic"))).hasMessageStartingWith("job_data.encoding is auto, utf-8");
        assertThatThrownBy(() -> ReadOptions.of(Map.of("header", false))).hasMessageContaining("job_data.columns must name");
        assertThatThrownBy(() -> ReadOptions.of(Map.of("format", "parquet"))).hasMessage("job_data.format is csv, xlsx or jsonl, not 'parquet'");
        assertThat(ReadOptions.of(Map.of("encoding", "CP1252", "delimiter", "tab")).encoding()).isEqualTo("windows-1252");
        for (Object headerRow : new Object[] {0, -1, 10_002, "3", 2.5, true}) {
            assertThatThrownBy(() -> ReadOptions.of(Map.of("header_row", headerRow))).as("%s", headerRow)
                    .hasMessage("job_data.header_row is a whole number from 1 to 10001");
        }
        assertThatThrownBy(() -> ReadOptions.of(Map.of("header_row", 3, "skip_rows", 2))).hasMessageContaining("give one");
        assertThat(ReadOptions.of(Map.of("header_row", 3)).skipRows()).as("a delimited file's header on line 3").isEqualTo(2);
    }

    private static List<SourceRow> start(String key, byte[] bytes, Map<String, Object> options) {
        List<SourceRow> rows = new ArrayList<>();
        FileSources.start(new ByteArrayInputStream(bytes), key, false, ReadOptions.of(options), RecordLimits.DEFAULT).records()
                .forEachRemaining(rows::add);
        return rows;
    }

    private static String detect(byte[] bytes) {
        return Encodings.detect(bytes, bytes.length);
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
