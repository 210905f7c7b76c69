package dev.dromedary.datasets;

import dev.dromedary.processing.RowRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A kind of row that Dromedary imports, as its definition file describes it: the table and the index it
 * lands in, its columns, the column that identifies a row, and the columns whose values are facets.
 * When the key is derived, the CSV has no such column and each row's id comes from its source object
 * and row number, so that importing the same file again writes each row once. {@code aliases} are other
 * names a query may use for a column; {@code headerAliases} other names a file's header may give it;
 * {@code rules} the transform and validation rules every row of it goes through, whatever its source.
 */
public record Dataset(String name, String table, String index, String key, boolean keyDerived,
                      List<Column> columns, List<String> facets, Map<String, String> aliases,
                      Map<String, List<String>> headerAliases, RowRules rules) {

    /**
     * A name as a file's headers are matched to columns: in lower case, without spaces, '_', '-' and '.'. Every other
     * character stays, so that a cell such as {@code city"} or {@code =city} names no column (the cell is unknown).
     */
    public static String headerKey(String name) {
        StringBuilder kept = new StringBuilder(name.length());
        name.toLowerCase(java.util.Locale.ROOT).codePoints().filter(c -> c != ' ' && c != '\u00a0' && c != '_' && c != '-' && c != '.')
                .forEach(kept::appendCodePoint);
        return kept.toString();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(column -> column.name().equals(name)).findFirst();
    }

    /** The column a name stands for in a query: a column's own name, or one of the dataset's aliases. */
    public Optional<Column> columnOrAlias(String name) {
        return column(aliases.getOrDefault(name, name));
    }

    /** Each column's type, by name, in the definition's order. */
    public Map<String, ColumnType> columnTypes() {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        columns.forEach(column -> types.put(column.name(), column.type()));
        return types;
    }

    public Dataset withRules(RowRules rules) {
        return new Dataset(name, table, index, key, keyDerived, columns, facets, aliases, headerAliases, rules);
    }

    public Column keyColumn() {
        return column(key).orElseThrow();
    }

    /** The Elasticsearch mapping of the dataset's index, from its columns. */
    public Map<String, Object> indexMapping() {
        Map<String, Object> properties = new LinkedHashMap<>();
        columns.forEach(column -> properties.put(column.name(), column.type().elasticsearchMapping()));
        return Map.of("dynamic", "strict", "properties", properties);
    }
}
