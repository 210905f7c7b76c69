package dev.dromedary.imports;

import dev.dromedary.datasets.Dataset;
import java.util.List;
import java.util.Map;

/**
 * One batch of an import after validation: the valid rows as typed values by column (one row per key, the
 * last of the batch winning), and the rows that were rejected with their reasons; {@code header} is the
 * file's header row as CSV, kept with dead letters so that they can be read again.
 */
public record RowBatch(String jobUuid, Dataset dataset, String header, int number, List<CsvRow> source,
                       List<Map<String, Object>> rows, List<Rejected> rejected) {

    public long firstRow() {
        return source.get(0).number();
    }

    /** The valid rows whose key a later row of the batch had too: the later one won. */
    public int duplicates() {
        return source.size() - rejected.size() - rows.size();
    }

    public long lastRow() {
        return source.get(source.size() - 1).number();
    }

    /** A batch is itself, not its rows: Camel keys caches by the body, and hashing every row costs dearly. */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** A row that did not validate: its number, the row as CSV text, and why. */
    public record Rejected(long rowNumber, String payload, String error) {
    }
}
