package dev.dromedary.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Workbooks as the tools people use write them (src/test/resources/xlsx/make-fixtures.py made them with openpyxl
 * and XlsxWriter), read cell for cell: inline and shared strings, rich text, formulas with and without a cached
 * value, the 1900 and the 1904 date systems, custom date formats, times, booleans, errors, an empty row, a hidden
 * first sheet, a header below a title, and a sheet written as the Open XML SDK writes one.
 */
class XlsxWritersTest {

    private static final String U1 = "00000000-0000-4000-8000-000000000001";
    private static final String U2 = "00000000-0000-4000-8000-000000000002";
    private static final String U3 = "00000000-0000-4000-8000-000000000003";
    private static final String U4 = "00000000-0000-4000-8000-000000000004";
    private static final List<String> HEADER = List.of("uuid", "first_name", "email", "employees_count", "annual_revenue",
            "created_at", "score");
    /** openpyxl writes formulas without a value: score is empty, as no program computed it. */
    private static final List<List<String>> OPENPYXL_ROWS = List.of(
            List.of(U1, "Zoë", "zoe@example.com", "12", "1200.5", "2024-01-31", ""),
            List.of(U2, "Ada", "ada@example.com", "0", "", "2024-02-29T13:45:30", ""),
            List.of(U3, "Grace", "grace@example.com", "1000000", "3", "1999-12-31", ""),
            List.of(U4, "Linus", "", "-5", "0.25", "2000-03-01", ""),
            List.of("#N/A", "", "", "", "", "", ""));

    private static List<List<String>> rows(String file, Map<String, Object> options, List<String> header) throws IOException {
        try (InputStream in = XlsxWritersTest.class.getResourceAsStream("/xlsx/" + file)) {
            FileSources.Opened opened = FileSources.start(in, file, false, ReadOptions.of(options), RecordLimits.DEFAULT);
            assertThat(opened.records().header()).as(file).isEqualTo(header);
            List<List<String>> rows = new ArrayList<>();
            opened.records().forEachRemaining(row -> {
                assertThat(row.unreadable()).as("%s row %s", file, row.number()).isNull();
                rows.add(row.values());
            });
            opened.records().close();
            return rows;
        }
    }

    @Test
    void openpyxlsFormulasWithoutAValueAreEmptyCells() throws IOException {
        assertThat(rows("openpyxl-contacts.xlsx", Map.of(), HEADER)).containsExactlyElementsOf(OPENPYXL_ROWS);
    }

    @Test
    void theMacsDateSystemOf1904GivesTheSameDates() throws IOException {
        assertThat(rows("openpyxl-1904.xlsx", Map.of(), HEADER)).containsExactlyElementsOf(OPENPYXL_ROWS);
    }

    @Test
    void aSheetWrittenAsTheOpenXmlSdkWritesOneReadsTheSame() throws IOException {
        assertThat(rows("open-xml-sdk-style.xlsx", Map.of(), HEADER)).containsExactlyElementsOf(OPENPYXL_ROWS);
    }

    @Test
    void xlsxWritersSharedStringsRichTextCachedFormulasBooleansTimesAndErrors() throws IOException {
        List<String> header = new ArrayList<>(HEADER);
        header.addAll(List.of("active", "at"));
        assertThat(rows("xlsxwriter-contacts.xlsx", Map.of(), header)).containsExactly(
                List.of(U1, "Zoë", "zoe@example.com", "12", "1200.5", "2024-01-31", "24", "true", "09:30:15"),
                List.of(U2, "Ada", "ada@example.com", "0", "", "2024-02-29T13:45:30", "0", "false", "09:30:15"),
                List.of(U3, "Grace", "grace@example.com", "1000000", "3", "1999-12-31", "2000000", "true", "09:30:15"),
                List.of(U4, "Linus", "", "-5", "0.25", "2000-03-01", "-10", "false", "09:30:15"),
                List.of("#N/A", "", "", "", "", "", "", "", ""));
    }

    @Test
    void aCellNoReadingMakesSenseOfIsItsRowsDeadLetterAndASheetThatBreaksOffFailsNamingWhere() throws IOException {
        byte[] emptyNumber = rewritten("openpyxl-contacts.xlsx", sheet -> sheet.replace("<c r=\"D3\" t=\"n\"><v>0</v></c>",
                "<c r=\"D3\" t=\"n\"><v></v></c>"));
        FileSources.Opened opened = FileSources.start(new java.io.ByteArrayInputStream(emptyNumber), "x.xlsx", false,
                ReadOptions.of(Map.of()), RecordLimits.DEFAULT);
        List<SourceRow> rows = new ArrayList<>();
        opened.records().forEachRemaining(rows::add);
        assertThat(rows).hasSize(5);
        assertThat(rows.get(1).unreadable()).isEqualTo("the cell D3 of the sheet Contacts (column 'employees_count') cannot be "
                + "read: NumberFormatException empty String");
        assertThat(rows.get(2).unreadable()).isNull();

        byte[] brokenOff = rewritten("openpyxl-contacts.xlsx", sheet -> sheet.substring(0, sheet.indexOf("<row r=\"4\"") + 20));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileSources.start(new java.io.ByteArrayInputStream(brokenOff),
                        "x.xlsx", false, ReadOptions.of(Map.of()), RecordLimits.DEFAULT).records().forEachRemaining(row -> { }))
                .isInstanceOf(UnreadableFile.class).hasMessageStartingWith("the sheet Contacts cannot be read past its row ");
    }

    @Test
    void otherSpreadsheetsAndPasswordProtectedWorkbooksAreRefusedWithWhatToSaveThemAs() throws Exception {
        java.io.ByteArrayOutputStream xls = new java.io.ByteArrayOutputStream();
        try (org.apache.poi.hssf.usermodel.HSSFWorkbook workbook = new org.apache.poi.hssf.usermodel.HSSFWorkbook()) {
            workbook.createSheet("Contacts").createRow(0).createCell(0).setCellValue("uuid");
            workbook.write(xls);
        }
        assertRefused(xls.toByteArray(), "contacts.xls", "ERR_UNSUPPORTED_FORMAT: the object is an .xls workbook (Excel 97-2003)");
        assertRefused(xls.toByteArray(), "contacts.csv", "ERR_UNSUPPORTED_FORMAT: the object is an .xls workbook");

        org.apache.poi.poifs.filesystem.POIFSFileSystem container = new org.apache.poi.poifs.filesystem.POIFSFileSystem();
        org.apache.poi.poifs.crypt.EncryptionInfo info = new org.apache.poi.poifs.crypt.EncryptionInfo(
                org.apache.poi.poifs.crypt.EncryptionMode.agile);
        org.apache.poi.poifs.crypt.Encryptor encryptor = info.getEncryptor();
        encryptor.confirmPassword("s3cret");
        try (java.io.OutputStream plain = encryptor.getDataStream(container);
             InputStream workbook = XlsxWritersTest.class.getResourceAsStream("/xlsx/openpyxl-contacts.xlsx")) {
            workbook.transferTo(plain);
        }
        java.io.ByteArrayOutputStream encrypted = new java.io.ByteArrayOutputStream();
        container.writeFilesystem(encrypted);
        container.close();
        assertRefused(encrypted.toByteArray(), "contacts.xlsx", "ERR_WORKBOOK_ENCRYPTED: the workbook is protected by a password");

        assertRefused(zip("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), "contacts.ods",
                "ERR_UNSUPPORTED_FORMAT: the object is an OpenDocument spreadsheet (.ods)");
        assertRefused(zip("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), "contacts.xlsx",
                "ERR_UNSUPPORTED_FORMAT: the object is an OpenDocument spreadsheet (.ods)");
        assertRefused(zip("Index/Document.iwa", "..."), "contacts.numbers", "ERR_UNSUPPORTED_FORMAT: the object is an Apple Numbers document");
    }

    private static void assertRefused(byte[] object, String key, String reason) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileSources.start(new java.io.ByteArrayInputStream(object), key, false,
                ReadOptions.of(Map.of()), RecordLimits.DEFAULT)).as(key).isInstanceOf(UnreadableFile.class).hasMessageStartingWith(reason);
    }

    private static byte[] zip(String entry, String content) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            // stored, as OpenDocument requires of its first entry, mimetype
            java.util.zip.ZipEntry stored = new java.util.zip.ZipEntry(entry);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes);
            stored.setMethod(java.util.zip.ZipEntry.STORED);
            stored.setSize(bytes.length);
            stored.setCrc(crc.getValue());
            zip.putNextEntry(stored);
            zip.write(bytes);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** The fixture with its first sheet's XML changed by {@code change}. */
    private static byte[] rewritten(String file, java.util.function.UnaryOperator<String> change) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(XlsxWritersTest.class.getResourceAsStream("/xlsx/" + file));
             java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (java.util.zip.ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                if (entry.getName().equals("xl/worksheets/sheet1.xml")) {
                    data = change.apply(new String(data, java.nio.charset.StandardCharsets.UTF_8)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                zip.write(data);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void theFirstVisibleSheetIsReadByDefaultAndTheHeaderRowMayBeBelowATitle() throws IOException {
        List<String> header = HEADER.subList(0, 4);
        assertThat(rows("openpyxl-sheets.xlsx", Map.of("header_row", 3), header)).containsExactly(
                List.of(U1, "Zoë", "zoe@example.com", "12"), List.of(U2, "Ada", "ada@example.com", "0"),
                List.of(U3, "Grace", "grace@example.com", "1000000"), List.of(U4, "Linus", "", "-5"));
        assertThat(rows("openpyxl-sheets.xlsx", Map.of("sheet", "Other"), List.of("uuid", "first_name")))
                .containsExactly(List.of("00000000-0000-4000-8000-000000000009", "Nobody"));
        assertThat(rows("openpyxl-sheets.xlsx", Map.of("sheet", 2), List.of("uuid", "first_name"))).hasSize(1);
    }
}
