package dev.dromedary.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.SqlFile;
import dev.dromedary.vql.Vql;
import dev.dromedary.vql.VqlError;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The dataset_statistics job type's figures, computed by Elasticsearch aggregations over the rows a VQL
 * {@code where} selects, never reading the rows: per column the rows that hold a value and those that do not,
 * the distinct values (exact up to {@value #EXACT_DISTINCT} by paging a composite aggregation in value order,
 * else Elasticsearch's cardinality estimate), for numbers and dates min, max, mean, median and p90 (exact from
 * the same pages, else Elasticsearch's t-digest), for keywords the top 20 values, for text and keywords the
 * lengths of the values; and a data-quality score per column and for the dataset, each with its rule.
 */
public final class DatasetStatistics {

    public static final int EXACT_DISTINCT = 100_000;
    public static final int TOP_VALUES = 20;
    static final int MAX_COLUMNS = 200;
    private static final int PAGE = 10_000;
    private static final String DEAD_LETTERS_BY_COLUMN = SqlFile.load("sql/analysis/dead-letters-by-column.sql");
    private static final String DEAD_LETTERS_BY_RULE = SqlFile.load("sql/analysis/dead-letters-by-rule.sql");

    private final Datasets datasets;
    private final RestClient elasticsearch;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final String reportPrefix;

    public DatasetStatistics(Datasets datasets, RestClient elasticsearch, DataSource dataSource, ObjectMapper json,
                             String reportPrefix) {
        this.datasets = datasets;
        this.elasticsearch = elasticsearch;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.json = json;
        this.reportPrefix = reportPrefix.endsWith("/") ? reportPrefix : reportPrefix + "/";
    }

    /** The S3 key of a job's report: {S3_UPLOAD_FILE_PATH_PRIFIX}/reports/{uuid}.{json,html}. */
    public String reportKey(String jobUuid, String extension) {
        return reportPrefix + "reports/" + jobUuid + "." + extension;
    }

    /** The statistics of the job's dataset, as the body. */
    public ObjectNode compute(Exchange exchange) throws InvalidPayloadException, IOException {
        Map<?, ?> data = exchange.getMessage().getMandatoryBody(Map.class);
        Object service = data.get("service");
        if (service == null) {
            throw new VqlError("ERR_INVALID_JOB_DATA: job_data.service is required: the dataset to describe");
        }
        Dataset dataset;
        try {
            dataset = datasets.get(service.toString());
        } catch (IllegalArgumentException e) {
            throw new VqlError("job_data.service: " + e.getMessage());
        }
        JsonNode where = json.valueToTree(data.get("where"));
        Map<String, Object> query = Vql.where(where, dataset);
        List<Column> columns = columns(dataset, data.get("columns"));

        long rows = count(dataset, query);
        Map<String, Long> deadLetters = new HashMap<>();
        jdbc.query(DEAD_LETTERS_BY_COLUMN, new MapSqlParameterSource("dataset", dataset.name()),
                row -> {
                    deadLetters.merge(row.getString("column_name") == null ? "" : row.getString("column_name"),
                            row.getLong("dead_letters"), Long::sum);
                });
        JsonNode aggregations = aggregations(dataset, query, columns);

        ObjectNode result = json.createObjectNode();
        result.put("dataset", dataset.name());
        result.set("where", where == null || where.isNull() ? null : where);
        result.put("rows", rows);
        result.put("computed_at", Instant.now().toString());
        ArrayNode described = result.putArray("columns");
        double scores = 0;
        Long keyDistinct = null;
        boolean keyExact = false;
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            ObjectNode figures = describe(dataset, query, column, aggregations, "c" + i, rows,
                    deadLetters.getOrDefault(column.name(), 0L));
            described.add(figures);
            scores += figures.path("quality").path("score").asDouble();
            if (column.name().equals(dataset.key())) {
                keyDistinct = figures.path("distinct").asLong();
                keyExact = figures.path("distinct_exact").asBoolean();
            }
        }
        ObjectNode quality = result.putObject("quality");
        double uniqueness = rows == 0 ? 1 : keyDistinct == null ? 1 : (double) keyDistinct / rows;
        ObjectNode key = quality.putObject("key_uniqueness");
        key.put("score", round(uniqueness));
        key.put("rule", keyDistinct == null ? "the key " + dataset.key() + " is not among the columns described: taken as 1"
                : "distinct values of the key " + dataset.key() + (keyExact ? "" : " (estimated)") + " ÷ rows");
        double mean = columns.isEmpty() ? 1 : scores / columns.size();
        double rulesPassing = rulesPassing(dataset, rows, quality);
        quality.put("score", round(mean * uniqueness * rulesPassing));
        quality.put("rule", "the mean of the columns' scores × the key's uniqueness"
                + (dataset.rules().names().isEmpty() ? "" : " × the mean share of rows passing each of the dataset's rules"));
        return result;
    }

    /**
     * The share of rows that pass each of the dataset's rules: a row that broke one is a dead letter, so the rows
     * landed pass and the waiting dead letters of the rule do not. Their mean, 1 for a dataset without rules.
     */
    private double rulesPassing(Dataset dataset, long rows, ObjectNode quality) {
        List<String> names = dataset.rules().names();
        if (names.isEmpty()) {
            return 1;
        }
        Map<String, Long> failing = new HashMap<>();
        jdbc.query(DEAD_LETTERS_BY_RULE, new MapSqlParameterSource("dataset", dataset.name()),
                row -> {
                    failing.put(row.getString("rule"), row.getLong("dead_letters"));
                });
        ArrayNode rules = quality.putArray("rules");
        double sum = 0;
        for (String name : names) {
            long broke = failing.getOrDefault(name, 0L);
            double passing = rows + broke == 0 ? 1 : (double) rows / (rows + broke);
            sum += passing;
            rules.addObject().put("rule", name).put("dead_letters", broke).put("passing", round(passing));
        }
        return sum / names.size();
    }

    /** The job's response: the statistics, where the reports are, and a sentence. */
    public void finish(Exchange exchange) {
        ObjectNode statistics = exchange.getVariable("statistics", ObjectNode.class);
        String uuid = exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class);
        ObjectNode report = statistics.putObject("report");
        report.put("json", reportKey(uuid, "json"));
        report.put("html", reportKey(uuid, "html"));
        exchange.setVariable(JobExecution.RESPONSE, json.convertValue(statistics, Map.class));
        exchange.setVariable(JobExecution.MESSAGE, "Described " + statistics.path("columns").size() + " columns of "
                + statistics.path("rows").asLong() + " rows of " + statistics.path("dataset").asText()
                + "; data quality " + statistics.path("quality").path("score").asDouble());
    }

    private List<Column> columns(Dataset dataset, Object given) {
        if (given == null) {
            return dataset.columns();
        }
        if (!(given instanceof List<?> names) || names.isEmpty() || names.size() > MAX_COLUMNS) {
            throw new VqlError("ERR_INVALID_JOB_DATA: job_data.columns lists 1 to " + MAX_COLUMNS + " column names of "
                    + dataset.name());
        }
        List<Column> columns = new ArrayList<>();
        for (Object name : names) {
            columns.add(dataset.columnOrAlias(String.valueOf(name)).orElseThrow(() -> new VqlError("ERR_UNKNOWN_FIELD: "
                    + "job_data.columns names '" + name + "', which is not a column of " + dataset.name())));
        }
        return columns;
    }

    private long count(Dataset dataset, Map<String, Object> query) throws IOException {
        Request request = new Request("POST", "/" + dataset.index() + "/_count");
        request.setJsonEntity(json.writeValueAsString(Map.of("query", query)));
        return send(request).path("count").asLong();
    }

    /** One request: per column the rows holding it, its cardinality, and by type its stats, percentiles or top values. */
    private JsonNode aggregations(Dataset dataset, Map<String, Object> query, List<Column> columns) throws IOException {
        Map<String, Object> aggs = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            String field = Vql.exactField(column);
            String name = "c" + i;
            aggs.put(name + "_n", Map.of("filter", Map.of("exists", Map.of("field", column.name()))));
            aggs.put(name + "_card", Map.of("cardinality", Map.of("field", field, "precision_threshold", 40_000)));
            if (numeric(column)) {
                aggs.put(name + "_stats", Map.of("stats", Map.of("field", field)));
                aggs.put(name + "_pct", Map.of("percentiles", Map.of("field", field, "percents", List.of(50, 90))));
            } else {
                if (column.type() == ColumnType.KEYWORD || column.type() == ColumnType.KEYWORDS) {
                    aggs.put(name + "_top", Map.of("terms", Map.of("field", field, "size", TOP_VALUES,
                            "order", List.of(Map.of("_count", "desc"), Map.of("_key", "asc")))));
                }
            }
        }
        Request request = new Request("POST", "/" + dataset.index() + "/_search");
        request.setJsonEntity(json.writeValueAsString(Map.of("size", 0, "query", query, "aggs", aggs)));
        return send(request).path("aggregations");
    }

    private ObjectNode describe(Dataset dataset, Map<String, Object> query, Column column, JsonNode aggregations,
                                String name, long rows, long deadLetters) throws IOException {
        ObjectNode figures = json.createObjectNode();
        figures.put("name", column.name());
        figures.put("type", column.type().definitionName());
        long count = aggregations.path(name + "_n").path("doc_count").asLong();
        figures.put("count", count);
        figures.put("empty", rows - count);
        figures.put("empty_ratio", rows == 0 ? 0 : round((double) (rows - count) / rows));
        long estimate = aggregations.path(name + "_card").path("value").asLong();
        ValuePages pages = estimate <= EXACT_DISTINCT ? pages(dataset, query, column, count) : null;
        figures.put("distinct", pages != null ? pages.distinct : estimate);
        figures.put("distinct_exact", pages != null);
        if (numeric(column)) {
            JsonNode stats = aggregations.path(name + "_stats");
            if (count > 0) {
                put(figures, column, "min", stats.path("min").asDouble());
                put(figures, column, "max", stats.path("max").asDouble());
                put(figures, column, "mean", stats.path("avg").asDouble());
                if (pages != null) {
                    put(figures, column, "median", pages.percentile(0.5));
                    put(figures, column, "p90", pages.percentile(0.9));
                } else {
                    put(figures, column, "median", aggregations.path(name + "_pct").path("values").path("50.0").asDouble());
                    put(figures, column, "p90", aggregations.path(name + "_pct").path("values").path("90.0").asDouble());
                    figures.put("percentiles", "estimated (t-digest): more than " + EXACT_DISTINCT + " distinct values");
                }
            }
        } else {
            if (aggregations.has(name + "_top")) {
                ArrayNode top = figures.putArray("top_values");
                for (JsonNode bucket : aggregations.path(name + "_top").path("buckets")) {
                    top.addObject().put("value", bucket.path("key").asText()).put("count", bucket.path("doc_count").asLong());
                }
            }
            if (pages != null && pages.values > 0) {
                ObjectNode length = figures.putObject("length");
                length.put("min", pages.minLength);
                length.put("max", pages.maxLength);
                length.put("mean", round((double) pages.totalLength / pages.values));
                if (column.type() == ColumnType.TEXT) {
                    length.put("of", "values of at most 256 characters (the keyword sub-field)");
                }
            }
        }
        ObjectNode quality = figures.putObject("quality");
        double completeness = rows == 0 ? 1 : (double) count / rows;
        quality.putObject("completeness").put("score", round(completeness)).put("rule", "rows with a value ÷ rows");
        double validity = (double) (rows) / Math.max(1, rows + deadLetters);
        quality.putObject("validity").put("score", round(validity)).put("dead_letters", deadLetters)
                .put("rule", "rows ÷ (rows + the dataset's waiting dead letters refused for this column as not a valid "
                        + column.type().definitionName() + ")");
        quality.put("score", round(completeness * validity));
        quality.put("rule", "completeness × validity");
        return figures;
    }

    /**
     * The column's values in ascending order with their counts, page by page (composite aggregation): the exact
     * distinct count, the values at the ranks of a percentile, and the lengths of the values. Holds no page but the last.
     */
    private ValuePages pages(Dataset dataset, Map<String, Object> query, Column column, long count) throws IOException {
        ValuePages pages = new ValuePages(numeric(column), count);
        Object after = null;
        while (true) {
            Map<String, Object> composite = new LinkedHashMap<>();
            composite.put("size", PAGE);
            composite.put("sources", List.of(Map.of("v", Map.of("terms", Map.of("field", Vql.exactField(column))))));
            if (after != null) {
                composite.put("after", after);
            }
            Request request = new Request("POST", "/" + dataset.index() + "/_search");
            request.addParameter("filter_path", "aggregations.values.after_key,aggregations.values.buckets");
            request.setJsonEntity(json.writeValueAsString(Map.of("size", 0, "query", query,
                    "aggs", Map.of("values", Map.of("composite", composite)))));
            JsonNode values = send(request).path("aggregations").path("values");
            JsonNode buckets = values.path("buckets");
            for (JsonNode bucket : buckets) {
                pages.add(bucket.path("key").path("v"), bucket.path("doc_count").asLong());
            }
            if (buckets.size() < PAGE || !values.has("after_key")) {
                return pages;
            }
            after = json.convertValue(values.get("after_key"), Map.class);
        }
    }

    private static boolean numeric(Column column) {
        return column.type() == ColumnType.LONG || column.type() == ColumnType.DATE;
    }

    private static void put(ObjectNode figures, Column column, String name, double value) {
        if (column.type() == ColumnType.DATE) {
            figures.put(name, Instant.ofEpochMilli(Math.round(value)).toString());
        } else if (name.equals("mean") || value != Math.rint(value)) {
            figures.put(name, round(value));
        } else {
            figures.put(name, (long) value);
        }
    }

    static double round(double value) {
        return Math.round(value * 1_000_000d) / 1_000_000d;
    }

    private JsonNode send(Request request) throws IOException {
        try (InputStream body = elasticsearch.performRequest(request).getEntity().getContent()) {
            return json.readTree(body);
        }
    }

    /** What the pages of one column's values add up to, as they go by. */
    private static final class ValuePages {

        private final boolean numeric;
        private final long count;
        long distinct;
        long values;
        private long seen;
        private final Map<Long, Double> atRank = new HashMap<>();
        long minLength = Long.MAX_VALUE;
        long maxLength;
        long totalLength;

        ValuePages(boolean numeric, long count) {
            this.numeric = numeric;
            this.count = count;
        }

        void add(JsonNode value, long occurrences) {
            distinct++;
            values += occurrences;
            if (numeric) {
                // the values at the two ranks around each percentile's position, for percentile_cont
                for (double p : new double[] {0.5, 0.9}) {
                    double position = (count - 1) * p;
                    for (long rank : new long[] {(long) Math.floor(position), (long) Math.ceil(position)}) {
                        if (rank >= seen && rank < seen + occurrences) {
                            atRank.put(rank, value.asDouble());
                        }
                    }
                }
                seen += occurrences;
            } else {
                long length = value.asText().codePointCount(0, value.asText().length());
                minLength = Math.min(minLength, length);
                maxLength = Math.max(maxLength, length);
                totalLength += length * occurrences;
            }
        }

        /** As PostgreSQL's percentile_cont: between the values at the ranks around (count − 1) × p. */
        double percentile(double p) {
            double position = (count - 1) * p;
            long low = (long) Math.floor(position);
            long high = (long) Math.ceil(position);
            double lowValue = atRank.getOrDefault(low, Double.NaN);
            double highValue = atRank.getOrDefault(high, Double.NaN);
            return lowValue + (highValue - lowValue) * (position - low);
        }
    }
}
