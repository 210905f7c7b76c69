package dev.dromedary.sinks;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.DatasetStorage;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.RowHash;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.commons.io.output.UnsynchronizedByteArrayOutputStream;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.postgresql.PGConnection;

/**
 * Upserts a batch into its dataset's table in one transaction: COPY into a temporary staging table, then
 * {@code INSERT … SELECT … ON CONFLICT (key) DO UPDATE}. Into a table that was empty as the import began, the batch
 * is first copied straight in, as a bare COPY would load it; a key the table holds by then (an earlier batch's of the
 * same file, another job's) fails that copy, which leaves nothing, and that batch and the import's later ones are
 * upserted. Java rather than camel-sql: the statements are made from the dataset definition, and camel-sql has no
 * COPY, which took a fifth less time than the same upserts as batched INSERTs (measured on this machine). Columns
 * missing from a file are written as null, so that the table holds what the file says.
 */
public final class PostgresUpsertSink {

    /** The exchange property that holds the import's {@link #copyStraightIn} switch. */
    public static final String COPY_STRAIGHT_IN = "copyStraightIn";
    private static final String KEY_TAKEN = "23505";
    private static final String DEADLOCK = "40P01";

    private final DataSource dataSource;
    private final Map<String, Statements> statements = new ConcurrentHashMap<>();

    public PostgresUpsertSink(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * An import's switch for copying straight in: on when its table was empty as it began, off once a batch met a key
     * the table held (a file whose keys come back then pays for one failed copy per batch in flight, not per batch).
     */
    public static AtomicBoolean copyStraightIn(boolean tableHeldRows) {
        return new AtomicBoolean(!tableHeldRows);
    }

    public void write(@Body RowBatch batch, @ExchangeProperty(COPY_STRAIGHT_IN) AtomicBoolean straightIn)
            throws SQLException, IOException {
        if (batch.rows().isEmpty()) {
            return;
        }
        Dataset dataset = batch.dataset();
        Statements sql = statements.computeIfAbsent(dataset.name(), name -> Statements.of(dataset));
        UnsynchronizedByteArrayOutputStream rows = asCopyText(dataset, batch.rows());
        if (straightIn != null && straightIn.get()) {
            if (copiedStraightIn(sql, rows)) {
                return;
            }
            straightIn.set(false);
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // a temporary table lives as long as its pooled connection; its rows only until the commit
                statement.execute(sql.createStaging());
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.copy(), rows.toInputStream());
                statement.executeUpdate(sql.upsert());
                connection.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Whether the rows went straight into the table: not when a key of theirs is there already. */
    private boolean copiedStraightIn(Statements sql, UnsynchronizedByteArrayOutputStream rows) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.copyIntoTable(), rows.toInputStream());
            return true;
        } catch (SQLException e) {
            if (KEY_TAKEN.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** The statements of one dataset. */
    record Statements(String createStaging, String copy, String copyIntoTable, String upsert) {

        static Statements of(Dataset dataset) {
            List<String> names = new java.util.ArrayList<>(dataset.columns().stream().map(Column::name).toList());
            names.add(DatasetStorage.ROW_HASH);
            String columns = String.join(", ", names);
            String staging = dataset.table() + "_staging";
            return new Statements(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS " + staging + " (LIKE " + dataset.table()
                            + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
                    "COPY " + staging + " (" + columns + ") FROM STDIN",
                    "COPY " + dataset.table() + " (" + columns + ") FROM STDIN",
                    "INSERT INTO " + dataset.table() + " (" + columns + ") SELECT " + columns + " FROM " + staging
                            + " ON CONFLICT (" + dataset.key() + ") DO UPDATE SET " + names.stream()
                            .filter(name -> !name.equals(dataset.key())).map(name -> name + " = EXCLUDED." + name)
                            .collect(Collectors.joining(", ")));
        }
    }

    /**
     * Typed rows in COPY's text format, as UTF-8: a tab between values, {@code \\N} for null (an empty text stays
     * empty), backslash escapes for backslash, tab, newline and carriage return, several keywords as an array
     * literal, each row's hash last; in buffers that grow without copying. Written here rather than by
     * commons-csv, whose printer quoted every value a character at a time (a third of an import's JVM time in a
     * profile), and as bytes rather than text given to the driver, which copied it three times on the way to bytes
     * (a third of the bytes an import allocated; performance.md).
     */
    static UnsynchronizedByteArrayOutputStream asCopyText(Dataset dataset, List<Map<String, Object>> rows) throws IOException {
        UnsynchronizedByteArrayOutputStream text = UnsynchronizedByteArrayOutputStream.builder()
                .setBufferSize(ElasticsearchBulkSink.estimatedSize(rows)).get();
        for (Map<String, Object> row : rows) {
            for (Column column : dataset.columns()) {
                Object value = row.get(column.name());
                if (value == null) {
                    text.write('\\');
                    text.write('N');
                } else {
                    writeEscaped(text, value instanceof List<?> values ? arrayLiteral(values) : value.toString());
                }
                text.write('\t');
            }
            writeEscaped(text, Long.toString(RowHash.of(dataset, row)));
            text.write('\n');
        }
        return text;
    }

    /** A value's UTF-8 bytes with COPY's escapes; an unpaired surrogate is written as ?, as String.getBytes does. */
    private static void writeEscaped(UnsynchronizedByteArrayOutputStream text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> escaped(text, '\\');
                    case '\t' -> escaped(text, 't');
                    case '\n' -> escaped(text, 'n');
                    case '\r' -> escaped(text, 'r');
                    default -> text.write(c);
                }
            } else if (c < 0x800) {
                text.write(0xC0 | c >> 6);
                text.write(0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                int point = Character.toCodePoint(c, value.charAt(++i));
                text.write(0xF0 | point >> 18);
                text.write(0x80 | point >> 12 & 0x3F);
                text.write(0x80 | point >> 6 & 0x3F);
                text.write(0x80 | point & 0x3F);
            } else if (Character.isSurrogate(c)) {
                text.write('?');
            } else {
                text.write(0xE0 | c >> 12);
                text.write(0x80 | c >> 6 & 0x3F);
                text.write(0x80 | c & 0x3F);
            }
        }
    }

    private static void escaped(UnsynchronizedByteArrayOutputStream text, char letter) {
        text.write('\\');
        text.write(letter);
    }

    private static String arrayLiteral(List<?> values) {
        StringBuilder array = new StringBuilder("{");
        for (Object value : values) {
            if (array.length() > 1) {
                array.append(',');
            }
            array.append('"').append(value.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return array.append('}').toString();
    }
}
