package dev.dromedary.vql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Dataset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A VQL {@code where} as a PostgreSQL condition, for what is computed where the rows are exact (aggregations): the
 * same matches as {@link Vql#where}'s Elasticsearch query. Column names come from the dataset, values are parameters.
 */
public final class VqlSql {

    private VqlSql() {
    }

    /** A condition with its parameters, in order; {@code TRUE} for no where. */
    public record Condition(String sql, List<Object> parameters) {
    }

    public static Condition where(JsonNode where, Dataset dataset) {
        Vql.where(where, dataset);
        List<String> parts = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (where != null && !where.isNull()) {
            JsonNode keywordMatch = where.path("keyword_match");
            terms(dataset, keywordMatch.get("must"), false, parts, parameters);
            terms(dataset, keywordMatch.get("must_not"), true, parts, parameters);
            JsonNode rangeQuery = where.path("range_query");
            ranges(dataset, rangeQuery.get("must"), false, parts, parameters);
            ranges(dataset, rangeQuery.get("must_not"), true, parts, parameters);
        }
        return new Condition(parts.isEmpty() ? "TRUE" : String.join(" AND ", parts), parameters);
    }

    private static void terms(Dataset dataset, JsonNode fields, boolean not, List<String> parts, List<Object> parameters) {
        for (Map.Entry<String, JsonNode> field : fields(fields)) {
            Column column = dataset.columnOrAlias(field.getKey()).orElseThrow();
            List<String> values = new ArrayList<>();
            field.getValue().forEach(value -> values.add(value.asText()));
            String test = switch (column.type()) {
                // a document with several values matches when one of them does
                case KEYWORDS -> column.name() + " && CAST(? AS text[])";
                case DATE -> column.name() + " = ANY(CAST(? AS timestamptz[]))";
                default -> "CAST(" + column.name() + " AS text) = ANY(CAST(? AS text[]))";
            };
            if (column.type() == ColumnType.DATE) {
                values.replaceAll(value -> date(value, field.getKey()).toString());
            }
            parts.add(not ? "NOT COALESCE(" + test + ", false)" : test);
            parameters.add(values.toArray(String[]::new));
        }
    }

    private static void ranges(Dataset dataset, JsonNode fields, boolean not, List<String> parts, List<Object> parameters) {
        for (Map.Entry<String, JsonNode> field : fields(fields)) {
            Column column = dataset.columnOrAlias(field.getKey()).orElseThrow();
            List<String> bounds = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = field.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> bound = it.next();
                String operator = switch (bound.getKey()) {
                    case "gte" -> ">=";
                    case "gt" -> ">";
                    case "lte" -> "<=";
                    default -> "<";
                };
                bounds.add(column.name() + " " + operator + " ?");
                parameters.add(column.type() == ColumnType.LONG ? (Object) bound.getValue().asLong()
                        : date(bound.getValue().asText(), field.getKey()));
            }
            String test = "(" + String.join(" AND ", bounds) + ")";
            parts.add(not ? "NOT COALESCE(" + test + ", false)" : test);
        }
    }

    private static Object date(String value, String field) {
        try {
            return ColumnType.DATE.parse(value);
        } catch (IllegalArgumentException e) {
            throw new VqlError("ERR_INVALID_VQL: " + field + ": a date compared in PostgreSQL is a date such as 2024-05-31 or "
                    + "2024-05-31T12:00:00Z, not '" + value + "' (date math such as now-7d is Elasticsearch's alone)");
        }
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode clause) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        if (clause != null && clause.isObject()) {
            clause.fields().forEachRemaining(fields::add);
        }
        return fields;
    }
}
