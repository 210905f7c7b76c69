package dev.dromedary.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cuts of a partitioned import against the reader that reads the parts: in random files full of quoted line
 * ends, doubled quotes, escapes, CR, LF and CRLF and empty lines, a reader started at each cut reads exactly the
 * records the whole file's reader reads from that record on, numbered the same.
 */
class RecordBoundariesTest {

    private static final List<String> COLUMNS = List.of("a", "b", "c");
    private static final Dialect CSV = Dialect.RFC_4180;
    private static final Dialect ESCAPED = new Dialect("csv", false, "utf-8", ';', '"', '\\', null);

    @Test
    void aReaderStartedAtEachCutReadsTheWholeFilesRecordsFromThereOn() {
        Random random = new Random(42);
        for (int file = 0; file < 1000; file++) {
            Dialect dialect = file % 2 == 0 ? CSV : ESCAPED;
            byte[] bytes = randomFile(random, dialect, 1 + random.nextInt(60));
            List<SourceRow> whole = read(bytes, 0, 1, dialect);
            int parts = 1 + random.nextInt(8);
            List<RecordBoundaries.Cut> cuts = RecordBoundaries.cuts(new ByteArrayInputStream(bytes), 0, bytes.length, parts, dialect);

            assertThat(cuts).hasSizeBetween(1, parts);
            assertThat(cuts.get(0)).isEqualTo(new RecordBoundaries.Cut(0, 1));
            long records = 0;
            for (int i = 0; i < cuts.size(); i++) {
                RecordBoundaries.Cut cut = cuts.get(i);
                long end = i + 1 < cuts.size() ? cuts.get(i + 1).offset() : bytes.length;
                byte[] part = java.util.Arrays.copyOfRange(bytes, (int) cut.offset(), (int) end);
                List<SourceRow> read = read(part, cut.offset(), cut.firstRecord(), dialect);
                String where = "file " + file + ", part " + i + " at byte " + cut.offset() + ": "
                        + new String(bytes, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
                assertThat(read).as(where).isEqualTo(whole.subList((int) cut.firstRecord() - 1,
                        (int) cut.firstRecord() - 1 + read.size()));
                records += read.size();
            }
            assertThat(records).as("file %d: every record in one part", file).isEqualTo(whole.size());
        }
    }

    @Test
    void aLargeFileIsCutNearItsShares() {
        StringBuilder text = new StringBuilder();
        for (int row = 0; row < 100_000; row++) {
            text.append(row).append(",\"a value, with a comma\nand a line\",x\r\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        List<RecordBoundaries.Cut> cuts = RecordBoundaries.cuts(new ByteArrayInputStream(bytes), 0, bytes.length, 6, CSV);

        assertThat(cuts).hasSize(6);
        for (int i = 1; i < 6; i++) {
            assertThat(cuts.get(i).offset()).isBetween((long) bytes.length * i / 6, (long) bytes.length * i / 6 + 60);
            String before = new String(bytes, 0, (int) cuts.get(i).offset(), StandardCharsets.UTF_8);
            assertThat(before).endsWith(",x\r\n");
            assertThat(cuts.get(i).firstRecord()).isEqualTo(before.split(",x\r\n", -1).length);
        }
    }

    private static List<SourceRow> read(byte[] bytes, long offset, long firstNumber, Dialect dialect) {
        DelimitedReader reader = new DelimitedReader(new ByteArrayInputStream(bytes), offset, firstNumber, RecordLimits.DEFAULT,
                dialect);
        if (offset == 0 && firstNumber == 1) {
            reader.readHeader(0, COLUMNS);
        } else {
            reader.withHeader(COLUMNS);
        }
        List<SourceRow> rows = new ArrayList<>();
        reader.forEachRemaining(row -> rows.add(new SourceRow(row.number(), row.values())));
        return rows;
    }

    private static byte[] randomFile(Random random, Dialect dialect, int records) {
        String[] ends = {"\n", "\r\n", "\r", "\n\n", "\r\n\r\n"};
        StringBuilder text = new StringBuilder();
        for (int record = 0; record < records; record++) {
            int values = 1 + random.nextInt(3);
            for (int value = 0; value < values; value++) {
                if (value > 0) {
                    text.append(dialect.delimiter());
                }
                text.append(randomValue(random, dialect));
            }
            text.append(ends[random.nextInt(ends.length)]);
        }
        if (random.nextBoolean()) {
            // the last record without a line end
            text.append("last").append(dialect.delimiter()).append("\"q\nq\"");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String randomValue(Random random, Dialect dialect) {
        String[] pieces = {"x", "yy", " ", "\"\"", "\n", "\r\n", "\r", String.valueOf(dialect.delimiter()), "é"};
        StringBuilder value = new StringBuilder();
        boolean quoted = random.nextInt(3) == 0;
        int length = random.nextInt(5);
        for (int i = 0; i < length; i++) {
            String piece = pieces[random.nextInt(pieces.length)];
            if (!quoted && (piece.contains("\n") || piece.contains("\r") || piece.equals(String.valueOf(dialect.delimiter())))) {
                piece = dialect.escape() != null ? dialect.escape() + piece.substring(0, 1) : "z";
            }
            if (!quoted && piece.equals("\"\"")) {
                piece = i == 0 ? "w\"" : "\"";
            }
            if (quoted && dialect.escape() != null && random.nextInt(4) == 0) {
                piece = dialect.escape() + "\"";
            }
            value.append(piece);
        }
        return quoted ? "\"" + value + "\"" + (random.nextInt(5) == 0 ? "tail" : "") : value.toString();
    }
}
