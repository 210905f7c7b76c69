package dev.dromedary.sinks;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.imports.RowBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Body;

/**
 * Upserts a batch into its dataset's table in one transaction: {@code INSERT … ON CONFLICT (key) DO UPDATE}.
 * Java rather than camel-sql: the statement is made from the dataset definition, one per dataset, and
 * columns missing from a file are written as null so that the table holds what the file says.
 */
public final class PostgresUpsertSink {

    private final DataSource dataSource;
    private final Map<String, String> statements = new ConcurrentHashMap<>();

    public PostgresUpsertSink(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void write(@Body RowBatch batch) throws SQLException {
        if (batch.rows().isEmpty()) {
            return;
        }
        Dataset dataset = batch.dataset();
        List<Column> columns = dataset.columns();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement(
                    statements.computeIfAbsent(dataset.name(), name -> upsertStatement(dataset)))) {
                for (Map<String, Object> row : batch.rows()) {
                    for (int i = 0; i < columns.size(); i++) {
                        bind(connection, upsert, i + 1, columns.get(i), row.get(columns.get(i).name()));
                    }
                    upsert.addBatch();
                }
                upsert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    static String upsertStatement(Dataset dataset) {
        List<String> names = dataset.columns().stream().map(Column::name).toList();
        return "INSERT INTO " + dataset.table() + " (" + String.join(", ", names) + ") VALUES ("
                + names.stream().map(name -> "?").collect(Collectors.joining(", ")) + ") ON CONFLICT (" + dataset.key()
                + ") DO UPDATE SET " + names.stream().filter(name -> !name.equals(dataset.key()))
                .map(name -> name + " = EXCLUDED." + name).collect(Collectors.joining(", "));
    }

    private static void bind(Connection connection, PreparedStatement statement, int index, Column column, Object value)
            throws SQLException {
        switch (column.type()) {
            case UUID_VALUE -> statement.setObject(index, value, Types.OTHER);
            case LONG -> statement.setObject(index, value, Types.BIGINT);
            case DATE -> statement.setObject(index, value, Types.TIMESTAMP_WITH_TIMEZONE);
            case KEYWORDS -> {
                if (value == null) {
                    statement.setNull(index, Types.ARRAY);
                } else {
                    statement.setArray(index, connection.createArrayOf("text", ((List<?>) value).toArray()));
                }
            }
            default -> statement.setString(index, (String) value);
        }
    }
}
