package dev.dromedary.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelimitedReaderTest {

    @Test
    void quotedCommasQuotesAndLineEndsAreValues() {
        List<SourceRow> rows = read("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\rlast,\"\",\n");

        assertThat(rows).extracting(SourceRow::values).containsExactly(
                List.of("a", "b,1", "say \"hi\""),
                List.of("two\nlines", "", "x"),
                List.of("last", "", ""));
        assertThat(rows).extracting(SourceRow::number).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aByteOrderMarkIsSkippedAndEmptyLinesAreNoRecords() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        List<SourceRow> rows = read(concat(bom, utf8("uuid,name\n\n\r\nx,Zoë\n")));

        assertThat(rows).extracting(SourceRow::values).containsExactly(List.of("uuid", "name"), List.of("x", "Zoë"));
    }

    @Test
    void readingFromTheEndOfAnyRecordGivesTheRecordsAfterIt() {
        byte[] file = utf8("h1,h2\r\n\"é,\"\"\",1\n\n\"multi\r\nline\",2\nß€𝄞,3\nlast,4");
        List<SourceRow> all = read(file);

        for (SourceRow row : all) {
            List<SourceRow> rest = new ArrayList<>();
            new DelimitedReader(new ByteArrayInputStream(file, (int) row.end(), file.length), row.end(), row.number() + 1, RecordLimits.DEFAULT, Dialect.RFC_4180)
                    .forEachRemaining(rest::add);
            assertThat(rest).extracting(SourceRow::values)
                    .containsExactlyElementsOf(all.subList((int) row.number() + 1, all.size()).stream().map(SourceRow::values).toList());
            assertThat(rest).extracting(SourceRow::number)
                    .containsExactlyElementsOf(all.subList((int) row.number() + 1, all.size()).stream().map(SourceRow::number).toList());
        }
        assertThat(all.get(all.size() - 1).end()).isEqualTo(file.length);
    }

    @Test
    void aRowThatIsNotUtf8IsToldApartAndTheOthersAreRead() {
        byte[] file = concat(utf8("a,b\n1,caf"), new byte[]{(byte) 0xE9}, utf8("\n2,ok\n"));
        List<SourceRow> rows = read(file);

        assertThat(rows.get(1).unreadable()).startsWith("the row is not valid UTF-8 (in the value at byte 6 of the file)");
        assertThat(rows.get(2).unreadable()).isNull();
        assertThat(rows.get(2).values()).containsExactly("2", "ok");
    }

    @Test
    void aQuoteNeverClosedIsSaidWhereItOpened() {
        assertThatThrownBy(() -> read("a,b\n1,\"open\n2,3\n"))
                .isInstanceOf(UnreadableFile.class)
                .hasMessage("row 1 opens a quoted value at byte 6 of the file that is never closed");
    }

    @Test
    void aMegabyteValueIsRead() {
        String big = "x".repeat(1024 * 1024);
        List<SourceRow> rows = read("k,v\n1,\"" + big + "\"\n2,small\n");

        assertThat(rows.get(1).values().get(1)).hasSize(1024 * 1024);
        assertThat(rows.get(2).values()).containsExactly("2", "small");
    }

    @Test
    void aRowLongerThanTheLimitIsAnExcerptWithItsReasonAndTheRowsAfterItAreRead() {
        RecordLimits limits = new RecordLimits(1000, 1000, 500, 1 << 20);
        String big = "y".repeat(5000);
        List<SourceRow> rows = read(utf8("k,v\n1,\"" + big + "\",more,values\n2,small\n"), limits);

        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).unreadable()).isEqualTo("the row is " + (big.length() + 17) + " bytes long; a row holds at "
                + "most 1000 (MAX_RECORD_BYTES)");
        assertThat(rows.get(1).values()).singleElement().asString().hasSize(200).startsWith("yyy");
        assertThat(rows.get(2).values()).containsExactly("2", "small");
        assertThat(rows.get(2).number()).isEqualTo(2);
    }

    @Test
    void aRowWithMoreValuesThanTheLimitKeepsNoneOfTheRestAndSaysHowMany() {
        RecordLimits limits = new RecordLimits(1 << 20, 10, 500, 1 << 20);
        List<SourceRow> rows = read(utf8("a,b\n" + ",".repeat(99_999) + "\nx,y\n"), limits);

        assertThat(rows.get(1).unreadable()).isEqualTo("the row has 100000 values; a row holds at most 10 (MAX_COLUMNS)");
        assertThat(rows.get(1).values()).hasSizeLessThanOrEqualTo(10);
        assertThat(rows.get(2).values()).containsExactly("x", "y");
    }

    @Test
    void aQuoteLeftOpenOverTheLimitIsScannedToTheEndWithoutKeepingIt() {
        RecordLimits limits = new RecordLimits(1000, 1000, 500, 1 << 20);
        assertThatThrownBy(() -> read(utf8("a,b\n1,\"" + "z".repeat(100_000) + "\n"), limits))
                .isInstanceOf(UnreadableFile.class)
                .hasMessage("row 1 opens a quoted value at byte 6 of the file that is never closed (the rest of the file, "
                        + "100002 bytes, is inside it)");
    }

    private static List<SourceRow> read(String text) {
        return read(utf8(text));
    }

    private static List<SourceRow> read(byte[] bytes) {
        return read(bytes, RecordLimits.DEFAULT);
    }

    private static List<SourceRow> read(byte[] bytes, RecordLimits limits) {
        List<SourceRow> rows = new ArrayList<>();
        new DelimitedReader(new ByteArrayInputStream(bytes), 0, 0, limits, Dialect.RFC_4180).forEachRemaining(rows::add);
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
