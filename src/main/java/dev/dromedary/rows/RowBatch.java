package dev.dromedary.rows;

import dev.dromedary.datasets.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch of an import after validation: the valid rows as typed values by column (one row per key, the
 * last of the batch winning) with the number of the file's row each came from, and the rows that were
 * rejected with their reasons, how many a {@code drop_row_if} rule left out, and how many change detection found
 * unchanged (they are in no sink's rows); {@code header} is the file's header row as CSV, kept with dead letters so
 * that they can be read again.
 */
public record RowBatch(String jobUuid, Dataset dataset, String header, int number, List<SourceRow> source,
                       List<Map<String, Object>> rows, List<Long> rowNumbers, List<Rejected> rejected, int dropped,
                       int unchanged, Set<String> existingKeys) {

    public RowBatch(String jobUuid, Dataset dataset, String header, int number, List<SourceRow> source,
                    List<Map<String, Object>> rows, List<Long> rowNumbers, List<Rejected> rejected) {
        this(jobUuid, dataset, header, number, source, rows, rowNumbers, rejected, 0, 0, null);
    }

    /**
     * This batch as change detection leaves it: {@code kept} of its rows (with their numbers) are new or changed,
     * {@code unchanged} more are as the table holds them already; {@code existingKeys} are the keys the table held.
     */
    public RowBatch changed(List<Map<String, Object>> kept, List<Long> keptNumbers, int unchanged, Set<String> existingKeys) {
        return new RowBatch(jobUuid, dataset, header, number, source, kept, keptNumbers, rejected, dropped,
                this.unchanged + unchanged, existingKeys);
    }

    /** The rows to write that the table did not hold: all of them when the table was not asked. */
    public int inserted() {
        if (existingKeys == null) {
            return rows.size();
        }
        int inserted = 0;
        for (Map<String, Object> row : rows) {
            if (!existingKeys.contains(row.get(dataset.key()).toString())) {
                inserted++;
            }
        }
        return inserted;
    }

    /**
     * This batch without the rows a sink refused for what they hold (by key, with the sink's reason): they
     * become rejected rows, for every sink to leave alone and the dead letters to hold.
     */
    public RowBatch refusing(Map<String, String> reasonsByKey) {
        if (reasonsByKey.isEmpty()) {
            return this;
        }
        List<Map<String, Object>> kept = new ArrayList<>(rows.size());
        List<Long> keptNumbers = new ArrayList<>(rows.size());
        List<Rejected> refused = new ArrayList<>(rejected);
        for (int i = 0; i < rows.size(); i++) {
            String reason = reasonsByKey.get(rows.get(i).get(dataset.key()).toString());
            if (reason == null) {
                kept.add(rows.get(i));
                keptNumbers.add(rowNumbers.get(i));
            } else {
                refused.add(new Rejected(rowNumbers.get(i), payload(rowNumbers.get(i)), reason));
            }
        }
        return new RowBatch(jobUuid, dataset, header, number, source, kept, keptNumbers, refused, dropped, unchanged, existingKeys);
    }

    /** The file's row of this number as CSV text. */
    private String payload(long rowNumber) {
        for (SourceRow row : source) {
            if (row.number() == rowNumber) {
                return FileText.csvLine(row.values());
            }
        }
        throw new IllegalArgumentException("row " + rowNumber + " is not in batch " + number);
    }

    public long firstRow() {
        return source.get(0).number();
    }

    /** The valid rows whose key a later row of the batch had too: the later one won. */
    public int duplicates() {
        return source.size() - rejected.size() - rows.size() - dropped - unchanged;
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
