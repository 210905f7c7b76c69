package dev.dromedary.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.datasets.ColumnType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads rules as a dataset file or a job's {@code job_data} writes them, checking each against the dataset's
 * columns and every size against its bound before it costs memory or time: rules are data, never code.
 */
final class RuleParser {

    static final int MAX_TRANSFORMS = 100;
    static final int MAX_ROW_RULES = 20;
    static final int MAX_LISTED = 1000;
    static final int MAX_VALUE_CHARS = 1000;
    static final int MAX_FORMATS = 10;

    private static final Set<String> TEXT_RULES = Set.of("trim", "collapse_spaces", "lower", "upper", "title");
    private static final List<String> TRANSFORMS = List.of("trim", "collapse_spaces", "lower", "upper", "title", "replace",
            "regex_replace", "map", "default", "null_if", "split", "concat", "derive", "parse_date", "cast", "drop_row_if");
    private static final List<String> CHECKS = List.of("required", "min", "max", "min_length", "max_length", "pattern", "one_of",
            "email", "url", "unique");

    private final Map<String, ColumnType> columns;

    RuleParser(Map<String, ColumnType> columns) {
        this.columns = columns;
    }

    RowRules parse(JsonNode transform, JsonNode validate, JsonNode rows) {
        List<TransformRule> transforms = new ArrayList<>();
        if (present(transform)) {
            if (!transform.isArray() || transform.size() > MAX_TRANSFORMS) {
                throw new InvalidRule("transform is a list of at most " + MAX_TRANSFORMS + " rules, each {rule: settings}");
            }
            for (int i = 0; i < transform.size(); i++) {
                transforms.add(transformRule(transform.get(i), "transform[" + i + "]"));
            }
        }
        Map<String, List<ValueRule>> checks = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        List<String> unique = new ArrayList<>();
        if (present(validate)) {
            if (!validate.isObject()) {
                throw new InvalidRule("validate maps each column to its rules, e.g. {email: {required: true, email: true}}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = validate.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String column = column(entry.getKey(), "validate");
                checks.put(column, columnChecks(column, entry.getValue(), required, unique));
            }
        }
        List<List<String>> atLeastOneOf = new ArrayList<>();
        if (present(rows)) {
            if (!rows.isArray() || rows.size() > MAX_ROW_RULES) {
                throw new InvalidRule("rows is a list of at most " + MAX_ROW_RULES + " row rules, e.g. [{at_least_one_of: [email, phone]}]");
            }
            for (int i = 0; i < rows.size(); i++) {
                JsonNode rule = rows.get(i);
                String where = "rows[" + i + "]";
                String name = onlyField(rule, where);
                if (!name.equals("at_least_one_of")) {
                    throw new InvalidRule(where + ": '" + clip(name) + "' is not a row rule; the row rule is at_least_one_of");
                }
                List<String> named = columns(rule.get(name), where + ".at_least_one_of");
                if (named.size() < 2) {
                    throw new InvalidRule(where + ".at_least_one_of names two columns or more");
                }
                atLeastOneOf.add(named);
            }
        }
        checks.values().removeIf(List::isEmpty);
        return new RowRules(transforms, checks, required, unique, atLeastOneOf);
    }

    private TransformRule transformRule(JsonNode node, String at) {
        String name = onlyField(node, at);
        String where = at + "." + name;
        if (!TRANSFORMS.contains(name)) {
            throw new InvalidRule(at + ": '" + clip(name) + "' is not a transform rule; the rules are " + String.join(", ", TRANSFORMS));
        }
        JsonNode settings = node.get(name);
        if (TEXT_RULES.contains(name)) {
            return new TransformRule.Text(name, columns(settings, where));
        }
        Settings s = new Settings(settings, where);
        return switch (name) {
            case "replace" -> {
                s.allow("column", "columns", "from", "to");
                String from = s.text("from", true);
                if (from.isEmpty()) {
                    throw new InvalidRule(where + ".from is the text to replace, not empty");
                }
                yield new TransformRule.Replace(s.columns(), from, s.text("to", false));
            }
            case "regex_replace" -> {
                s.allow("column", "columns", "pattern", "with");
                yield new TransformRule.RegexReplace(s.columns(), LinearPatterns.compile(s.text("pattern", true), where + ".pattern"),
                        s.text("with", false));
            }
            case "map" -> {
                s.allow("column", "values", "otherwise");
                String column = s.column();
                JsonNode values = s.node.get("values");
                if (values == null || !values.isObject() || values.isEmpty() || values.size() > MAX_LISTED) {
                    throw new InvalidRule(where + ".values maps 1 to " + MAX_LISTED + " values to what they become");
                }
                Map<String, String> table = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    if (!entry.getValue().isValueNode() || entry.getKey().length() > MAX_VALUE_CHARS
                            || entry.getValue().asText().length() > MAX_VALUE_CHARS) {
                        throw new InvalidRule(where + ".values maps each value to a value of at most " + MAX_VALUE_CHARS + " characters");
                    }
                    table.put(entry.getKey().strip().toLowerCase(Locale.ROOT), entry.getValue().asText());
                }
                String otherwise = s.node.has("otherwise") ? s.text("otherwise", true) : "keep";
                if (!List.of("keep", "null", "reject").contains(otherwise)) {
                    throw new InvalidRule(where + ".otherwise is keep (the default), null or reject");
                }
                yield new TransformRule.MapValues(column, Map.copyOf(table), otherwise);
            }
            case "default" -> {
                s.allow("column", "value");
                String column = s.column();
                String value = s.text("value", true);
                if (value.isEmpty()) {
                    throw new InvalidRule(where + ".value is the value of an empty cell, not empty");
                }
                yield new TransformRule.Default(column, value);
            }
            case "null_if" -> {
                s.allow("column", "columns", "values");
                yield new TransformRule.NullIf(s.columns(), Set.copyOf(texts(s.node.get("values"), where + ".values")));
            }
            case "split" -> {
                s.allow("column", "separator");
                String column = s.column();
                if (columns.get(column) != ColumnType.KEYWORDS) {
                    throw new InvalidRule(where + ": split makes a keywords column, and '" + column + "' is of type "
                            + columns.get(column).definitionName());
                }
                String separator = s.text("separator", true);
                if (separator.isEmpty() || separator.length() > 10) {
                    throw new InvalidRule(where + ".separator is 1 to 10 characters");
                }
                yield new TransformRule.Split(column, separator);
            }
            case "concat", "derive" -> {
                s.allow("column", "template", "when_empty");
                String column = s.column();
                String template = s.text("template", true);
                if (template.length() > MAX_VALUE_CHARS) {
                    throw new InvalidRule(where + ".template is at most " + MAX_VALUE_CHARS + " characters");
                }
                List<String> literals = new ArrayList<>();
                List<String> names = new ArrayList<>();
                int from = 0;
                while (true) {
                    int open = template.indexOf('{', from);
                    int stray = template.indexOf('}', from);
                    if (stray >= 0 && (open < 0 || stray < open)) {
                        throw new InvalidRule(where + ".template has a '}' that closes no '{column}'");
                    }
                    if (open < 0) {
                        literals.add(template.substring(from));
                        break;
                    }
                    int close = template.indexOf('}', open);
                    if (close < 0) {
                        throw new InvalidRule(where + ".template has a '{' that no '}' closes");
                    }
                    literals.add(template.substring(from, open));
                    names.add(column(template.substring(open + 1, close), where + ".template"));
                    from = close + 1;
                }
                yield new TransformRule.Derive(name, column, literals, names, s.bool("when_empty"));
            }
            case "parse_date" -> {
                s.allow("column", "formats", "format");
                String column = s.column();
                if (columns.get(column) != ColumnType.DATE) {
                    throw new InvalidRule(where + ": '" + column + "' is of type " + columns.get(column).definitionName()
                            + "; parse_date is for a date column");
                }
                List<String> patterns = s.node.has("format") ? List.of(s.text("format", true)) : texts(s.node.get("formats"), where + ".formats");
                if (patterns.isEmpty() || patterns.size() > MAX_FORMATS) {
                    throw new InvalidRule(where + ".formats lists 1 to " + MAX_FORMATS + " date formats, e.g. [dd/MM/yyyy, yyyy-MM-dd HH:mm]");
                }
                List<DateTimeFormatter> formats = new ArrayList<>();
                for (String pattern : patterns) {
                    formats.add(dateFormat(pattern, where));
                }
                yield new TransformRule.ParseDate(column, formats);
            }
            case "cast" -> {
                s.allow("column", "to");
                String column = s.column();
                String to = s.text("to", true);
                ColumnType type = columns.get(column);
                if (!(to.equals("long") && type == ColumnType.LONG || to.equals("date") && type == ColumnType.DATE)) {
                    throw new InvalidRule(where + ": '" + column + "' is of type " + type.definitionName() + "; cast takes a long "
                            + "column to long (from 12.0, 1 234 or 1.5e3) and a date column to date (from seconds since 1970)");
                }
                yield new TransformRule.Cast(column, to);
            }
            case "drop_row_if" -> {
                s.allow("column", "equals", "in", "empty");
                String column = s.column();
                boolean empty = s.bool("empty");
                Set<String> values = new LinkedHashSet<>();
                if (s.node.has("equals")) {
                    values.add(s.text("equals", true));
                }
                if (s.node.has("in")) {
                    values.addAll(texts(s.node.get("in"), where + ".in"));
                }
                if (empty == !values.isEmpty()) {
                    throw new InvalidRule(where + " names one condition: equals a value, in a list of values, or empty: true");
                }
                yield new TransformRule.DropRowIf(column, Set.copyOf(values), empty);
            }
            default -> throw new IllegalStateException(name);
        };
    }

    private List<ValueRule> columnChecks(String column, JsonNode node, Set<String> required, List<String> unique) {
        String where = "validate." + column;
        if (node == null || !node.isObject()) {
            throw new InvalidRule(where + " maps rules to their settings, e.g. {required: true, max_length: 100}");
        }
        ColumnType type = columns.get(column);
        List<ValueRule> rules = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            String at = where + "." + name;
            switch (name) {
                case "required" -> {
                    if (flag(value, at)) {
                        required.add(column);
                    }
                }
                case "unique" -> {
                    if (flag(value, at) && !unique.contains(column)) {
                        unique.add(column);
                    }
                }
                case "email" -> {
                    if (flag(value, at)) {
                        rules.add(new ValueRule.Email());
                    }
                }
                case "url" -> {
                    if (flag(value, at)) {
                        rules.add(new ValueRule.Url());
                    }
                }
                case "min", "max" -> rules.add(new ValueRule.Bound(name, bound(type, value, at)));
                case "min_length", "max_length" -> {
                    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
                        throw new InvalidRule(at + " is a whole number of characters, 0 or more");
                    }
                    rules.add(new ValueRule.Length(name, value.asInt()));
                }
                case "pattern" -> {
                    if (!value.isTextual()) {
                        throw new InvalidRule(at + " is a regular expression that the whole value must match");
                    }
                    rules.add(new ValueRule.Matches(LinearPatterns.compile(value.asText(), at)));
                }
                case "one_of" -> {
                    List<String> values = texts(value, at);
                    if (values.isEmpty()) {
                        throw new InvalidRule(at + " lists the values allowed");
                    }
                    rules.add(new ValueRule.OneOf(Set.copyOf(values)));
                }
                default -> throw new InvalidRule(where + ": '" + clip(name) + "' is not a validation rule; the rules are "
                        + String.join(", ", CHECKS));
            }
        }
        return rules;
    }

    private static Comparable<?> bound(ColumnType type, JsonNode value, String at) {
        if (type == ColumnType.LONG) {
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new InvalidRule(at + " is a whole number for the long column it checks");
            }
            return value.asLong();
        }
        if (type == ColumnType.DATE) {
            try {
                return (OffsetDateTime) ColumnType.DATE.parse(value.asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidRule(at + " is a date such as 2024-01-31 for the date column it checks");
            }
        }
        throw new InvalidRule(at + ": min and max check long and date columns; this column is of type " + type.definitionName()
                + " (min_length and max_length check text)");
    }

    private static DateTimeFormatter dateFormat(String pattern, String where) {
        if (pattern.isEmpty() || pattern.length() > 100) {
            throw new InvalidRule(where + ": a date format is 1 to 100 characters, e.g. dd/MM/yyyy");
        }
        try {
            DateTimeFormatterBuilder format = new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern);
            if (pattern.contains("y") && !pattern.contains("G")) {
                // strict reading takes yyyy (year of era, what people write) only with an era
                format.parseDefaulting(ChronoField.ERA, 1);
            }
            return format.toFormatter(Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new InvalidRule(where + ": '" + clip(pattern) + "' is not a date format (Java's patterns: dd/MM/yyyy, "
                    + "MM/dd/yy HH:mm, d MMM yyyy): " + clip(e.getMessage()));
        }
    }

    private String column(String name, String where) {
        if (!columns.containsKey(name)) {
            throw new InvalidRule(where + " names the column '" + clip(name) + "', which the dataset does not have; its columns are "
                    + String.join(", ", columns.keySet()));
        }
        return name;
    }

    private List<String> columns(JsonNode node, String where) {
        List<String> names = new ArrayList<>();
        if (node != null && node.isTextual()) {
            names.add(column(node.asText(), where));
        } else if (node != null && node.isArray() && !node.isEmpty() && node.size() <= columns.size()) {
            for (JsonNode name : node) {
                if (!name.isTextual()) {
                    throw new InvalidRule(where + " lists column names");
                }
                names.add(column(name.asText(), where));
            }
        } else {
            throw new InvalidRule(where + " names a column or a list of the dataset's columns");
        }
        return List.copyOf(names);
    }

    private static List<String> texts(JsonNode node, String where) {
        if (node == null || !node.isArray() || node.size() > MAX_LISTED) {
            throw new InvalidRule(where + " is a list of at most " + MAX_LISTED + " values");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isValueNode() || value.isNull() || value.asText().length() > MAX_VALUE_CHARS) {
                throw new InvalidRule(where + " lists values of at most " + MAX_VALUE_CHARS + " characters");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static boolean flag(JsonNode value, String at) {
        if (!value.isBoolean()) {
            throw new InvalidRule(at + " is true or false");
        }
        return value.asBoolean();
    }

    private static String onlyField(JsonNode node, String where) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new InvalidRule(where + " is one rule written {name: settings}, e.g. {trim: [email]}");
        }
        return node.fieldNames().next();
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static String clip(String text) {
        return LinearPatterns.clip(text);
    }

    /** A rule's settings object, read strictly: a setting it does not know is refused, not ignored. */
    private final class Settings {
        final JsonNode node;
        final String where;

        Settings(JsonNode node, String where) {
            if (node == null || !node.isObject()) {
                throw new InvalidRule(where + " takes its settings as an object, e.g. {column: country, ...}");
            }
            this.node = node;
            this.where = where;
        }

        void allow(String... names) {
            List<String> known = List.of(names);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!known.contains(name)) {
                    throw new InvalidRule(where + ": '" + clip(name) + "' is not one of its settings, which are " + String.join(", ", known));
                }
            }
        }

        String column() {
            return RuleParser.this.column(text("column", true), where + ".column");
        }

        List<String> columns() {
            if (node.has("column") == node.has("columns")) {
                throw new InvalidRule(where + " names its column(s) as column or columns");
            }
            return RuleParser.this.columns(node.has("column") ? node.get("column") : node.get("columns"), where);
        }

        String text(String name, boolean required) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (required) {
                    throw new InvalidRule(where + "." + name + " is required");
                }
                return "";
            }
            if (!value.isValueNode() || value.asText().length() > MAX_VALUE_CHARS) {
                throw new InvalidRule(where + "." + name + " is a text of at most " + MAX_VALUE_CHARS + " characters");
            }
            return value.asText();
        }

        boolean bool(String name) {
            JsonNode value = node.get(name);
            return value != null && flag(value, where + "." + name);
        }
    }
}
