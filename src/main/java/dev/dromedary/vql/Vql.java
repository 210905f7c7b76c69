package dev.dromedary.vql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Dataset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a VQL query ({@code where.keyword_match} and {@code where.range_query}, each with {@code must}
 * and {@code must_not}; {@code select_columns}; {@code order_by}; {@code limit}) into an Elasticsearch
 * bool query, a sort and a page size. Every field name is checked against the dataset.
 */
public final class Vql {

    public static final String MISSING_SELECT_COLUMNS = "ERR_MISSING_SELECT_COLUMNS: 'select_columns' is required "
            + "for export operations; specify at least one column to include in the output";
    public static final int DEFAULT_PAGE_SIZE = 500;
    public static final int MAX_PAGE_SIZE = 10_000;

    private static final Set<String> QUERY_PARTS = Set.of("where", "select_columns", "order_by", "limit");
    private static final Set<String> WHERE_PARTS = Set.of("keyword_match", "range_query");
    private static final Set<String> CLAUSES = Set.of("must", "must_not");
    private static final Set<String> BOUNDS = Set.of("gte", "gt", "lte", "lt");

    private Vql() {
    }

    public static ExportPlan plan(JsonNode vql, Dataset dataset) {
        if (vql == null || vql.isNull() || (vql.isObject() && !vql.has("select_columns"))) {
            throw new VqlError(MISSING_SELECT_COLUMNS);
        }
        requireObjectOf(vql, "vql", QUERY_PARTS);

        JsonNode select = vql.get("select_columns");
        if (!select.isArray() || select.isEmpty()) {
            throw new VqlError(MISSING_SELECT_COLUMNS);
        }
        List<String> headers = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (JsonNode name : select) {
            if (!name.isTextual()) {
                throw new VqlError("ERR_INVALID_VQL: select_columns holds " + name + "; it lists column names");
            }
            headers.add(name.asText());
            columns.add(column(dataset, name.asText(), "select_columns"));
        }

        return new ExportPlan(dataset, List.copyOf(headers), List.copyOf(columns), where(vql.get("where"), dataset),
                sort(dataset, vql.get("order_by")), pageSize(vql.get("limit")));
    }

    /** The Elasticsearch query of a VQL {@code where} (null: every row); VqlError naming what is wrong. */
    public static Map<String, Object> where(JsonNode where, Dataset dataset) {
        List<Object> filter = new ArrayList<>();
        List<Object> mustNot = new ArrayList<>();
        if (where != null && !where.isNull()) {
            requireObjectOf(where, "where", WHERE_PARTS);
            JsonNode keywordMatch = where.get("keyword_match");
            if (keywordMatch != null && !keywordMatch.isNull()) {
                requireObjectOf(keywordMatch, "where.keyword_match", CLAUSES);
                terms(dataset, keywordMatch.get("must"), "where.keyword_match.must", filter);
                terms(dataset, keywordMatch.get("must_not"), "where.keyword_match.must_not", mustNot);
            }
            JsonNode rangeQuery = where.get("range_query");
            if (rangeQuery != null && !rangeQuery.isNull()) {
                requireObjectOf(rangeQuery, "where.range_query", CLAUSES);
                ranges(dataset, rangeQuery.get("must"), "where.range_query.must", filter);
                ranges(dataset, rangeQuery.get("must_not"), "where.range_query.must_not", mustNot);
            }
        }
        Map<String, Object> bool = new LinkedHashMap<>();
        bool.put("filter", filter);
        bool.put("must_not", mustNot);
        return Map.of("bool", bool);
    }

    private static void terms(Dataset dataset, JsonNode fields, String where, List<Object> into) {
        for (Map.Entry<String, JsonNode> field : fields(fields, where)) {
            Column column = column(dataset, field.getKey(), where);
            JsonNode values = field.getValue();
            if (!values.isArray() || values.isEmpty()) {
                throw new VqlError("ERR_INVALID_VQL: " + where + "." + field.getKey() + " must be a list of values, "
                        + "such as [\"USA\"]");
            }
            List<Object> terms = new ArrayList<>();
            for (JsonNode value : values) {
                if (!value.isValueNode() || value.isNull()) {
                    throw new VqlError("ERR_INVALID_VQL: " + where + "." + field.getKey() + " holds " + value
                            + "; it lists values");
                }
                terms.add(value.isNumber() ? value.numberValue() : value.asText());
            }
            into.add(Map.of("terms", Map.of(exactField(column), terms)));
        }
    }

    private static void ranges(Dataset dataset, JsonNode fields, String where, List<Object> into) {
        for (Map.Entry<String, JsonNode> field : fields(fields, where)) {
            Column column = column(dataset, field.getKey(), where);
            if (column.type() != ColumnType.LONG && column.type() != ColumnType.DATE) {
                throw new VqlError("ERR_INVALID_VQL: " + where + "." + field.getKey() + ": a range needs a number or "
                        + "date column, and " + field.getKey() + " is " + column.type().definitionName());
            }
            JsonNode bounds = field.getValue();
            requireObjectOf(bounds, where + "." + field.getKey(), BOUNDS);
            if (bounds.isEmpty()) {
                throw new VqlError("ERR_INVALID_VQL: " + where + "." + field.getKey() + " needs gte, gt, lte or lt");
            }
            Map<String, Object> range = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> b = bounds.fields(); b.hasNext(); ) {
                Map.Entry<String, JsonNode> bound = b.next();
                JsonNode value = bound.getValue();
                boolean fits = column.type() == ColumnType.LONG ? value.isNumber() : value.isTextual();
                if (!fits) {
                    throw new VqlError("ERR_INVALID_VQL: " + where + "." + field.getKey() + "." + bound.getKey()
                            + " must be " + (column.type() == ColumnType.LONG ? "a number" : "a date such as \"2024-05-31\""));
                }
                range.put(bound.getKey(), value.isNumber() ? value.numberValue() : value.asText());
            }
            into.add(Map.of("range", Map.of(column.name(), range)));
        }
    }

    /** The field → condition entries of a must or must_not clause; none when it is absent. */
    private static List<Map.Entry<String, JsonNode>> fields(JsonNode clause, String where) {
        if (clause == null || clause.isNull()) {
            return List.of();
        }
        requireObject(clause, where);
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        clause.fields().forEachRemaining(fields::add);
        return fields;
    }

    private static List<Map<String, Object>> sort(Dataset dataset, JsonNode orderBy) {
        List<Map<String, Object>> sort = new ArrayList<>();
        boolean keySorted = false;
        if (orderBy != null && !orderBy.isNull()) {
            if (!orderBy.isArray()) {
                throw new VqlError("ERR_INVALID_VQL: order_by must be a list such as "
                        + "[{\"order_by\": \"uuid\", \"order_direction\": \"desc\"}]");
            }
            for (JsonNode order : orderBy) {
                requireObjectOf(order, "order_by", Set.of("order_by", "order_direction"));
                JsonNode field = order.get("order_by");
                if (field == null || !field.isTextual()) {
                    throw new VqlError("ERR_INVALID_VQL: each order_by entry names its field in 'order_by'");
                }
                Column column = column(dataset, field.asText(), "order_by");
                String direction = order.path("order_direction").asText("asc").toLowerCase();
                if (!direction.equals("asc") && !direction.equals("desc")) {
                    throw new VqlError("ERR_INVALID_VQL: order_by." + field.asText() + ": order_direction is asc or "
                            + "desc, not " + order.get("order_direction"));
                }
                sort.add(Map.of(exactField(column), Map.of("order", direction)));
                keySorted |= column.name().equals(dataset.key());
            }
        }
        if (!keySorted) {
            sort.add(Map.of(dataset.key(), Map.of("order", "asc")));
        }
        return sort;
    }

    private static int pageSize(JsonNode limit) {
        if (limit == null || limit.isNull()) {
            return DEFAULT_PAGE_SIZE;
        }
        if (!limit.isIntegralNumber() || limit.asInt() < 1) {
            throw new VqlError("ERR_INVALID_VQL: limit is the page size, a whole number from 1 to " + MAX_PAGE_SIZE);
        }
        return Math.min(limit.asInt(), MAX_PAGE_SIZE);
    }

    private static Column column(Dataset dataset, String name, String where) {
        return dataset.columnOrAlias(name).orElseThrow(() -> new VqlError("ERR_UNKNOWN_FIELD: " + where + " names '"
                + name + "', which is not a column of " + dataset.name()));
    }

    /** Exact matches, sorting and aggregations on a text column use its keyword sub-field. */
    public static String exactField(Column column) {
        return column.type() == ColumnType.TEXT ? column.name() + ".keyword" : column.name();
    }

    private static void requireObjectOf(JsonNode node, String where, Set<String> parts) {
        requireObject(node, where);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!parts.contains(name)) {
                throw new VqlError("ERR_INVALID_VQL: " + where + " has '" + name + "'; it takes " + String.join(", ",
                        parts.stream().sorted().toList()));
            }
        }
    }

    private static void requireObject(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new VqlError("ERR_INVALID_VQL: " + where + " must be an object");
        }
    }
}
