package dev.dromedary.formats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a job asks for its file to be read ({@code job_data}): the format, the CSV dialect (each part
 * {@code auto} or given), the cells that mean no value, the lines above the header (or the row it stands on), or the
 * columns of a file without one, and the sheet of a workbook. Checked when the job is created and again when it runs.
 */
public record ReadOptions(String format, Character delimiter, char quote, Character escape, String encoding,
                          Set<String> nullValues, int skipRows, Integer headerRow, List<String> columns, Object sheet,
                          Map<String, String> columnMap) {

    static final List<Character> DELIMITERS = List.of(',', ';', '\t', '|');
    private static final int MAX_LISTED = 1000;
    private static final int MAX_SKIP_ROWS = 10_000;

    /** The options of {@code job_data}; a field that is there but wrong is refused with what it may be. */
    public static ReadOptions of(Map<?, ?> data) {
        String format = text(data, "format");
        if (format != null) {
            FileFormat.of(format, "");
        }
        Character delimiter = null;
        String givenDelimiter = text(data, "delimiter");
        if (givenDelimiter != null && !givenDelimiter.equalsIgnoreCase("auto")) {
            String d = givenDelimiter.equalsIgnoreCase("tab") || givenDelimiter.equals("\\t") ? "\t" : givenDelimiter;
            if (d.length() != 1 || !DELIMITERS.contains(d.charAt(0))) {
                throw new IllegalArgumentException("job_data.delimiter is auto, ',', ';', '\\t' (or 'tab') or '|', not '"
                        + clip(givenDelimiter) + "'");
            }
            delimiter = d.charAt(0);
        }
        char quote = oneAscii(data, "quote", '"');
        Character escape = data.get("escape") == null ? null : oneAscii(data, "escape", '"');
        String encoding = Encodings.named(text(data, "encoding"));
        Set<String> nullValues = Set.copyOf(strings(data, "null_values", 100));
        int skipRows = whole(data, "skip_rows", 0, MAX_SKIP_ROWS);
        Integer headerRow = data.get("header_row") == null ? null : whole(data, "header_row", 1, MAX_SKIP_ROWS + 1);
        if (headerRow != null && data.get("skip_rows") != null) {
            throw new IllegalArgumentException("job_data.header_row (the row the header stands on) and job_data.skip_rows (the "
                    + "lines above it) say the same thing: give one");
        }
        if (headerRow != null) {
            // a delimited file's rows are its lines: the header on row 3 has two lines above it
            skipRows = headerRow - 1;
        }
        Object header = data.get("header");
        if (header != null && !(header instanceof Boolean)) {
            throw new IllegalArgumentException("job_data.header is true (the first row names the columns) or false");
        }
        List<String> columns = data.get("columns") == null ? null : strings(data, "columns", MAX_LISTED);
        if (Boolean.FALSE.equals(header) && (columns == null || columns.isEmpty())) {
            throw new IllegalArgumentException("job_data.header is false, so job_data.columns must name the file's columns in order");
        }
        if (!Boolean.FALSE.equals(header) && columns != null) {
            throw new IllegalArgumentException("job_data.columns names the columns of a file without a header: set job_data.header to false");
        }
        Object sheet = data.get("sheet");
        if (sheet != null && !(sheet instanceof String) && !(sheet instanceof Integer)) {
            throw new IllegalArgumentException("job_data.sheet is a sheet's name or its index (0 is the first)");
        }
        Map<String, String> columnMap = new LinkedHashMap<>();
        Object map = data.get("column_map");
        if (map != null) {
            if (!(map instanceof Map<?, ?> entries) || entries.size() > MAX_LISTED) {
                throw new IllegalArgumentException("job_data.column_map maps at most " + MAX_LISTED
                        + " of the file's column names to dataset columns: {\"Mail\": \"email\"}");
            }
            entries.forEach((from, to) -> {
                if (!(to instanceof String column) || column.isBlank() || from.toString().length() > 200 || column.length() > 200) {
                    throw new IllegalArgumentException("job_data.column_map maps a file's column name to a dataset column's name");
                }
                columnMap.put(from.toString(), column);
            });
        }
        return new ReadOptions(format, delimiter, quote, escape, encoding, nullValues, skipRows, headerRow, columns, sheet,
                Map.copyOf(columnMap));
    }

    private static String text(Map<?, ?> data, String field) {
        Object value = data.get(field);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("job_data." + field + " is a string");
        }
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    private static char oneAscii(Map<?, ?> data, String field, char otherwise) {
        String value = text(data, field);
        if (value == null) {
            return otherwise;
        }
        if (value.length() != 1 || value.charAt(0) > 126 || value.charAt(0) < 32 || DELIMITERS.contains(value.charAt(0))) {
            throw new IllegalArgumentException("job_data." + field + " is one printable ASCII character that is no delimiter, not '"
                    + clip(value) + "'");
        }
        return value.charAt(0);
    }

    private static int whole(Map<?, ?> data, String field, int min, int max) {
        Object value = data.get(field);
        if (value == null) {
            return min;
        }
        if (!(value instanceof Integer number) || number < min || number > max) {
            throw new IllegalArgumentException("job_data." + field + " is a whole number from " + min + " to " + max);
        }
        return number;
    }

    private static List<String> strings(Map<?, ?> data, String field, int max) {
        Object value = data.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > max) {
            throw new IllegalArgumentException("job_data." + field + " is a list of at most " + max + " strings");
        }
        List<String> strings = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String text) || text.length() > 200) {
                throw new IllegalArgumentException("job_data." + field + " holds strings of at most 200 characters");
            }
            strings.add(text);
        }
        return strings;
    }

    private static String clip(String value) {
        return value.length() > 20 ? value.substring(0, 20) + "…" : value;
    }
}
