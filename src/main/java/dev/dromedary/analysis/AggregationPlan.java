package dev.dromedary.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.vql.VqlError;
import dev.dromedary.vql.VqlSql;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code aggregate_dataset} job's question, checked against its dataset: the group columns, the figures of each
 * group ({@code count}, {@code <column>_sum}, …), which rows ({@code filter}, VQL), which groups ({@code having}),
 * their order and how many; and where the answer goes (an S3 key, a result table). {@link #sql} is the one
 * {@code GROUP BY} statement that computes it, every name in it the dataset's.
 */
public record AggregationPlan(Dataset dataset, List<Column> groupBy, List<Metric> metrics, VqlSql.Condition filter,
                              List<Having> having, List<String> order, Long limit, String s3Key, String table) {

    public static final int MAX_GROUP_COLUMNS = 8;
    public static final int MAX_LIMIT = 10_000_000;
    private static final Set<String> FIELDS = Set.of("service", "group_by", "aggregations", "filter", "having", "order", "limit",
            "s3_key", "table", "notify_url");
    private static final List<String> FUNCTIONS = List.of("count", "count_distinct", "sum", "avg", "min", "max");
    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern CONDITION = Pattern.compile("\\s*([a-z][a-z0-9_]*)\\s*(>=|<=|!=|=|>|<)\\s*(-?\\d{1,18}(\\.\\d{1,6})?)\\s*");

    /** A figure of each group: its name in the answer, the SQL that computes it, and the type of its table column. */
    public record Metric(String name, String sql, String tableType) {
    }

    /** A condition on a figure: {@code count >= 10}. */
    public record Having(Metric metric, String operator, java.math.BigDecimal value) {
    }

    /** The plan of {@code job_data}; {@link AggregationRefused} with an ERR_ code names what is wrong. */
    public static AggregationPlan of(JsonNode data, Datasets datasets, String tablePrefix) {
        for (Iterator<String> names = data.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw refused("ERR_UNKNOWN_FIELD", "job_data." + clip(name) + " is not a field of aggregate_dataset; its fields are "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        String service = data.path("service").asText("contact");
        if (!datasets.has(service)) {
            throw refused("ERR_INVALID_AGGREGATION", "job_data.service names the dataset to aggregate; the datasets are "
                    + String.join(", ", datasets.names()));
        }
        Dataset dataset = datasets.get(service);

        JsonNode groupNode = data.get("group_by");
        if (groupNode == null || !groupNode.isArray() || groupNode.isEmpty() || groupNode.size() > MAX_GROUP_COLUMNS) {
            throw refused("ERR_INVALID_AGGREGATION", "job_data.group_by lists 1 to " + MAX_GROUP_COLUMNS + " columns of " + service);
        }
        List<Column> groupBy = new ArrayList<>();
        for (JsonNode name : groupNode) {
            Column column = column(dataset, name, "group_by");
            if (column.type() == ColumnType.KEYWORDS) {
                throw refused("ERR_INVALID_AGGREGATION", "job_data.group_by: " + column.name() + " holds several values a row; "
                        + "group by columns of one value");
            }
            if (groupBy.contains(column)) {
                throw refused("ERR_INVALID_AGGREGATION", "job_data.group_by names " + column.name() + " twice");
            }
            groupBy.add(column);
        }

        Map<String, Metric> metrics = new LinkedHashMap<>();
        JsonNode aggregations = data.get("aggregations");
        if (aggregations == null || aggregations.isNull()) {
            metrics.put("count", new Metric("count", "count(*)", "bigint"));
        } else {
            if (!aggregations.isObject() || aggregations.isEmpty() || aggregations.size() > 50) {
                throw refused("ERR_INVALID_AGGREGATION", "job_data.aggregations maps \"*\" or a column to its functions, e.g. "
                        + "{\"*\": [\"count\"], \"employees_count\": [\"sum\", \"avg\"]}");
            }
            // the figures' order is count, then the dataset's column order: a job's stored data keeps no key order
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            aggregations.fields().forEachRemaining(entries::add);
            List<String> columnOrder = dataset.columns().stream().map(Column::name).toList();
            entries.sort(java.util.Comparator.comparingInt(entry -> entry.getKey().equals("*") ? -1
                    : columnOrder.indexOf(dataset.columnOrAlias(entry.getKey()).map(Column::name).orElse(entry.getKey()))));
            for (Map.Entry<String, JsonNode> entry : entries) {
                JsonNode functions = entry.getValue();
                if (!functions.isArray() || functions.isEmpty() || functions.size() > FUNCTIONS.size()) {
                    throw refused("ERR_INVALID_AGGREGATION", "job_data.aggregations." + clip(entry.getKey()) + " lists functions of "
                            + String.join(", ", FUNCTIONS));
                }
                Column column = entry.getKey().equals("*") ? null : column(dataset, new com.fasterxml.jackson.databind.node.TextNode(
                        entry.getKey()), "aggregations");
                for (JsonNode function : functions) {
                    Metric metric = metric(column, function.asText(), entry.getKey());
                    metrics.put(metric.name(), metric);
                }
            }
        }

        VqlSql.Condition filter;
        try {
            filter = VqlSql.where(data.get("filter"), dataset);
        } catch (VqlError e) {
            throw new AggregationRefused(e.getMessage().replaceFirst("^(ERR_[A-Z_]+): ", "$1: job_data.filter: "));
        }

        List<Having> having = new ArrayList<>();
        JsonNode havingNode = data.get("having");
        if (havingNode != null && !havingNode.isNull()) {
            if (!havingNode.isTextual() || havingNode.asText().length() > 500) {
                throw refused("ERR_INVALID_AGGREGATION", "job_data.having is a condition on a figure such as \"count >= 10\"");
            }
            for (String part : havingNode.asText().split("(?i)\\s+and\\s+")) {
                Matcher condition = CONDITION.matcher(part);
                if (!condition.matches() || !metrics.containsKey(condition.group(1))) {
                    throw refused("ERR_INVALID_AGGREGATION", "job_data.having: '" + clip(part) + "' is not a figure, an operator "
                            + "(>=, >, <=, <, =, !=) and a number; the figures are " + String.join(", ", metrics.keySet()));
                }
                having.add(new Having(metrics.get(condition.group(1)), condition.group(2), new java.math.BigDecimal(condition.group(3))));
            }
        }

        List<String> order = new ArrayList<>();
        JsonNode orderNode = data.get("order");
        List<String> orderable = new ArrayList<>(groupBy.stream().map(Column::name).toList());
        orderable.addAll(metrics.keySet());
        if (orderNode != null && !orderNode.isNull()) {
            List<String> items = new ArrayList<>();
            if (orderNode.isTextual()) {
                items.addAll(List.of(orderNode.asText().split(",")));
            } else if (orderNode.isArray() && orderNode.size() <= orderable.size()) {
                orderNode.forEach(item -> items.add(item.asText()));
            } else {
                throw refused("ERR_INVALID_AGGREGATION", "job_data.order is \"count desc\" or a list such as [\"country\", \"count desc\"]");
            }
            for (String item : items) {
                String[] words = item.strip().split("\\s+");
                String direction = words.length > 1 ? words[1].toLowerCase(Locale.ROOT) : "asc";
                if (words.length > 2 || !orderable.contains(words[0]) || !(direction.equals("asc") || direction.equals("desc"))) {
                    throw refused("ERR_INVALID_AGGREGATION", "job_data.order: '" + clip(item) + "' is a group column or a figure, "
                            + "then asc or desc; they are " + String.join(", ", orderable));
                }
                order.add(words[0] + " " + direction.toUpperCase(Locale.ROOT));
            }
        }
        for (Column column : groupBy) {
            if (order.stream().noneMatch(item -> item.startsWith(column.name() + " "))) {
                order.add(column.name() + " ASC");
            }
        }

        Long limit = null;
        JsonNode limitNode = data.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.isIntegralNumber() || limitNode.asLong() < 1 || limitNode.asLong() > MAX_LIMIT) {
                throw refused("ERR_INVALID_AGGREGATION", "job_data.limit is how many groups to keep, 1 to " + MAX_LIMIT);
            }
            limit = limitNode.asLong();
        }

        String s3Key = null;
        JsonNode keyNode = data.get("s3_key");
        if (keyNode != null && !keyNode.isNull()) {
            if (!keyNode.isTextual() || keyNode.asText().isBlank() || keyNode.asText().length() > 1024 || keyNode.asText().startsWith("/")) {
                throw refused("ERR_INVALID_AGGREGATION", "job_data.s3_key is the key of the CSV to write, 1 to 1024 characters");
            }
            s3Key = keyNode.asText();
        }
        String table = null;
        JsonNode tableNode = data.get("table");
        if (tableNode != null && !tableNode.isNull()) {
            if (!tableNode.isTextual() || !TABLE.matcher(tableNode.asText()).matches()) {
                throw refused("ERR_INVALID_TABLE_NAME", "job_data.table is 1 to 40 lower-case letters, digits and _ (starting with a "
                        + "letter); the result table is named " + tablePrefix + "<table>");
            }
            table = tablePrefix + tableNode.asText();
            if (datasets.all().stream().anyMatch(each -> each.table().equals(tableNode.asText()) || each.table().equals(
                    tablePrefix + tableNode.asText()))) {
                throw refused("ERR_INVALID_TABLE_NAME", "job_data.table names a dataset's own table");
            }
        }
        return new AggregationPlan(dataset, List.copyOf(groupBy), List.copyOf(metrics.values()), filter, List.copyOf(having),
                List.copyOf(order), limit, s3Key, table);
    }

    /** The statement: its parameters are the filter's, then the having values. */
    public String sql() {
        List<String> select = new ArrayList<>(groupBy.stream().map(Column::name).toList());
        metrics.forEach(metric -> select.add(metric.sql() + " AS " + metric.name()));
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select))
                .append(" FROM ").append(dataset.table())
                .append(" WHERE ").append(filter.sql())
                .append(" GROUP BY ").append(String.join(", ", groupBy.stream().map(Column::name).toList()));
        if (!having.isEmpty()) {
            sql.append(" HAVING ").append(String.join(" AND ", having.stream()
                    .map(condition -> condition.metric().sql() + " " + condition.operator() + " ?").toList()));
        }
        sql.append(" ORDER BY ").append(String.join(", ", order));
        if (limit != null) {
            sql.append(" LIMIT ").append(limit);
        }
        return sql.toString();
    }

    /** The answer's columns: the group columns, then the figures. */
    public List<String> header() {
        List<String> header = new ArrayList<>(groupBy.stream().map(Column::name).toList());
        metrics.forEach(metric -> header.add(metric.name()));
        return header;
    }

    private static Metric metric(Column column, String function, String key) {
        if (!FUNCTIONS.contains(function)) {
            throw refused("ERR_INVALID_AGGREGATION", "job_data.aggregations." + clip(key) + ": '" + clip(function)
                    + "' is not a function; the functions are " + String.join(", ", FUNCTIONS));
        }
        if (column == null) {
            if (!function.equals("count")) {
                throw refused("ERR_INVALID_AGGREGATION", "job_data.aggregations.\"*\" takes count alone: the rows of each group");
            }
            return new Metric("count", "count(*)", "bigint");
        }
        String name = column.name() + "_" + function;
        ColumnType type = column.type();
        return switch (function) {
            case "count" -> new Metric(name, "count(" + column.name() + ")", "bigint");
            case "count_distinct" -> new Metric(name, "count(DISTINCT " + column.name() + ")", "bigint");
            case "sum", "avg" -> {
                if (type != ColumnType.LONG) {
                    throw refused("ERR_INVALID_AGGREGATION", "job_data.aggregations." + column.name() + ": " + function
                            + " takes a long column, and " + column.name() + " is " + type.definitionName());
                }
                yield function.equals("sum") ? new Metric(name, "sum(" + column.name() + ")", "numeric")
                        : new Metric(name, "round(avg(" + column.name() + "), 6)", "numeric");
            }
            default -> {
                if (type != ColumnType.LONG && type != ColumnType.DATE) {
                    throw refused("ERR_INVALID_AGGREGATION", "job_data.aggregations." + column.name() + ": " + function
                            + " takes a long or date column, and " + column.name() + " is " + type.definitionName());
                }
                yield new Metric(name, function + "(" + column.name() + ")", type == ColumnType.LONG ? "bigint" : "timestamptz");
            }
        };
    }

    private static Column column(Dataset dataset, JsonNode name, String where) {
        if (!name.isTextual()) {
            throw refused("ERR_INVALID_AGGREGATION", "job_data." + where + " names columns");
        }
        return dataset.columnOrAlias(name.asText()).orElseThrow(() -> refused("ERR_UNKNOWN_FIELD", "job_data." + where + " names '"
                + clip(name.asText()) + "', which is not a column of " + dataset.name()));
    }

    private static AggregationRefused refused(String code, String message) {
        return new AggregationRefused(code + ": " + message);
    }

    private static String clip(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    /** An aggregation that cannot run as asked: a 400 at create, a failure at once at run. */
    public static final class AggregationRefused extends IllegalArgumentException {
        public AggregationRefused(String message) {
            super(message);
        }
    }
}
