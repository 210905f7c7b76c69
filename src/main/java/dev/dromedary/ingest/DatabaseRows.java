package dev.dromedary.ingest;

import dev.dromedary.formats.RecordSource;
import dev.dromedary.imports.ImportRejected;
import dev.dromedary.rows.FileText;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of a query as they come from its cursor (the driver fetches {@code fetch_size} at a time), each as
 * the text of its values under the result's column names: timestamps and dates in ISO 8601. {@code end} counts
 * the characters read, so that a batch of long rows closes early as a file's does. Closing it ends the read-only
 * transaction and the connection. A failure while reading fails the attempt: a stream cannot be read again from
 * where it broke, and the job's retry goes on from its checkpoint.
 */
final class DatabaseRows implements RecordSource {

    private final Connection connection;
    private final Statement statement;
    private final ResultSet rows;
    private final RecordLimits limits;
    private final List<String> header = new ArrayList<>();
    private final String[] types;
    private long number;
    private long characters;
    private Boolean ahead;

    DatabaseRows(Connection connection, Statement statement, ResultSet rows, long firstNumber, RecordLimits limits)
            throws SQLException {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.limits = limits;
        this.number = firstNumber - 1;
        ResultSetMetaData metadata = rows.getMetaData();
        types = new String[metadata.getColumnCount()];
        for (int i = 1; i <= types.length; i++) {
            header.add(metadata.getColumnLabel(i));
            // by name: the driver reports timestamptz as Types.TIMESTAMP
            types[i - 1] = metadata.getColumnTypeName(i);
        }
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public boolean hasNext() {
        if (ahead == null) {
            try {
                ahead = rows.next();
            } catch (SQLException e) {
                throw new ImportRejected("ERR_SOURCE_FAILED: the query failed after row " + number + ": " + e.getMessage()
                        + "; a retry of the job goes on from its checkpoint");
            }
        }
        return ahead;
    }

    @Override
    public SourceRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ahead = null;
        number++;
        try {
            List<String> values = new ArrayList<>(types.length);
            long length = 0;
            for (int i = 1; i <= types.length; i++) {
                String value = text(i, types[i - 1]);
                values.add(value);
                length += value == null ? 0 : value.length();
            }
            characters += length + 1;
            if (length > limits.maxRecordBytes()) {
                return new SourceRow(number, List.of(FileText.quote(String.valueOf(values).substring(0, FileText.MAX_QUOTED_CHARS))),
                        characters, "the row holds " + length + " characters; a row holds at most " + limits.maxRecordBytes()
                        + " (MAX_RECORD_BYTES)");
            }
            return new SourceRow(number, values, characters, null);
        } catch (SQLException e) {
            throw new ImportRejected("ERR_SOURCE_FAILED: row " + number + " of the query could not be read: " + e.getMessage());
        }
    }

    private String text(int column, String type) throws SQLException {
        switch (type) {
            case "timestamptz":
                OffsetDateTime instant = rows.getObject(column, OffsetDateTime.class);
                return instant == null ? null : instant.toString();
            case "timestamp":
                LocalDateTime time = rows.getObject(column, LocalDateTime.class);
                return time == null ? null : time.toString();
            case "date":
                LocalDate date = rows.getObject(column, LocalDate.class);
                return date == null ? null : date.toString();
            case "bool":
                boolean value = rows.getBoolean(column);
                return rows.wasNull() ? null : String.valueOf(value);
            default:
                return rows.getString(column);
        }
    }

    @Override
    public void close() throws IOException {
        try (connection; statement; rows) {
            connection.rollback();
        } catch (SQLException e) {
            throw new IOException("closing the source's connection failed: " + e.getMessage(), e);
        }
    }
}
