package dev.dromedary.exports;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.jobs.AllowedBuckets;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.StepFailure;
import dev.dromedary.vql.ExportPlan;
import dev.dromedary.vql.Vql;
import dev.dromedary.vql.VqlError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The steps of the export_csv_file route that no component does: planning the query, paging through a
 * point in time with {@code search_after}, turning hits into CSV rows, and the S3 multipart upload
 * (the aws2-s3 streaming upload names its objects itself; the export must land at its own key).
 */
public final class CsvExport {

    public static final String RUN = "exportRun";
    private static final String POINT_IN_TIME_KEEP_ALIVE = "5m";
    /** What an export reads of a search's answer: each hit's source and sort values. */
    public static final String HITS_ONLY = "hits.hits._source,hits.hits.sort";
    /** The job's progress is written at most this often (and after the last page). */
    private static final long PROGRESS_INTERVAL_NANOS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(CsvExport.class);
    /** A page's answer is read in fixed chunks, up to 100 MB (the client's own limit). */
    public static final RequestOptions ANSWER_IN_CHUNKS = RequestOptions.DEFAULT.toBuilder()
            .setHttpAsyncResponseConsumerFactory(ChunkedResponseConsumer.upTo(100L << 20)).build();

    private final Datasets datasets;
    private final ElasticsearchClient elasticsearch;
    private final RestClient elasticsearchRest;
    private final JobStore jobs;
    private final S3Client s3;
    private final String defaultBucket;
    private final AllowedBuckets buckets;
    private final boolean escapeFormulas;
    private final String prefix;
    private final int maxRedeliveries;
    private final ObjectMapper json = new ObjectMapper();

    public CsvExport(Datasets datasets, ElasticsearchClient elasticsearch, RestClient elasticsearchRest, JobStore jobs,
                     S3Client s3, String defaultBucket, AllowedBuckets buckets, String prefix, int maxRedeliveries,
                     boolean escapeFormulas) {
        this.datasets = datasets;
        this.elasticsearch = elasticsearch;
        this.elasticsearchRest = elasticsearchRest;
        this.jobs = jobs;
        this.s3 = s3;
        this.defaultBucket = defaultBucket;
        this.buckets = buckets;
        this.escapeFormulas = escapeFormulas;
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.maxRedeliveries = maxRedeliveries;
    }

    /** Plans the query, opens a point in time on the index and starts the upload, with the header row first. */
    public void begin(Exchange exchange) throws IOException {
        JsonNode data = json.valueToTree(exchange.getMessage().getBody(Map.class));
        String datasetName = data.path("service").asText("contact");
        ExportPlan plan;
        try {
            plan = Vql.plan(data.get("vql"), datasets.get(datasetName));
        } catch (dev.dromedary.datasets.UnknownDataset e) {
            throw new VqlError("job_data.service: " + e.getMessage());
        }
        String bucket = data.path("s3_bucket").asText(defaultBucket);
        if (!buckets.allows(bucket)) {
            throw new VqlError("ERR_BUCKET_NOT_ALLOWED: " + buckets.refusal(bucket));
        }
        String key = prefix + "/" + exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class) + ".csv";
        String pointInTime = elasticsearch.openPointInTime(open -> open.index(plan.dataset().index())
                .keepAlive(alive -> alive.time(POINT_IN_TIME_KEEP_ALIVE))).id();
        ExportRun run = new ExportRun(UUID.fromString(exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class)),
                plan, bucket, key, pointInTime, searchBody(plan, pointInTime));
        run.attempt = exchange.getMessage().getHeader(JobExecution.JOB_ATTEMPT, 1, Integer.class);
        exchange.setProperty(RUN, run);
        try {
            run.upload = new S3MultipartUpload(s3, bucket, key);
        } catch (RuntimeException e) {
            closePointInTime(run);
            throw e;
        }
        run.upload.write(headerRow(plan));
    }

    private static ByteArrayOutputStream headerRow(ExportPlan plan) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(header, StandardCharsets.UTF_8), CSVFormat.DEFAULT)) {
            printer.printRecord(plan.headers());
        }
        return header;
    }

    /**
     * The next page of hits as CSV bytes of the selected columns: the plan's query and sort, in the point in time,
     * after the last hit of the page before. The search for the page after it is sent before this page is written,
     * so that Elasticsearch finds it meanwhile. Printed here rather than by camel-csv, whose marshaller looks for a
     * type converter for every record, which took three quarters of an export's time.
     */
    public ByteArrayOutputStream nextPage(Exchange exchange) throws IOException {
        ExportRun run = run(exchange);
        CompletableFuture<Page> next = run.nextPage;
        run.nextPage = null;
        Page page;
        try {
            page = (next == null ? search(run, run.searchAfter) : next).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while searching", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        run.rowsInPage = page.rows().size();
        run.more = page.rows().size() == run.plan.pageSize();
        if (!page.rows().isEmpty()) {
            run.searchAfter = page.lastSort();
        }
        if (run.more) {
            run.nextPage = search(run, run.searchAfter);
        }
        // sized as the page before, so that a page rarely grows (each growth is a copy)
        ByteArrayOutputStream csv = new ByteArrayOutputStream(run.lastPageBytes + run.lastPageBytes / 16 + 1024);
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(csv, StandardCharsets.UTF_8), CSVFormat.DEFAULT)) {
            for (String[] row : page.rows()) {
                printer.printRecord((Object[]) row);
            }
        }
        run.lastPageBytes = csv.size();
        run.pages++;
        return csv;
    }

    /**
     * A page's answer read as it streams: each hit's source fields into the cells of the columns that select them,
     * the last hit's sort values kept. Read here rather than as a tree of the answer: the trees, their texts and the
     * CSV text made from them were most of the bytes an export allocated, and the collector's work on them took
     * more CPU than the export itself (docs/performance.md).
     */
    private Page read(ExportRun run, InputStream answer) throws IOException {
        List<Column> columns = run.plan.columns();
        List<String[]> rows = new ArrayList<>(run.plan.pageSize());
        JsonNode lastSort = null;
        try (JsonParser parser = json.createParser(answer)) {
            if (enter(parser, JsonToken.START_OBJECT) && field(parser, "hits") && enter(parser, JsonToken.START_OBJECT)
                    && field(parser, "hits") && enter(parser, JsonToken.START_ARRAY)) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    String[] cells = new String[columns.size()];
                    Arrays.fill(cells, "");
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        if (name.equals("_source") && parser.currentToken() == JsonToken.START_OBJECT) {
                            readSource(parser, run.cellsOfField, cells);
                        } else if (name.equals("sort")) {
                            lastSort = parser.readValueAsTree();
                        } else {
                            parser.skipChildren();
                        }
                    }
                    for (int i = 0; i < cells.length; i++) {
                        cells[i] = escapeFormula(columns.get(i), cells[i]);
                    }
                    rows.add(cells);
                }
            }
        }
        return new Page(rows, lastSort);
    }

    /** Moves to the next token, which must be {@code token}; false when the answer ended (no hits: "{}"). */
    private static boolean enter(JsonParser parser, JsonToken token) throws IOException {
        JsonToken next = parser.nextToken();
        if (next == token) {
            return true;
        }
        if (next == null || next == JsonToken.END_OBJECT) {
            return false;
        }
        throw new IOException("Elasticsearch answered a search with " + next + " where " + token + " was expected");
    }

    /** Moves into the value of the field {@code name} of the object the parser is in, past the ones before it. */
    private static boolean field(JsonParser parser, String name) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (parser.currentName().equals(name)) {
                return true;
            }
            parser.nextToken();
            parser.skipChildren();
        }
        return false;
    }

    /** A hit's source: each field's text into the cells of the columns that select it, several values joined by ;. */
    private static void readSource(JsonParser parser, Map<String, int[]> cellsOfField, String[] cells) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            int[] at = cellsOfField.get(parser.currentName());
            String text;
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                StringBuilder values = new StringBuilder();
                boolean first = true;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (!first) {
                        values.append(';');
                    }
                    first = false;
                    values.append(parser.currentToken() == JsonToken.VALUE_NULL ? "null" : text(parser));
                }
                text = values.toString();
            } else {
                text = text(parser);
            }
            if (at != null) {
                for (int i : at) {
                    cells[i] = text;
                }
            }
        }
    }

    /** A value's text: a string's, a number's or a boolean's as written; nothing for null, an object or an array. */
    private static String text(JsonParser parser) throws IOException {
        if (parser.currentToken().isScalarValue() && parser.currentToken() != JsonToken.VALUE_NULL) {
            return parser.getText();
        }
        parser.skipChildren();
        return "";
    }

    /**
     * A text cell that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a CR) is
     * written after a {@code '}, when EXPORT_ESCAPE_FORMULAS is on; numbers and dates are typed, never formulas.
     */
    private String escapeFormula(Column column, String cell) {
        if (!escapeFormulas || cell == null || cell.isEmpty() || column.type() == ColumnType.LONG
                || column.type() == ColumnType.DATE) {
            return cell;
        }
        char first = cell.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + cell : cell;
    }

    /** The search of every page, but for where it starts: the plan's query and sort, in the point in time. */
    private ObjectNode searchBody(ExportPlan plan, String pointInTime) {
        ObjectNode body = json.createObjectNode();
        body.set("query", json.valueToTree(plan.query()));
        body.set("sort", json.valueToTree(plan.sort()));
        // a source is what the import wrote, the dataset's columns: filtering it to all of them would only cost
        // Elasticsearch its work (8 % of its CPU per page, measured); the cells take the selected fields either way
        if (!plan.columns().containsAll(plan.dataset().columns())) {
            body.putObject("_source").set("includes", json.valueToTree(plan.columns().stream().map(Column::name).distinct().toList()));
        }
        body.put("size", plan.pageSize());
        body.put("track_total_hits", false);
        body.putObject("pit").put("id", pointInTime).put("keep_alive", POINT_IN_TIME_KEEP_ALIVE);
        return body;
    }

    /**
     * Sends the search for the page after {@code searchAfter} (the first page when null); the page is read as it
     * arrives. Java rather than the elasticsearch component: its typed hits took more CPU than the search itself;
     * here Elasticsearch filters the answer to the sources and sort values.
     */
    private CompletableFuture<Page> search(ExportRun run, JsonNode searchAfter) throws IOException {
        if (searchAfter != null) {
            run.search.set("search_after", searchAfter);
        }
        Request request = new Request("POST", "/_search");
        request.addParameter("filter_path", HITS_ONLY);
        request.setJsonEntity(json.writeValueAsString(run.search));
        request.setOptions(ANSWER_IN_CHUNKS);
        CompletableFuture<Page> page = new CompletableFuture<>();
        elasticsearchRest.performRequestAsync(request, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                try (InputStream content = response.getEntity().getContent()) {
                    page.complete(read(run, content));
                } catch (IOException | RuntimeException e) {
                    page.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Exception e) {
                page.completeExceptionally(e);
            }
        });
        return page;
    }

    /**
     * Adds a page's CSV to the upload, sending a part whenever one is full, and writes the job's progress
     * once a second; a page redelivered after any of these failed is not added twice.
     */
    public void append(Exchange exchange) {
        ExportRun run = run(exchange);
        if (run.appendedPages < run.pages) {
            run.upload.write(exchange.getMessage().getBody(ByteArrayOutputStream.class));
            run.appendedPages++;
            run.rowsExported += run.rowsInPage;
        }
        run.upload.sendFullParts();
        long now = System.nanoTime();
        if (now - run.progressWrittenAt >= PROGRESS_INTERVAL_NANOS || !run.more) {
            run.progressWrittenAt = now;
            if (!jobs.recordProgress(run.jobUuid, run.attempt, run.rowsExported, run.rowsExported, 0, 0, null, null)) {
                throw new ExportFailed("the job was cancelled or taken over after " + run.rowsExported + " rows");
            }
        }
    }

    public boolean hasMore(Exchange exchange) {
        return run(exchange).more;
    }

    public void finish(Exchange exchange) {
        ExportRun run = run(exchange);
        run.upload.complete();
        closePointInTime(run);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("dataset", run.plan.dataset().name());
        response.put("s3_bucket", run.bucket);
        response.put("s3_key", run.key);
        response.put("rows_exported", run.rowsExported);
        response.put("duration_ms", (System.nanoTime() - run.startedNanos) / 1_000_000);
        exchange.setVariable(JobExecution.RESPONSE, response);
        exchange.setVariable(JobExecution.MESSAGE, "Exported " + run.rowsExported + " rows of "
                + run.plan.dataset().name() + " to s3://" + run.bucket + "/" + run.key);
    }

    /** Leaves nothing behind of a failed export: no partial object, no open point in time. */
    public void abort(Exchange exchange) {
        ExportRun run = run(exchange);
        if (run == null) {
            return;
        }
        try {
            if (run.upload != null) {
                run.upload.abort();
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not abort the upload of s3://{}/{}; the bucket's lifecycle rules must clear it", run.bucket, run.key, e);
        }
        closePointInTime(run);
    }

    /** After its redeliveries a step still failed: abort, and fail the job saying why. */
    public void failed(Exchange exchange) {
        abort(exchange);
        ExportRun run = run(exchange);
        throw new ExportFailed("the export failed after " + maxRedeliveries + " redeliveries"
                + (run == null ? "" : ", " + run.rowsExported + " rows in") + ": " + StepFailure.describe(exchange));
    }

    private void closePointInTime(ExportRun run) {
        try {
            elasticsearch.closePointInTime(close -> close.id(run.pointInTime));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not close point in time; it expires by itself", e);
        }
    }

    private static ExportRun run(Exchange exchange) {
        return exchange.getProperty(RUN, ExportRun.class);
    }

    /** One export as it goes. */
    static final class ExportRun {
        final UUID jobUuid;
        /** The attempt this run is: its progress is written only while the job is still on it. */
        int attempt;
        final ExportPlan plan;
        final String bucket;
        final String key;
        final String pointInTime;
        /** The search of every page; each sets where it starts. */
        final ObjectNode search;
        /** For each source field, the cells of the columns that select it (a column may be selected twice). */
        final Map<String, int[]> cellsOfField = new HashMap<>();
        final long startedNanos = System.nanoTime();
        S3MultipartUpload upload;
        /** The sort values of the last hit read; the next search starts after them. */
        JsonNode searchAfter;
        /** The search for the page after the last one read, sent before that page is written. */
        CompletableFuture<Page> nextPage;
        /** The CSV bytes of the page written last. */
        int lastPageBytes = 64 * 1024;
        boolean more = true;
        int pages;
        int appendedPages;
        int rowsInPage;
        long rowsExported;
        long progressWrittenAt = System.nanoTime();

        ExportRun(UUID jobUuid, ExportPlan plan, String bucket, String key, String pointInTime, ObjectNode search) {
            this.jobUuid = jobUuid;
            this.plan = plan;
            this.bucket = bucket;
            this.key = key;
            this.pointInTime = pointInTime;
            this.search = search;
            List<Column> columns = plan.columns();
            for (int i = 0; i < columns.size(); i++) {
                int[] at = cellsOfField.getOrDefault(columns.get(i).name(), new int[0]);
                at = Arrays.copyOf(at, at.length + 1);
                at[at.length - 1] = i;
                cellsOfField.put(columns.get(i).name(), at);
            }
        }
    }

    /** A page of hits: the cells of its rows, and the sort values of its last hit. */
    record Page(List<String[]> rows, JsonNode lastSort) {
    }
}
