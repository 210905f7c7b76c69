package dev.dromedary.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.exports.S3MultipartUpload;
import dev.dromedary.jobs.JobExecution;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code aggregate_dataset} job type's work: one {@code GROUP BY} in PostgreSQL (exact, and where the rows are),
 * its groups streamed through a cursor into a CSV in S3 (the export's multipart writer), a result table swapped in
 * whole, and the first {@value #INLINE_GROUPS} groups in the job's answer. Java rather than camel-sql: the statement
 * is made from the dataset's names, and its rows go to three outputs as they come.
 */
public final class DatasetAggregation {

    public static final String PLAN = "aggregationPlan";
    static final int INLINE_GROUPS = 1000;
    private static final int FETCH = 1000;
    private static final int TABLE_CHUNK = 10_000;

    private final Datasets datasets;
    private final DataSource dataSource;
    private final S3Client s3;
    private final String bucket;
    private final String tablePrefix;
    private final ObjectMapper json = new ObjectMapper();

    public DatasetAggregation(Datasets datasets, DataSource dataSource, S3Client s3, String bucket, String tablePrefix) {
        this.datasets = datasets;
        this.dataSource = dataSource;
        this.s3 = s3;
        this.bucket = bucket;
        if (!tablePrefix.matches("[a-z][a-z0-9_]{0,19}")) {
            throw new IllegalArgumentException("the setting AGGREGATE_TABLE_PREFIX is 1 to 20 lower-case letters, digits and _, "
                    + "starting with a letter");
        }
        this.tablePrefix = tablePrefix;
    }

    /** The plan of a job's data: what the API checks at create, and the route at run. */
    public AggregationPlan plan(JsonNode jobData) {
        return AggregationPlan.of(jobData, datasets, tablePrefix);
    }

    /** Computes the job's groups and writes them wherever it asked; the answer holds the first of them. */
    public void run(Exchange exchange) throws SQLException, IOException {
        AggregationPlan plan = plan(json.valueToTree(exchange.getMessage().getBody(Map.class)));
        String jobUuid = exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class);
        String stage = plan.table() == null ? null : stageName(plan.table(), jobUuid);
        S3MultipartUpload upload = plan.s3Key() == null ? null : new S3MultipartUpload(s3, bucket, plan.s3Key());
        List<Map<String, Object>> inline = new ArrayList<>();
        long groups = 0;
        boolean done = false;
        try (Connection connection = dataSource.getConnection(); Connection tables = stage == null ? null : dataSource.getConnection()) {
            if (stage != null) {
                try (Statement create = tables.createStatement()) {
                    create.execute("DROP TABLE IF EXISTS " + stage);
                    create.execute(createTable(plan, stage));
                }
            }
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement query = connection.prepareStatement(plan.sql())) {
                query.setFetchSize(FETCH);
                bind(connection, query, plan);
                StringBuilder tableRows = new StringBuilder();
                int chunk = 0;
                if (upload != null) {
                    upload.write(csvLine(plan.header()).getBytes(StandardCharsets.UTF_8));
                }
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        List<String> values = new ArrayList<>(plan.header().size());
                        Map<String, Object> group = new LinkedHashMap<>();
                        for (int i = 0; i < plan.header().size(); i++) {
                            Object value = rows.getObject(i + 1);
                            String text = text(value);
                            values.add(text);
                            group.put(plan.header().get(i), value instanceof Number number ? number(number) : text);
                        }
                        String line = csvLine(values);
                        if (upload != null) {
                            upload.write(line.getBytes(StandardCharsets.UTF_8));
                            upload.sendFullParts();
                        }
                        if (stage != null) {
                            tableRows.append(line);
                            if (++chunk == TABLE_CHUNK) {
                                copy(tables, stage, plan, tableRows);
                                tableRows.setLength(0);
                                chunk = 0;
                            }
                        }
                        if (inline.size() < INLINE_GROUPS) {
                            inline.add(group);
                        }
                        groups++;
                    }
                }
                if (stage != null && chunk > 0) {
                    copy(tables, stage, plan, tableRows);
                }
            } finally {
                connection.rollback();
            }
            if (upload != null) {
                upload.complete();
            }
            if (stage != null) {
                swap(tables, stage, plan.table());
            }
            done = true;
        } finally {
            if (!done) {
                if (upload != null) {
                    upload.abort();
                }
                dropQuietly(stage);
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("dataset", plan.dataset().name());
        response.put("group_by", plan.groupBy().stream().map(column -> column.name()).toList());
        response.put("columns", plan.header());
        response.put("group_count", groups);
        response.put("groups", inline);
        if (plan.s3Key() != null) {
            response.put("s3_bucket", bucket);
            response.put("s3_key", plan.s3Key());
        }
        if (plan.table() != null) {
            response.put("table", plan.table());
        }
        exchange.setVariable(JobExecution.RESPONSE, response);
        exchange.setVariable(JobExecution.MESSAGE, "Aggregated " + plan.dataset().name() + " into " + groups + " groups by "
                + String.join(", ", plan.groupBy().stream().map(column -> column.name()).toList())
                + (plan.s3Key() != null ? "; CSV at s3://" + bucket + "/" + plan.s3Key() : "")
                + (plan.table() != null ? "; table " + plan.table() : ""));
    }

    private static void bind(Connection connection, PreparedStatement query, AggregationPlan plan) throws SQLException {
        int index = 1;
        for (Object parameter : plan.filter().parameters()) {
            if (parameter instanceof String[] values) {
                query.setArray(index++, connection.createArrayOf("text", values));
            } else {
                query.setObject(index++, parameter);
            }
        }
        for (AggregationPlan.Having having : plan.having()) {
            query.setBigDecimal(index++, having.value());
        }
    }

    /** The result table's columns: the group columns as the dataset's table has them, the figures as they come. */
    private static String createTable(AggregationPlan plan, String stage) {
        List<String> columns = new ArrayList<>();
        plan.groupBy().forEach(column -> columns.add(column.name() + " " + switch (column.type()) {
            case UUID_VALUE -> "uuid";
            case LONG -> "bigint";
            case DATE -> "timestamptz";
            default -> "text";
        }));
        plan.metrics().forEach(metric -> columns.add(metric.name() + " " + metric.tableType()));
        return "CREATE TABLE " + stage + " (" + String.join(", ", columns) + ")";
    }

    private static void copy(Connection tables, String stage, AggregationPlan plan, CharSequence rows) throws SQLException, IOException {
        tables.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + stage + " (" + String.join(", ", plan.header())
                + ") FROM STDIN (FORMAT csv)", new StringReader(rows.toString()));
    }

    /** Readers see the old table or the new one whole: the new one takes the old one's name in one transaction. */
    private static void swap(Connection tables, String stage, String table) throws SQLException {
        tables.setAutoCommit(false);
        try (Statement swap = tables.createStatement()) {
            swap.execute("DROP TABLE IF EXISTS " + table);
            swap.execute("ALTER TABLE " + stage + " RENAME TO " + table);
            tables.commit();
        } catch (SQLException e) {
            tables.rollback();
            throw e;
        }
    }

    private void dropQuietly(String stage) {
        if (stage == null) {
            return;
        }
        try (Connection connection = dataSource.getConnection(); Statement drop = connection.createStatement()) {
            drop.execute("DROP TABLE IF EXISTS " + stage);
        } catch (SQLException e) {
            // the next run of the job drops it before it begins
        }
    }

    /** The table's name while it fills: the table's, and the job's, so that two jobs never share one. */
    private static String stageName(String table, String jobUuid) {
        return table + "_" + jobUuid.replace("-", "").substring(0, 12);
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.sql.Timestamp time) {
            return time.toInstant().toString();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof BigDecimal number) {
            return number.stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static Object number(Number number) {
        if (number instanceof BigDecimal decimal) {
            BigDecimal plain = decimal.stripTrailingZeros();
            return plain.scale() <= 0 ? (Object) plain.longValueExact() : (Object) plain.doubleValue();
        }
        return number;
    }

    private static String csvLine(List<String> values) throws IOException {
        StringBuilder line = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(line, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            printer.printRecord(values);
        }
        return line.toString();
    }
}
