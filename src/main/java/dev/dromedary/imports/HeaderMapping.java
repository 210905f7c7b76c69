package dev.dromedary.imports;

import dev.dromedary.app.Nearest;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.processing.InvalidRule;
import dev.dromedary.processing.RowRules;
import dev.dromedary.processing.RuleBroken;
import dev.dromedary.processing.UniqueValues;
import dev.dromedary.rows.FileText;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How a file's header maps to its dataset's columns, and so how its rows become typed values. A header
 * name matches a column whose name, or one of whose {@code header_aliases}, is the same once case, spaces and
 * punctuation are set aside ({@code First Name} is {@code first_name}); a job's {@code column_map} names
 * columns outright. The source object (bucket and key) gives the ids of rows of a dataset whose key is derived.
 */
final class HeaderMapping {

    /** A job's answer names at most this many of the header's columns that its dataset does not have. */
    static final int MAX_UNKNOWN_COLUMNS = 100;

    private final Dataset dataset;
    /** The header, by position; JSON Lines adds to it as new fields appear. */
    private final List<String> header;
    private final boolean grows;
    private final List<Column> columns = new CopyOnWriteArrayList<>();
    private final List<String> unknownColumns = new CopyOnWriteArrayList<>();
    private final Map<String, Column> byName;
    private final Map<String, String> columnMap;
    private final Set<String> nullValues;
    private final String bucket;
    private final String key;
    /** The dataset's rules, and the job's after them. */
    private volatile RowRules rules;
    /** The unique columns' values across the job's batches; null while each batch is checked on its own. */
    private volatile UniqueValues unique;

    private HeaderMapping(Dataset dataset, List<String> header, boolean grows, Map<String, String> columnMap,
                          Set<String> nullValues, String bucket, String key) {
        this.dataset = dataset;
        this.header = header;
        this.grows = grows;
        this.columnMap = columnMap;
        this.nullValues = nullValues;
        this.bucket = bucket;
        this.key = key;
        this.rules = dataset.rules();
        this.byName = new HashMap<>();
        for (Column column : dataset.columns()) {
            byName.put(Dataset.headerKey(column.name()), column);
        }
        dataset.headerAliases().forEach((column, aliases) ->
                aliases.forEach(alias -> byName.putIfAbsent(Dataset.headerKey(alias), dataset.column(column).orElseThrow())));
        columnMap.forEach((from, to) -> {
            if (dataset.column(to).isEmpty()) {
                throw new ImportRejected("job_data.column_map maps '" + FileText.quote(from) + "' to '" + FileText.quote(to)
                        + "', which is no column of " + dataset.name() + closest(to, dataset.columns().stream().map(Column::name).toList()));
            }
        });
    }

    /** Maps a header row; one that names no column of the dataset, names one twice, or lacks its key, is rejected. */
    static HeaderMapping of(Dataset dataset, List<String> header, String bucket, String key) {
        return of(dataset, header, false, Map.of(), Set.of(), bucket, key);
    }

    /**
     * Maps a header that may grow as rows are read (JSON Lines: then a row's key is checked row by row), with
     * the job's column map and the cells that stand for no value.
     */
    static HeaderMapping of(Dataset dataset, List<String> header, boolean grows, Map<String, String> columnMap,
                            Set<String> nullValues, String bucket, String key) {
        HeaderMapping mapping = new HeaderMapping(dataset, header, grows, columnMap, nullValues, bucket, key);
        mapping.mapUpTo(header.size());
        if (grows) {
            return mapping;
        }
        if (header.stream().allMatch(name -> name == null || name.isBlank())) {
            throw new ImportRejected("the header row is empty");
        }
        if (mapping.columns.stream().allMatch(Objects::isNull)) {
            // the cells' text stays out: an object that is no table (a settings file, say) must not be read through a reason
            throw new ImportRejected("no cell of the header row (" + header.size() + (header.size() == 1 ? " cell" : " cells")
                    + ") names a column of " + dataset.name() + "; its columns are " + dataset.columns().stream().map(Column::name).toList());
        }
        if (!dataset.keyDerived() && !mapping.columns.contains(dataset.keyColumn())) {
            throw new ImportRejected("the header has no '" + dataset.key() + "' column, which identifies each "
                    + dataset.name() + " row" + closest(dataset.key(), mapping.unknownColumns));
        }
        return mapping;
    }

    /**
     * The rules rows go through: the dataset's, then {@code jobRules}; unique values are told apart across the
     * batches of the run from batch {@code firstBatch} on, in the order they were read.
     */
    HeaderMapping withRules(RowRules jobRules, int firstBatch) {
        rules = dataset.rules().then(jobRules);
        unique = rules.unique().isEmpty() ? null : new UniqueValues(rules.unique(), firstBatch);
        return this;
    }

    /** The rules a job adds to its dataset's; one that does not fit the dataset fails the job at once. */
    static RowRules jobRules(ImportOptions options, Dataset dataset) {
        try {
            return options.jobRules(dataset);
        } catch (InvalidRule e) {
            throw new ImportRejected(InvalidRule.CODE + ": job_data." + e.getMessage());
        }
    }

    List<String> header() {
        return List.copyOf(header);
    }

    List<String> unknownColumns() {
        return List.copyOf(unknownColumns);
    }

    /** The dataset's columns that no column of the header maps to (but a derived key). */
    List<String> missingColumns() {
        return dataset.columns().stream().filter(column -> !columns.contains(column))
                .filter(column -> !dataset.keyDerived() || !column.name().equals(dataset.key())).map(Column::name).toList();
    }

    /** What the job's message says of the unknown columns: each, with the dataset column it is closest to, if any. */
    String unknownColumnsExplained() {
        List<String> names = dataset.columns().stream().map(Column::name).toList();
        return String.join(", ", unknownColumns.stream().map(unknown -> unknown + closest(unknown, names)).toList());
    }

    /**
     * Types each row through the dataset and its rules; a row that does not fit, or breaks a rule, is rejected with
     * its reason, and a row a drop_row_if rule leaves out is counted. The unique rules then take the batch's turn.
     */
    RowBatch batch(String jobUuid, int number, List<SourceRow> source) {
        UniqueValues uniqueValues = unique != null ? unique
                : rules.unique().isEmpty() ? null : new UniqueValues(rules.unique(), number);
        try {
            if (grows) {
                mapUpTo(header.size());
            }
            List<String> headerNow = List.copyOf(header);
            List<SourceRow> kept = new ArrayList<>(source.size());
            List<Map<String, Object>> keptValues = new ArrayList<>(source.size());
            List<RowBatch.Rejected> rejected = new ArrayList<>();
            int dropped = 0;
            for (SourceRow row : source) {
                try {
                    Map<String, Object> values = typed(row);
                    if (values == null) {
                        dropped++;
                    } else {
                        kept.add(row);
                        keptValues.add(values);
                    }
                } catch (IllegalArgumentException e) {
                    rejected.add(new RowBatch.Rejected(row.number(), payload(row, headerNow.size()), e.getMessage()));
                }
            }
            Map<Object, Map<String, Object>> byKey = new LinkedHashMap<>();
            Map<Object, Long> rowOfKey = new HashMap<>();
            boolean rejectedLate = false;
            if (uniqueValues != null) {
                awaitTurn(uniqueValues, number);
            }
            for (int i = 0; i < kept.size(); i++) {
                Map<String, Object> values = keptValues.get(i);
                SourceRow row = kept.get(i);
                String heldBefore = uniqueValues == null ? null : uniqueValues.heldBefore(uniqueValues.columns().stream().map(values::get).toArray());
                if (heldBefore != null) {
                    rejected.add(new RowBatch.Rejected(row.number(), payload(row, headerNow.size()),
                            new RuleBroken("unique", heldBefore, values.get(heldBefore).toString()).getMessage()));
                    rejectedLate = true;
                    continue;
                }
                Object key = values.get(dataset.key());
                byKey.put(key, values);
                rowOfKey.put(key, row.number());
            }
            if (rejectedLate) {
                rejected.sort(java.util.Comparator.comparingLong(RowBatch.Rejected::rowNumber));
            }
            List<Long> rowNumbers = byKey.keySet().stream().map(rowOfKey::get).toList();
            return new RowBatch(jobUuid, dataset, FileText.csvLine(headerNow), number, source, List.copyOf(byKey.values()),
                    rowNumbers, rejected, dropped, 0, null);
        } finally {
            if (uniqueValues != null) {
                uniqueValues.done(number);
            }
        }
    }

    private static void awaitTurn(UniqueValues uniqueValues, int number) {
        try {
            uniqueValues.awaitTurn(number);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while batch " + number + " waited to check its unique values", e);
        }
    }

    /** A row as its dead letter holds it: CSV under the header, as wide as the header when the header grows. */
    private String payload(SourceRow row, int width) {
        if (!grows || row.unreadable() != null || row.values().size() >= width) {
            return FileText.csvLine(row.values());
        }
        List<String> padded = new ArrayList<>(row.values());
        while (padded.size() < width) {
            padded.add(null);
        }
        return FileText.csvLine(padded);
    }

    private synchronized void mapUpTo(int size) {
        Set<Column> seen = new java.util.HashSet<>();
        columns.stream().filter(Objects::nonNull).forEach(seen::add);
        for (int i = columns.size(); i < size; i++) {
            String name = header.get(i);
            Column column = name == null ? null : columnOf(name);
            if (column != null && !seen.add(column)) {
                throw new ImportRejected("the header names the column '" + column.name() + "' twice (as '"
                        + FileText.quote(header.get(columns.indexOf(column))) + "' and '" + FileText.quote(name) + "')");
            }
            if (column == null && name != null && !Dataset.headerKey(name).isEmpty() && unknownColumns.size() < MAX_UNKNOWN_COLUMNS) {
                unknownColumns.add(FileText.quote(name.strip()));
            }
            columns.add(column);
        }
    }

    private Column columnOf(String name) {
        String mapped = columnMap.get(name);
        if (mapped == null) {
            mapped = columnMap.get(name.strip());
        }
        if (mapped != null) {
            return dataset.column(mapped).orElseThrow();
        }
        return byName.get(Dataset.headerKey(name));
    }

    /** The row's values by column, transformed, typed and checked; null when a rule drops the row. */
    private Map<String, Object> typed(SourceRow row) {
        if (row.unreadable() != null) {
            throw new IllegalArgumentException(row.unreadable());
        }
        List<String> cells = row.values();
        if (grows ? cells.size() > columns.size() : cells.size() != columns.size()) {
            throw new IllegalArgumentException("the row has " + cells.size() + " values where the header has "
                    + columns.size() + " columns");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (rules.hasTransforms()) {
            Map<String, String> byColumn = new HashMap<>();
            for (int i = 0; i < cells.size(); i++) {
                Column column = columns.get(i);
                if (kept(column, cells.get(i))) {
                    byColumn.put(column.name(), cells.get(i));
                }
            }
            if (!rules.transform(byColumn)) {
                return null;
            }
            if (dataset.keyDerived()) {
                byColumn.remove(dataset.key());
            }
            for (Column column : dataset.columns()) {
                String cell = byColumn.get(column.name());
                if (cell != null) {
                    values.put(column.name(), typedCell(column, cell));
                }
            }
        } else {
            for (int i = 0; i < cells.size(); i++) {
                Column column = columns.get(i);
                if (kept(column, cells.get(i))) {
                    values.put(column.name(), typedCell(column, cells.get(i)));
                }
            }
        }
        if (dataset.keyDerived()) {
            String identity = bucket + "/" + key + "#" + row.number();
            values.put(dataset.key(), UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)));
        } else if (values.get(dataset.key()) == null) {
            throw new IllegalArgumentException("the key '" + dataset.key() + "' is empty");
        }
        rules.check(values);
        return values;
    }

    /** Whether a cell holds a value of a column: not empty, not one of the job's null values, not a derived key. */
    private boolean kept(Column column, String cell) {
        return column != null && cell != null && !cell.isEmpty() && !nullValues.contains(cell)
                && !(dataset.keyDerived() && column.name().equals(dataset.key()));
    }

    private static Object typedCell(Column column, String cell) {
        try {
            return column.type().parse(cell);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + column.name() + "' " + e.getMessage() + ": '" + FileText.quote(cell) + "'");
        }
    }

    /** "; did you mean X?" with the name of {@code candidates} nearest to {@code name}, when one is near enough. */
    static String closest(String name, Collection<String> candidates) {
        String nearest = Nearest.of(name, candidates, Dataset::headerKey);
        return nearest == null ? "" : "; did you mean " + nearest + "?";
    }
}
