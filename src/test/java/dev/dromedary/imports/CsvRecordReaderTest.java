package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {

    @Test
    void quotedCommasQuotesAndLineEndsAreValues() {
        List<CsvRow> rows = read("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\rlast,\"\",\n");

        assertThat(rows).extracting(CsvRow::values).containsExactly(
                List.of("a", "b,1", "say \"hi\""),
                List.of("two\nlines", "", "x"),
                List.of("last", "", ""));
        assertThat(rows).extracting(CsvRow::number).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aByteOrderMarkIsSkippedAndEmptyLinesAreNoRecords() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        List<CsvRow> rows = read(concat(bom, utf8("uuid,name\n\n\r\nx,Zoë\n")));

        assertThat(rows).extracting(CsvRow::values).containsExactly(List.of("uuid", "name"), List.of("x", "Zoë"));
    }

    @Test
    void readingFromTheEndOfAnyRecordGivesTheRecordsAfterIt() {
        byte[] file = utf8("h1,h2\r\n\"é,\"\"\",1\n\n\"multi\r\nline\",2\nß€𝄞,3\nlast,4");
        List<CsvRow> all = read(file);

        for (CsvRow row : all) {
            List<CsvRow> rest = new ArrayList<>();
            new CsvRecordReader(new ByteArrayInputStream(file, (int) row.end(), file.length), row.end(), row.number() + 1)
                    .forEachRemaining(rest::add);
            assertThat(rest).extracting(CsvRow::values)
                    .containsExactlyElementsOf(all.subList((int) row.number() + 1, all.size()).stream().map(CsvRow::values).toList());
            assertThat(rest).extracting(CsvRow::number)
                    .containsExactlyElementsOf(all.subList((int) row.number() + 1, all.size()).stream().map(CsvRow::number).toList());
        }
        assertThat(all.get(all.size() - 1).end()).isEqualTo(file.length);
    }

    @Test
    void aRowThatIsNotUtf8IsToldApartAndTheOthersAreRead() {
        byte[] file = concat(utf8("a,b\n1,caf"), new byte[]{(byte) 0xE9}, utf8("\n2,ok\n"));
        List<CsvRow> rows = read(file);

        assertThat(rows.get(1).encodingError()).isEqualTo("the row is not valid UTF-8 (in the value at byte 6 of the file)");
        assertThat(rows.get(2).encodingError()).isNull();
        assertThat(rows.get(2).values()).containsExactly("2", "ok");
    }

    @Test
    void aQuoteNeverClosedIsSaidWhereItOpened() {
        assertThatThrownBy(() -> read("a,b\n1,\"open\n2,3\n"))
                .isInstanceOf(ImportRejected.class)
                .hasMessage("row 1 opens a quoted value at byte 6 of the file that is never closed");
    }

    @Test
    void aMegabyteValueIsRead() {
        String big = "x".repeat(1024 * 1024);
        List<CsvRow> rows = read("k,v\n1,\"" + big + "\"\n2,small\n");

        assertThat(rows.get(1).values().get(1)).hasSize(1024 * 1024);
        assertThat(rows.get(2).values()).containsExactly("2", "small");
    }

    private static List<CsvRow> read(String text) {
        return read(utf8(text));
    }

    private static List<CsvRow> read(byte[] bytes) {
        List<CsvRow> rows = new ArrayList<>();
        new CsvRecordReader(new ByteArrayInputStream(bytes), 0, 0).forEachRemaining(rows::add);
        // numbered as the import numbers them: the header is row 0
        return rows;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
