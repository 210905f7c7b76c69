package dev.dromedary.imports;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * How a file's header maps to its dataset's columns, and so how its rows become typed values. The source
 * object (bucket and key) gives the ids of rows of a dataset whose key is derived.
 */
final class HeaderMapping {

    /** A job's answer names at most this many of the header's columns that its dataset does not have. */
    static final int MAX_UNKNOWN_COLUMNS = 100;

    private final Dataset dataset;
    private final List<String> header;
    private final List<Column> columns;
    private final List<String> unknownColumns;
    private final String bucket;
    private final String key;

    private HeaderMapping(Dataset dataset, List<String> header, List<Column> columns, List<String> unknownColumns,
                          String bucket, String key) {
        this.dataset = dataset;
        this.header = header;
        this.columns = columns;
        this.unknownColumns = unknownColumns;
        this.bucket = bucket;
        this.key = key;
    }

    /** Maps a header row; one that names no column of the dataset, or lacks its key, is rejected. */
    static HeaderMapping of(Dataset dataset, List<String> header, String bucket, String key) {
        List<Column> columns = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            String normalized = name.strip().toLowerCase(Locale.ROOT).replace(' ', '_');
            if (!normalized.isEmpty() && !seen.add(normalized)) {
                throw new ImportRejected("the header names the column '" + FileText.quote(normalized) + "' twice");
            }
            Column column = dataset.column(normalized).orElse(null);
            if (column == null && !normalized.isEmpty() && unknown.size() < MAX_UNKNOWN_COLUMNS) {
                unknown.add(FileText.quote(name.strip()));
            }
            columns.add(column);
        }
        if (seen.isEmpty()) {
            throw new ImportRejected("the header row is empty");
        }
        if (columns.stream().allMatch(Objects::isNull)) {
            throw new ImportRejected("no column of the header (" + FileText.quote(String.join(", ", header)) + ") is a column of "
                    + dataset.name() + "; its columns are " + dataset.columns().stream().map(Column::name).toList());
        }
        if (!dataset.keyDerived() && !seen.contains(dataset.key())) {
            throw new ImportRejected("the header has no '" + dataset.key() + "' column, which identifies each "
                    + dataset.name() + " row");
        }
        return new HeaderMapping(dataset, List.copyOf(header), columns, List.copyOf(unknown), bucket, key);
    }

    List<String> header() {
        return header;
    }

    List<String> unknownColumns() {
        return unknownColumns;
    }

    /** Types each row through the dataset; a row that does not fit is rejected with its reason. */
    RowBatch batch(String jobUuid, int number, List<CsvRow> source) {
        Map<Object, Map<String, Object>> byKey = new LinkedHashMap<>();
        Map<Object, Long> rowOfKey = new HashMap<>();
        List<RowBatch.Rejected> rejected = new ArrayList<>();
        for (CsvRow row : source) {
            try {
                Map<String, Object> values = typed(row);
                Object key = values.get(dataset.key());
                byKey.put(key, values);
                rowOfKey.put(key, row.number());
            } catch (IllegalArgumentException e) {
                rejected.add(new RowBatch.Rejected(row.number(), CsvImport.asCsv(row.values()), e.getMessage()));
            }
        }
        List<Long> rowNumbers = byKey.keySet().stream().map(rowOfKey::get).toList();
        return new RowBatch(jobUuid, dataset, CsvImport.asCsv(header), number, source, List.copyOf(byKey.values()),
                rowNumbers, rejected);
    }

    private Map<String, Object> typed(CsvRow row) {
        if (row.unreadable() != null) {
            throw new IllegalArgumentException(row.unreadable());
        }
        List<String> cells = row.values();
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException("the row has " + cells.size() + " values where the header has "
                    + columns.size() + " columns");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            Column column = columns.get(i);
            String cell = cells.get(i);
            if (column == null || cell == null || cell.isEmpty() || (dataset.keyDerived() && column.name().equals(dataset.key()))) {
                continue;
            }
            try {
                values.put(column.name(), column.type().parse(cell));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + column.name() + "' " + e.getMessage() + ": '" + FileText.quote(cell) + "'");
            }
        }
        if (dataset.keyDerived()) {
            String identity = bucket + "/" + key + "#" + row.number();
            values.put(dataset.key(), UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)));
        } else if (values.get(dataset.key()) == null) {
            throw new IllegalArgumentException("the key '" + dataset.key() + "' is empty");
        }
        return values;
    }
}
