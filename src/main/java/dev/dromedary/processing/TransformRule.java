package dev.dromedary.processing;

import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One step of a dataset's (or a job's) {@code transform:} list: it changes a row's cells, by column, as text after
 * the header is mapped and before the cells are typed and validated. A cell that is empty is absent from the map.
 * A value the rule cannot take makes the row a dead letter ({@link RuleBroken}); {@code apply} answers false for a
 * row that is to be dropped.
 */
public interface TransformRule {

    /** The rule's name as a dataset file writes it (trim, map, derive, …). */
    String name();

    boolean apply(Map<String, String> cells);

    /** {@code trim}, {@code collapse_spaces}, {@code lower}, {@code upper} or {@code title} of the columns' text. */
    record Text(String name, List<String> columns) implements TransformRule {
        @Override
        public boolean apply(Map<String, String> cells) {
            for (String column : columns) {
                String value = cells.get(column);
                if (value != null) {
                    put(cells, column, switch (name) {
                        case "trim" -> value.strip();
                        case "collapse_spaces" -> collapseSpaces(value);
                        case "lower" -> value.toLowerCase(Locale.ROOT);
                        case "upper" -> value.toUpperCase(Locale.ROOT);
                        case "title" -> title(value);
                        default -> throw new IllegalStateException(name);
                    });
                }
            }
            return true;
        }

        private static String collapseSpaces(String value) {
            StringBuilder out = new StringBuilder(value.length());
            boolean space = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                    space = out.length() > 0;
                } else {
                    if (space) {
                        out.append(' ');
                        space = false;
                    }
                    out.append(c);
                }
            }
            return out.toString();
        }

        private static String title(String value) {
            StringBuilder out = new StringBuilder(value.length());
            boolean start = true;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                out.append(start ? Character.toTitleCase(c) : Character.toLowerCase(c));
                start = Character.isWhitespace(c) || c == '-' || c == '\'';
            }
            return out.toString();
        }
    }

    /** {@code replace}: every {@code from} in the columns' text becomes {@code to}, literally. */
    record Replace(List<String> columns, String from, String to) implements TransformRule {
        @Override
        public String name() {
            return "replace";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            for (String column : columns) {
                String value = cells.get(column);
                if (value != null) {
                    put(cells, column, value.replace(from, to));
                }
            }
            return true;
        }
    }

    /** {@code regex_replace}: what the pattern matches becomes {@code with} ($1 names a group); linear-time RE2/J. */
    record RegexReplace(List<String> columns, Pattern pattern, String with) implements TransformRule {
        @Override
        public String name() {
            return "regex_replace";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            for (String column : columns) {
                String value = cells.get(column);
                if (value != null) {
                    put(cells, column, pattern.matcher(value).replaceAll(with));
                }
            }
            return true;
        }
    }

    /**
     * {@code map}: a value found in the table (case and surrounding spaces aside) becomes the table's value; any
     * other is kept, emptied, or rejects the row, as {@code otherwise} says.
     */
    record MapValues(String column, Map<String, String> values, String otherwise) implements TransformRule {
        @Override
        public String name() {
            return "map";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            String value = cells.get(column);
            if (value == null) {
                return true;
            }
            String mapped = values.get(value.strip().toLowerCase(Locale.ROOT));
            if (mapped != null) {
                put(cells, column, mapped);
            } else if (otherwise.equals("null")) {
                cells.remove(column);
            } else if (otherwise.equals("reject")) {
                throw new RuleBroken("map", column, value);
            }
            return true;
        }
    }

    /** {@code default}: the value of an empty cell. */
    record Default(String column, String value) implements TransformRule {
        @Override
        public String name() {
            return "default";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            cells.putIfAbsent(column, value);
            return true;
        }
    }

    /** {@code null_if}: values that mean "no value" ({@code N/A}, {@code -}) empty the cell; matched after a strip. */
    record NullIf(List<String> columns, Set<String> values) implements TransformRule {
        @Override
        public String name() {
            return "null_if";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            for (String column : columns) {
                String value = cells.get(column);
                if (value != null && values.contains(value.strip())) {
                    cells.remove(column);
                }
            }
            return true;
        }
    }

    /** {@code split}: one cell of several values, by a separator, into a keywords column (whose cells separate by ;). */
    record Split(String column, String separator) implements TransformRule {
        @Override
        public String name() {
            return "split";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            String value = cells.get(column);
            if (value != null) {
                List<String> parts = new ArrayList<>();
                int from = 0;
                while (from <= value.length()) {
                    int at = value.indexOf(separator, from);
                    int end = at < 0 ? value.length() : at;
                    String part = value.substring(from, end).strip();
                    if (!part.isEmpty()) {
                        parts.add(part.replace(';', ','));
                    }
                    if (at < 0) {
                        break;
                    }
                    from = at + separator.length();
                }
                put(cells, column, String.join(";", parts));
            }
            return true;
        }
    }

    /**
     * {@code derive} (and {@code concat}): a column built from others by a fixed template of column names and
     * literals, {@code "{first_name} {last_name}"}; with {@code when_empty}, only where the column is empty. A
     * template whose every column is empty gives no value.
     */
    record Derive(String name, String column, List<String> literals, List<String> columns, boolean whenEmpty)
            implements TransformRule {
        @Override
        public boolean apply(Map<String, String> cells) {
            if (whenEmpty && cells.containsKey(column)) {
                return true;
            }
            StringBuilder out = new StringBuilder();
            boolean any = false;
            for (int i = 0; i < columns.size(); i++) {
                out.append(literals.get(i));
                String value = cells.get(columns.get(i));
                if (value != null) {
                    out.append(value);
                    any = true;
                }
            }
            out.append(literals.get(columns.size()));
            if (any || columns.isEmpty()) {
                put(cells, column, out.toString().strip());
            } else {
                cells.remove(column);
            }
            return true;
        }
    }

    /**
     * {@code parse_date}: a date or time written in one of the given formats (Java's patterns: dd/MM/yyyy, MM/dd/yy
     * HH:mm) becomes ISO 8601, in UTC where the format has no offset; a value no format reads rejects the row.
     */
    record ParseDate(String column, List<DateTimeFormatter> formats) implements TransformRule {
        @Override
        public String name() {
            return "parse_date";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            String value = cells.get(column);
            if (value == null) {
                return true;
            }
            String text = value.strip();
            for (DateTimeFormatter format : formats) {
                try {
                    TemporalAccessor parsed = format.parse(text);
                    OffsetDateTime time;
                    if (parsed.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
                        time = OffsetDateTime.from(parsed);
                    } else if (parsed.isSupported(java.time.temporal.ChronoField.HOUR_OF_DAY)) {
                        time = LocalDateTime.from(parsed).atOffset(ZoneOffset.UTC);
                    } else {
                        time = LocalDate.from(parsed).atStartOfDay().atOffset(ZoneOffset.UTC);
                    }
                    put(cells, column, time.toString());
                    return true;
                } catch (java.time.DateTimeException e) {
                    // the next format may read it
                }
            }
            throw new RuleBroken("parse_date", column, value);
        }
    }

    /**
     * {@code cast}: a cell written otherwise than its column's type reads it: to {@code long}, any decimal number
     * (1 234, 12.0, 1.5e3) rounded half up; to {@code date}, seconds since 1970 (or milliseconds, past 10^11).
     */
    record Cast(String column, String to) implements TransformRule {
        @Override
        public String name() {
            return "cast";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            String value = cells.get(column);
            if (value == null) {
                return true;
            }
            try {
                BigDecimal number = new BigDecimal(value.strip().replace(" ", "").replace("_", ""));
                if (to.equals("long")) {
                    put(cells, column, number.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact().toString());
                } else {
                    long epoch = number.setScale(0, RoundingMode.HALF_UP).longValueExact();
                    java.time.Instant instant = Math.abs(epoch) >= 100_000_000_000L ? java.time.Instant.ofEpochMilli(epoch)
                            : java.time.Instant.ofEpochSecond(epoch);
                    put(cells, column, instant.toString());
                }
                return true;
            } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
                throw new RuleBroken("cast", column, value);
            }
        }
    }

    /** {@code drop_row_if}: a row whose column equals a value, is one of several, or is empty, is left out (not a dead letter). */
    record DropRowIf(String column, Set<String> values, boolean empty) implements TransformRule {
        @Override
        public String name() {
            return "drop_row_if";
        }

        @Override
        public boolean apply(Map<String, String> cells) {
            String value = cells.get(column);
            return !(empty ? value == null : value != null && values.contains(value.strip()));
        }
    }

    /** A cell that a rule made empty is absent, as an empty cell of the file. */
    private static void put(Map<String, String> cells, String column, String value) {
        if (value.isEmpty()) {
            cells.remove(column);
        } else {
            cells.put(column, value);
        }
    }
}
