package dev.dromedary.imports;

import dev.dromedary.datasets.Datasets;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.SqlFile;
import dev.dromedary.processing.RuleBroken;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import dev.dromedary.sinks.FacetValues;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The steps of the reprocess_dead_letters job type: dead letters read again through their dataset, in
 * batches for the import's sinks, and marked reprocessed once they have landed (never deleted). A row
 * that still does not fit keeps waiting, with its new reason.
 */
public final class DeadLetterReprocessing {

    private static final String SELECT = SqlFile.load("sql/dead-letters/select-for-reprocessing.sql");
    private static final String MARK_REPROCESSED = SqlFile.load("sql/dead-letters/mark-reprocessed.sql");
    private static final String STILL_FAILING = SqlFile.load("sql/dead-letters/still-failing.sql");
    private static final String COUNTS = "reprocessingCounts";
    private static final int DEFAULT_LIMIT = 1000;

    private final Datasets datasets;
    private final NamedParameterJdbcTemplate jdbc;
    private final String defaultBucket;
    private final int batchSize;

    public DeadLetterReprocessing(Datasets datasets, DataSource dataSource, String defaultBucket, int batchSize) {
        this.datasets = datasets;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.defaultBucket = defaultBucket;
        this.batchSize = batchSize;
    }

    /** The waiting dead letters of {@code job_data.job_uuid} (or all), at most {@code job_data.limit}, as batches. */
    public List<RowBatch> batches(Exchange exchange) {
        Map<?, ?> data = exchange.getMessage().getBody(Map.class);
        Object job = data.get("job_uuid");
        Object limit = data.get("limit");
        List<Map<String, Object>> letters = jdbc.queryForList(SELECT, new MapSqlParameterSource()
                .addValue("job", job == null ? null : job.toString())
                .addValue("limit", limit instanceof Number number ? number.intValue() : DEFAULT_LIMIT));
        FacetValues.startJob(exchange);
        exchange.setProperty(COUNTS, new long[2]);

        List<RowBatch> batches = new ArrayList<>();
        List<SourceRow> rows = new ArrayList<>();
        Map<String, Object> first = null;
        for (Map<String, Object> letter : letters) {
            if (first != null && (!sameSource(first, letter) || rows.size() == batchSize)) {
                batches.add(batch(first, rows, batches.size() + 1));
                rows = new ArrayList<>();
            }
            if (rows.isEmpty()) {
                first = letter;
            }
            rows.add(new SourceRow(((Number) letter.get("row_number")).longValue(), parse((String) letter.get("payload"))));
        }
        if (!rows.isEmpty()) {
            batches.add(batch(first, rows, batches.size() + 1));
        }
        return batches;
    }

    /** After the sinks took a batch: its valid rows are reprocessed; the others wait with their new reason. */
    public void markReprocessed(Exchange exchange) {
        RowBatch batch = exchange.getMessage().getBody(RowBatch.class);
        long[] counts = exchange.getProperty(COUNTS, long[].class);
        Set<Long> rejected = batch.rejected().stream().map(RowBatch.Rejected::rowNumber).collect(Collectors.toSet());
        jdbc.batchUpdate(STILL_FAILING, batch.rejected().stream()
                .map(row -> new MapSqlParameterSource().addValue("job", batch.jobUuid())
                        .addValue("rowNumber", row.rowNumber()).addValue("error", row.error())
                        .addValue("rule", RuleBroken.ruleOf(row.error())))
                .toArray(MapSqlParameterSource[]::new));
        List<Long> landed = batch.source().stream().map(SourceRow::number).filter(number -> !rejected.contains(number)).toList();
        if (!landed.isEmpty()) {
            jdbc.update(MARK_REPROCESSED, new MapSqlParameterSource()
                    .addValue("job", batch.jobUuid()).addValue("rowNumbers", landed));
        }
        counts[0] += landed.size();
        counts[1] += rejected.size();
    }

    public void finish(Exchange exchange) {
        long[] counts = exchange.getProperty(COUNTS, long[].class);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("reprocessed", counts[0]);
        response.put("still_failing", counts[1]);
        exchange.setVariable(JobExecution.RESPONSE, response);
        exchange.setVariable(JobExecution.MESSAGE, "Reprocessed " + counts[0] + " dead letters; " + counts[1]
                + " still do not fit and wait with their reasons");
    }

    private RowBatch batch(Map<String, Object> letter, List<SourceRow> rows, int number) {
        String bucket = Objects.requireNonNullElse((String) letter.get("s3_bucket"), defaultBucket);
        HeaderMapping mapping = HeaderMapping.of(datasets.get((String) letter.get("dataset")),
                parse((String) letter.get("header")), bucket, (String) letter.get("s3_key"));
        return mapping.batch((String) letter.get("job_uuid"), number, rows);
    }

    private static boolean sameSource(Map<String, Object> a, Map<String, Object> b) {
        return a.get("job_uuid").equals(b.get("job_uuid")) && a.get("dataset").equals(b.get("dataset"))
                && a.get("header").equals(b.get("header"));
    }

    private static List<String> parse(String csvLine) {
        try {
            return CSVFormat.DEFAULT.parse(new StringReader(csvLine)).getRecords().get(0).toList();
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("a dead letter holds a row that is not CSV: " + csvLine, e);
        }
    }
}
