package dev.dromedary.sinks;

import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.DatasetStorage;
import dev.dromedary.observe.ImportStage;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.RowHash;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * Change detection: a batch's rows whose content hash equals the {@code _row_hash} their table holds for their key
 * are unchanged, and no sink writes them again. One statement a batch asks the table for its keys' hashes (Java
 * rather than camel-sql: the statement is made from the dataset's table and key, and its answer splits the batch).
 * A job that rewrites all ({@code job_data.force}, a partition, whose keys another partition may also hold) still
 * learns which rows are new.
 */
public final class ChangeDetection {

    /** The exchange property that asks every row of the batch to be written, changed or not. */
    public static final String REWRITE_ALL = "rewriteAll";
    /** The exchange property that says whether the table held rows as the import began: an empty one has nothing to compare. */
    public static final String COMPARE_ROWS = "compareRows";

    private final DataSource dataSource;
    private final Map<String, String> statements = new java.util.concurrent.ConcurrentHashMap<>();

    public ChangeDetection(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Whether the dataset's table holds a row: an import that begins on an empty one skips the comparisons. A table
     * that cannot be asked counts as holding rows: the batches then meet the fault where the sinks' policy handles it.
     */
    public boolean holdsRows(Dataset dataset) {
        try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement();
             ResultSet found = query.executeQuery("SELECT EXISTS (SELECT 1 FROM " + dataset.table() + ")")) {
            return !found.next() || found.getBoolean(1);
        } catch (SQLException e) {
            return true;
        }
    }

    /** The batch without its unchanged rows, counting them, and knowing which keys the table held. */
    public RowBatch skipUnchanged(@Body RowBatch batch, @ExchangeProperty(REWRITE_ALL) Boolean rewriteAll,
                                  @ExchangeProperty(COMPARE_ROWS) Boolean compareRows) throws SQLException {
        long started = System.nanoTime();
        try {
            return compared(batch, rewriteAll, compareRows);
        } finally {
            ImportStage.COMPARE.since(started);
        }
    }

    private RowBatch compared(RowBatch batch, Boolean rewriteAll, Boolean compareRows) throws SQLException {
        if (batch.rows().isEmpty()) {
            return batch;
        }
        if (Boolean.FALSE.equals(compareRows)) {
            // the table was empty as the import began (a first load): every row is new, or a row of this very file
            return batch.changed(batch.rows(), batch.rowNumbers(), 0, java.util.Set.of());
        }
        Dataset dataset = batch.dataset();
        String[] keys = new String[batch.rows().size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = batch.rows().get(i).get(dataset.key()).toString();
        }
        Map<String, Long> stored = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(statements.computeIfAbsent(dataset.name(), name -> storedHashes(dataset)))) {
            Array array = connection.createArrayOf("text", keys);
            query.setArray(1, array);
            try (ResultSet found = query.executeQuery()) {
                while (found.next()) {
                    long hash = found.getLong(2);
                    stored.put(found.getString(1), found.wasNull() ? null : hash);
                }
            }
            array.free();
        }
        if (Boolean.TRUE.equals(rewriteAll)) {
            return batch.changed(batch.rows(), batch.rowNumbers(), 0, stored.keySet());
        }
        List<Map<String, Object>> kept = new ArrayList<>(keys.length);
        List<Long> keptNumbers = new ArrayList<>(keys.length);
        int unchanged = 0;
        for (int i = 0; i < keys.length; i++) {
            Map<String, Object> row = batch.rows().get(i);
            Long hash = stored.get(keys[i]);
            if (hash != null && hash == RowHash.of(dataset, row)) {
                unchanged++;
            } else {
                kept.add(row);
                keptNumbers.add(batch.rowNumbers().get(i));
            }
        }
        return batch.changed(kept, keptNumbers, unchanged, stored.keySet());
    }

    /** The hashes the table holds for an array of keys; the table and key are the dataset's checked identifiers. */
    private static String storedHashes(Dataset dataset) {
        String keyType = dataset.keyColumn().type() == ColumnType.UUID_VALUE ? "uuid[]" : "text[]";
        return "SELECT " + dataset.key() + "::text, " + DatasetStorage.ROW_HASH + " FROM " + dataset.table()
                + " WHERE " + dataset.key() + " = ANY(CAST(? AS " + keyType + "))";
    }
}
