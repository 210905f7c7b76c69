package dev.dromedary.sinks;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.DatasetStorage;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.RowHash;
import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Body;
import org.postgresql.PGConnection;

/**
 * Upserts a batch into its dataset's table in one transaction: COPY into a temporary staging table, then
 * {@code INSERT … SELECT … ON CONFLICT (key) DO UPDATE}. Java rather than camel-sql: the statements are
 * made from the dataset definition, and camel-sql has no COPY, which took a fifth less time than the same
 * upserts as batched INSERTs (measured on this machine). Columns missing from a file are written as null,
 * so that the table holds what the file says.
 */
public final class PostgresUpsertSink {

    private final DataSource dataSource;
    private final Map<String, Statements> statements = new ConcurrentHashMap<>();

    public PostgresUpsertSink(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void write(@Body RowBatch batch) throws SQLException, IOException {
        if (batch.rows().isEmpty()) {
            return;
        }
        Dataset dataset = batch.dataset();
        Statements sql = statements.computeIfAbsent(dataset.name(), name -> Statements.of(dataset));
        StringBuilder rows = asCopyText(dataset, batch.rows());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // a temporary table lives as long as its pooled connection; its rows only until the commit
                statement.execute(sql.createStaging());
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.copy(), new TextReader(rows));
                statement.executeUpdate(sql.upsert());
                connection.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The statements of one dataset. */
    record Statements(String createStaging, String copy, String upsert) {

        static Statements of(Dataset dataset) {
            List<String> names = new java.util.ArrayList<>(dataset.columns().stream().map(Column::name).toList());
            names.add(DatasetStorage.ROW_HASH);
            String columns = String.join(", ", names);
            String staging = dataset.table() + "_staging";
            return new Statements(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS " + staging + " (LIKE " + dataset.table()
                            + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS",
                    "COPY " + staging + " (" + columns + ") FROM STDIN",
                    "INSERT INTO " + dataset.table() + " (" + columns + ") SELECT " + columns + " FROM " + staging
                            + " ON CONFLICT (" + dataset.key() + ") DO UPDATE SET " + names.stream()
                            .filter(name -> !name.equals(dataset.key())).map(name -> name + " = EXCLUDED." + name)
                            .collect(Collectors.joining(", ")));
        }
    }

    /**
     * Typed rows in COPY's text format: a tab between values, {@code \\N} for null (an empty text stays empty),
     * backslash escapes for backslash, tab, newline and carriage return, several keywords as an array literal, each
     * row's hash last; sized for the rows, so it grows once at most. Written here rather than by commons-csv, whose
     * printer quoted every value a character at a time: a third of an import's JVM time in a profile (performance.md).
     */
    static StringBuilder asCopyText(Dataset dataset, List<Map<String, Object>> rows) {
        StringBuilder text = new StringBuilder(ElasticsearchBulkSink.estimatedSize(rows));
        for (Map<String, Object> row : rows) {
            for (Column column : dataset.columns()) {
                Object value = row.get(column.name());
                if (value == null) {
                    text.append("\\N");
                } else {
                    appendEscaped(text, value instanceof List<?> values ? arrayLiteral(values) : value.toString());
                }
                text.append('\t');
            }
            text.append(RowHash.of(dataset, row)).append('\n');
        }
        return text;
    }

    private static void appendEscaped(StringBuilder text, String value) {
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                text.append(value, plain, i).append('\\').append(c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
                plain = i + 1;
            }
        }
        text.append(value, plain, value.length());
    }

    /** The rows read where they were written, not copied into a String first: a batch of long rows is megabytes. */
    private static final class TextReader extends Reader {

        private final CharSequence text;
        private int position;

        TextReader(CharSequence text) {
            this.text = text;
        }

        @Override
        public int read(char[] into, int offset, int length) {
            if (position >= text.length()) {
                return -1;
            }
            int count = Math.min(length, text.length() - position);
            for (int i = 0; i < count; i++) {
                into[offset + i] = text.charAt(position + i);
            }
            position += count;
            return count;
        }

        @Override
        public void close() {
            // nothing to release
        }
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
