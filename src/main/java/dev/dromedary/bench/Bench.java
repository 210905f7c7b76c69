package dev.dromedary.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.app.DromedaryApplication;
import dev.dromedary.app.Settings;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.DatasetStorage;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.exports.CsvExport;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.observe.ImportStage;
import dev.dromedary.samples.SampleCsv;
import dev.dromedary.sinks.ElasticsearchBulkSink;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.postgresql.PGConnection;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./dromedary bench}: in one run, on the same services, the bare loaders (PostgreSQL COPY, and
 * Elasticsearch _bulk with prepared bodies) against a Dromedary import of the same file, a bare
 * search_after scan against a Dromedary export, and no-op job throughput. Prints one table and writes it as
 * JSON under DATA_DIR/bench. The application runs in this JVM, so its heap is this JVM's heap.
 */
public final class Bench {

    /** The partitions of the bench's partitioned import. */
    private static final int PARTITIONS = 4;
    private static final String KEY = "bench-key";
    private static final int FORMAT_ROUNDS = 3;
    /** The reimport step's second file changes one row in this many. */
    private static final int CHANGED_EVERY = 100;
    private static final int PICKUP_JOBS = 1000;
    private static final int PICKUP_RATE = 100;
    /** How long the bench waits for one job: far longer than an import of 5,000,000 rows takes here (309 s). */
    private static final java.time.Duration JOB_DEADLINE = java.time.Duration.ofMinutes(60);
    /** How long a request to the bench's own instance may take. */
    private static final java.time.Duration REQUEST_DEADLINE = java.time.Duration.ofSeconds(30);
    /** How long SIGTERM waits for the bench to stop its services. */
    private static final java.time.Duration STOP_DEADLINE = java.time.Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();
    private DromedaryApplication app;
    private boolean jobsWarmedUp;
    private String baseUrl;
    private DataSource dataSource;
    private RestClient elasticsearch;
    private Dataset contacts;
    private Path dataDir;

    /** What a run measures: the file's size, the import's batch size and workers, the baseline's bulk size and senders. */
    public record Options(long rows, int batchSize, int inFlight, int workers, int bulkSize, int senders, int noopJobs,
                          int historyJobs, boolean configuredServices, Set<String> steps, int repeat) {

        public static final List<String> STEPS = List.of("copy", "bulk", "import", "export", "jobs", "pickup");
        /** Steps run only when asked for: the import of the same rows in each other format, against CSV's. */
        public static final List<String> EXTRA_STEPS = List.of("formats", "partitions", "reimport");

        public static Options parse(List<String> args) {
            long rows = 1_000_000;
            int batch = 500;
            int inFlight = 4;
            int workers = 4;
            int bulk = 1000;
            int senders = 2;
            int jobs = 10_000;
            int history = 1_000_000;
            int repeat = 1;
            boolean configured = false;
            Set<String> steps = new LinkedHashSet<>(STEPS);
            for (int i = 0; i + 1 < args.size(); i += 2) {
                String value = args.get(i + 1);
                switch (args.get(i)) {
                    case "--services" -> configured = value.equals("configured");
                    case "--rows" -> rows = Long.parseLong(value);
                    case "--batch" -> batch = Integer.parseInt(value);
                    case "--in-flight" -> inFlight = Integer.parseInt(value);
                    case "--workers" -> workers = Integer.parseInt(value);
                    case "--bulk" -> bulk = Integer.parseInt(value);
                    case "--senders" -> senders = Integer.parseInt(value);
                    case "--jobs" -> jobs = Integer.parseInt(value);
                    case "--history" -> history = Integer.parseInt(value);
                    case "--repeat" -> repeat = Integer.parseInt(value);
                    case "--steps" -> steps = steps(value);
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
            if (args.size() % 2 != 0) {
                throw new IllegalArgumentException("option " + args.get(args.size() - 1) + " has no value");
            }
            if (repeat < 1 || repeat > 20) {
                throw new IllegalArgumentException("--repeat is a number of rounds from 1 to 20, not " + repeat);
            }
            if (history < 0 || history > 10_000_000) {
                throw new IllegalArgumentException("--history is a number of finished jobs from 0 to 10000000, not " + history);
            }
            return new Options(rows, batch, inFlight, workers, bulk, senders, jobs, history, configured, steps, repeat);
        }

        private static Set<String> steps(String list) {
            Set<String> steps = new LinkedHashSet<>();
            for (String step : list.split(",")) {
                if (!STEPS.contains(step.trim()) && !EXTRA_STEPS.contains(step.trim())) {
                    throw new IllegalArgumentException("unknown step " + step.trim() + "; the steps are "
                            + String.join(",", STEPS) + "," + String.join(",", EXTRA_STEPS));
                }
                steps.add(step.trim());
            }
            return steps;
        }
    }

    public Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the measurements asked for (all by default) and prints the table; returns the results. */
    public Map<String, Object> run() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("rows", options.rows());
        results.put("batch_size", options.batchSize());
        results.put("batches_in_flight", options.inFlight());
        results.put("workers", options.workers());
        // SIGTERM or Ctrl-C: the measuring thread is interrupted, so that every wait ends and the services stop
        Thread bench = Thread.currentThread();
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Thread stop = new Thread(() -> {
            bench.interrupt();
            try {
                stopped.await(STOP_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            start();
            return measure(results);
        } catch (InterruptedException e) {
            out.println("bench stopped before it ended: its services are stopped too");
            throw e;
        } finally {
            if (app != null) {
                app.close();
            }
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException stopping) {
                // the JVM is stopping: the hook is running already
            }
        }
    }

    /**
     * The steps, {@code --repeat} times over in one run on the same services; with more than one round, each
     * figure is the median of its rounds, and its range is kept beside it.
     */
    private Map<String, Object> measure(Map<String, Object> results) throws Exception {
        List<Map<String, Object>> rounds = new ArrayList<>();
        try {
            Path data = data();
            results.put("file_bytes", Files.size(data));
            for (int round = 1; round <= options.repeat(); round++) {
                if (options.repeat() > 1) {
                    out.printf("round %d of %d%n", round, options.repeat());
                }
                rounds.add(round(data));
            }
        } finally {
            app.close();
            app = null;
        }
        if (rounds.size() == 1) {
            results.putAll(rounds.get(0));
        } else {
            results.put("rounds", rounds.size());
            Map<String, Object> ranges = new LinkedHashMap<>();
            for (String figure : rounds.get(0).keySet()) {
                List<Double> values = new ArrayList<>();
                for (Map<String, Object> each : rounds) {
                    if (each.get(figure) instanceof Number number) {
                        values.add(number.doubleValue());
                    }
                }
                if (values.size() != rounds.size()) {
                    results.put(figure, rounds.get(rounds.size() - 1).get(figure));
                    continue;
                }
                java.util.Collections.sort(values);
                int middle = values.size() / 2;
                double median = values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
                results.put(figure, rounds.get(0).get(figure) instanceof Long ? (Object) Math.round(median) : (Object) round(median));
                ranges.put(figure, List.of(values.get(0), values.get(values.size() - 1)));
            }
            results.put("ranges", ranges);
        }
        print(results);
        Path json = dataDir().resolve("bench-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        out.println("written to " + json);
        return results;
    }

    /** One round of the steps asked for, with its ratios. */
    private Map<String, Object> round(Path data) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        {
            if (options.steps().contains("copy")) {
                results.put("copy_seconds", copyBaseline(data));
            }
            if (options.steps().contains("bulk")) {
                results.put("bulk_seconds", bulkBaseline(data));
            }
            if (options.steps().contains("import")) {
                results.putAll(dromedaryImport(data));
            }
            if (options.steps().contains("export")) {
                results.putAll(export());
            }
            if (options.steps().contains("jobs")) {
                results.putAll(jobThroughput());
            }
            if (options.steps().contains("pickup")) {
                results.putAll(pickupLatency());
            }
            if (options.steps().contains("formats")) {
                results.put("formats", formats(data));
            }
            if (options.steps().contains("partitions")) {
                results.putAll(partitionedImport(data));
            }
            if (options.steps().contains("reimport")) {
                results.putAll(reimport(data));
            }
        }
        if (results.containsKey("copy_seconds") && results.containsKey("bulk_seconds") && results.containsKey("import_seconds")) {
            results.put("import_ratio", round((double) results.get("import_seconds")
                    / ((double) results.get("copy_seconds") + (double) results.get("bulk_seconds"))));
        }
        if (results.containsKey("export_seconds")) {
            results.put("export_ratio", round((double) results.get("export_seconds") / (double) results.get("scan_seconds")));
        }
        return results;
    }

    private void start() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("API_KEYS", KEY);
        // the ticker as shipped: jobs start when their creation is announced, not when the ticker comes round
        settings.put("TICKER_INTERVAL_SECONDS", "");
        settings.put("TICKER_INTERVAL_MINUTES", "5");
        settings.put("BATCH_SIZE_FOR_INSERTION", String.valueOf(options.batchSize()));
        settings.put("IMPORT_BATCHES_IN_FLIGHT", String.valueOf(options.inFlight()));
        settings.put("PARALLEL_JOBS", String.valueOf(options.workers()));
        settings.put("JOB_IN_QUEUE_SIZE", "1000");
        settings.put("INBOX_ENABLED", "false");
        // its jobs are its own: a stopping bench hands nothing back for long
        settings.put("SHUTDOWN_GRACE_SECONDS", "2");
        if (!options.configuredServices()) {
            // embedded services of its own, beside (not in) those of ./dromedary, on ports of their own
            settings.put("DATABASE_URL", "");
            settings.put("S3_ENDPOINT", "");
            settings.put("ELASTICSEARCH_URL", "");
            settings.put("DATA_DIR", Settings.ofWorkingDirectory().text("DATA_DIR") + "/bench");
            settings.put("EMBEDDED_PG_PORT", "54339");
            settings.put("EMBEDDED_S3_PORT", "9010");
            settings.put("EMBEDDED_ES_PORT", "9210");
            settings.put("HTTP_PORT", "8090");
            settings.put("MANAGEMENT_PORT", "9886");
        }
        app = new DromedaryApplication(settings).start();
        baseUrl = "http://localhost:" + app.context().resolvePropertyPlaceholders("{{HTTP_PORT}}");
        dataDir = Path.of(app.context().resolvePropertyPlaceholders("{{DATA_DIR}}"));
        dataSource = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        elasticsearch = app.context().getRegistry().lookupByNameAndType("elasticsearchRestClient", RestClient.class);
        contacts = app.context().getRegistry().lookupByNameAndType("datasets", Datasets.class).get("contact");
    }

    private Path dataDir() {
        return dataDir;
    }

    /** The generated file, made once per size (the same rows for the same size) and kept under DATA_DIR/bench. */
    private Path data() throws IOException {
        Path file = dataDir().resolve("files").resolve("contact-" + options.rows() + ".csv");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            out.println("generating " + options.rows() + " rows into " + file);
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                new SampleCsv(42).write("contact", options.rows(), writer);
            }
        }
        return file;
    }

    /** PostgreSQL's own loader: COPY of the file into an empty copy of the table. */
    private double copyBaseline(Path data) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bench_copy");
            statement.execute("CREATE TABLE bench_copy (LIKE " + contacts.table() + " INCLUDING ALL)");
            String columns = String.join(", ", SampleCsv.CONTACT_COLUMNS);
            long start = System.nanoTime();
            try (Reader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                        "COPY bench_copy (" + columns + ") FROM STDIN WITH (FORMAT csv, HEADER true)", reader);
            }
            double seconds = seconds(start);
            statement.execute("DROP TABLE bench_copy");
            out.printf("COPY baseline: %.1f s%n", seconds);
            return seconds;
        }
    }

    /** Elasticsearch's own loader: _bulk bodies prepared before the clock, sent by several senders at once. */
    private double bulkBaseline(Path data) throws Exception {
        String index = "bench_bulk";
        JsonNode mapping = JSON.readTree(elasticsearch.performRequest(new Request("GET", "/" + contacts.index() + "/_mapping"))
                .getEntity().getContent()).elements().next();
        elasticsearch.performRequest(new Request("DELETE", "/" + index + "?ignore_unavailable=true"));
        Request create = new Request("PUT", "/" + index);
        // as Dromedary sets an index it imports into: no refreshes until the load ends
        ((ObjectNode) mapping).putObject("settings").putObject("index").put("number_of_shards", 1)
                .put("number_of_replicas", 0).put("refresh_interval", "-1");
        create.setJsonEntity(mapping.toString());
        elasticsearch.performRequest(create);

        ConcurrentLinkedQueue<Path> queue = new ConcurrentLinkedQueue<>(bulkBodies(data));
        ExecutorService senders = Executors.newFixedThreadPool(options.senders());
        long start = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < options.senders(); i++) {
            sent.add(senders.submit(() -> {
                Path next;
                while ((next = queue.poll()) != null) {
                    Request bulk = new Request("POST", "/" + index + "/_bulk");
                    bulk.setEntity(new NByteArrayEntity(Files.readAllBytes(next), ContentType.create("application/x-ndjson")));
                    JsonNode answer = JSON.readTree(elasticsearch.performRequest(bulk).getEntity().getContent());
                    if (answer.path("errors").asBoolean()) {
                        throw new IllegalStateException("the baseline bulk request failed: " + answer.path("items").get(0));
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : sent) {
            future.get();
        }
        double seconds = seconds(start);
        senders.shutdown();
        elasticsearch.performRequest(new Request("POST", "/" + index + "/_refresh"));
        long count = JSON.readTree(elasticsearch.performRequest(new Request("GET", "/" + index + "/_count"))
                .getEntity().getContent()).path("count").asLong();
        elasticsearch.performRequest(new Request("DELETE", "/" + index));
        if (count != options.rows()) {
            throw new IllegalStateException("the baseline bulk load indexed " + count + " of " + options.rows() + " rows");
        }
        out.printf("_bulk baseline: %.1f s (%d docs per request, %d senders)%n", seconds, options.bulkSize(), options.senders());
        return seconds;
    }

    /**
     * The file as _bulk request bodies of --bulk documents each (typed as Dromedary types them), written once
     * to files beside it, so that the heap holds none of them and the clock counts only the sending.
     */
    private List<Path> bulkBodies(Path data) throws IOException {
        Path dir = data.resolveSibling(data.getFileName() + ".ndjson-" + options.bulkSize());
        if (!Files.isDirectory(dir)) {
            Path partial = Files.createDirectories(data.resolveSibling(dir.getFileName() + ".partial"));
            List<Map<String, Object>> rows = new ArrayList<>();
            int files = 0;
            try (Reader reader = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
                for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (Column column : contacts.columns()) {
                        String cell = record.isMapped(column.name()) ? record.get(column.name()) : "";
                        if (!cell.isEmpty()) {
                            row.put(column.name(), column.type().parse(cell));
                        }
                    }
                    rows.add(row);
                    if (rows.size() == options.bulkSize()) {
                        Files.write(partial.resolve(String.format("%06d.ndjson", files++)), ElasticsearchBulkSink.body(contacts, rows));
                        rows.clear();
                    }
                }
            }
            if (!rows.isEmpty()) {
                Files.write(partial.resolve(String.format("%06d.ndjson", files)), ElasticsearchBulkSink.body(contacts, rows));
            }
            Files.move(partial, dir);
        }
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /**
     * The same rows imported as gzipped CSV, JSON Lines and .xlsx, each right after plain CSV, in
     * {@value #FORMAT_ROUNDS} rounds after one import to warm up: the median of each format's ratios to the CSV
     * import before it (the machine's speed drifts between rounds, less between neighbours), its rows/s and
     * its peak heap.
     */
    private Map<String, Object> formats(Path csv) throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("csv.gz", FormatFiles.gzip(csv));
        files.put("jsonl", FormatFiles.jsonLines(csv));
        files.put("xlsx", FormatFiles.xlsx(csv));
        dromedaryImport(csv);
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, Long> heaps = new LinkedHashMap<>();
        for (int round = 0; round < FORMAT_ROUNDS; round++) {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                double baseline = (double) dromedaryImport(csv).get("import_seconds");
                Map<String, Object> imported = dromedaryImport(file.getValue());
                double took = (double) imported.get("import_seconds");
                ratios.computeIfAbsent(file.getKey(), k -> new ArrayList<>()).add(took / baseline);
                seconds.computeIfAbsent(file.getKey(), k -> new ArrayList<>()).add(took);
                heaps.merge(file.getKey(), (Long) imported.get("peak_heap_mb"), Math::max);
            }
        }
        Map<String, Object> byFormat = new LinkedHashMap<>();
        out.println();
        out.printf("%-34s %10s %12s %10s %10s%n", "format (" + options.rows() + " rows, median of " + FORMAT_ROUNDS + ")",
                "seconds", "rows/s", "÷ CSV", "heap MB");
        for (String format : files.keySet()) {
            double ratio = median(ratios.get(format));
            double took = median(seconds.get(format));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("file_bytes", Files.size(files.get(format)));
            figures.put("import_seconds", round(took));
            figures.put("ratios_to_csv", ratios.get(format).stream().map(Bench::round).toList());
            figures.put("ratio_to_csv", round(ratio));
            figures.put("rows_per_second", Math.round(options.rows() / took));
            figures.put("peak_heap_mb", heaps.get(format));
            byFormat.put(format, figures);
            out.printf("%-34s %10.1f %12d %10.2f %10s%n", format, took, Math.round(options.rows() / took), ratio,
                    heaps.get(format) + " of " + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
        return byFormat;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * The file imported in {@value #PARTITIONS} partitions on this one instance, right after an import of it in one
     * piece: the boundary scan's speed, each partition's rows/s (median), and the time against the one-piece import.
     * One machine's cores are shared by the partitions: the gain shows only across machines (docs/scaling.md).
     */
    private Map<String, Object> partitionedImport(Path data) throws Exception {
        double whole = (double) dromedaryImport(data).get("import_seconds");
        Map<String, Object> cut = dromedaryImport(data, ", \"partitions\": " + PARTITIONS);
        JsonNode response = (JsonNode) cut.remove("job_response");
        List<Double> partitionSpeeds = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); var query = connection.prepareStatement(
                "SELECT rows_read / greatest(extract(epoch FROM completed_at - started_at), 0.001) FROM jobs WHERE batch_uuid = ?::uuid")) {
            query.setString(1, response.path("uuid").asText());
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    partitionSpeeds.add(rows.getDouble(1));
                }
            }
        }
        Map<String, Object> results = new LinkedHashMap<>();
        double seconds = (double) cut.get("import_seconds");
        results.put("partitioned_import_seconds", seconds);
        results.put("partitioned_ratio", round(seconds / whole));
        results.put("boundary_scan_mb_per_second", response.path("job_response").path("boundary_scan").path("mb_per_second").asLong());
        results.put("partition_rows_per_second", Math.round(median(partitionSpeeds)));
        out.printf("Partitioned import (%d partitions): %.1f s, %.2f x the import in one piece; boundary scan %d MB/s; "
                + "%d rows/s per partition (median)%n", PARTITIONS, seconds, seconds / whole,
                results.get("boundary_scan_mb_per_second"), results.get("partition_rows_per_second"));
        return results;
    }

    /**
     * Change detection: the file imported into an empty table, then the same rows from another object (nothing to
     * write), then with every {@value #CHANGED_EVERY}th row changed (exactly those written); each against the first.
     */
    private Map<String, Object> reimport(Path data) throws Exception {
        double first = (double) dromedaryImport(data).get("import_seconds");
        Path changed = FormatFiles.withChangedRows(data, CHANGED_EVERY);
        long changedRows = options.rows() / CHANGED_EVERY;
        Map<String, Object> same = landAgain(data, "bench/again-" + data.getFileName());
        Map<String, Object> someChanged = landAgain(changed, "bench/changed-" + data.getFileName());
        JsonNode unchangedAnswer = ((JsonNode) same.get("job_response")).path("job_response");
        JsonNode changedAnswer = ((JsonNode) someChanged.get("job_response")).path("job_response");
        if (unchangedAnswer.path("rows_unchanged").asLong() != options.rows()
                || changedAnswer.path("rows_updated").asLong() != changedRows
                || changedAnswer.path("rows_unchanged").asLong() != options.rows() - changedRows) {
            throw new IllegalStateException("change detection miscounted: " + unchangedAnswer + " / " + changedAnswer);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("first_import_seconds", first);
        results.put("unchanged_reimport_seconds", same.get("seconds"));
        results.put("unchanged_reimport_ratio", round((double) same.get("seconds") / first));
        results.put("changed_reimport_seconds", someChanged.get("seconds"));
        results.put("changed_reimport_ratio", round((double) someChanged.get("seconds") / first));
        out.printf("Re-import: first %.1f s; unchanged %.1f s (%.2f x); 1%% changed %.1f s (%.2f x), %d rows updated%n", first,
                same.get("seconds"), results.get("unchanged_reimport_ratio"), someChanged.get("seconds"),
                results.get("changed_reimport_ratio"), changedRows);
        return results;
    }

    /** An import, not forced, of the file as another object into the table as it is: how long, and the job. */
    private Map<String, Object> landAgain(Path data, String key) throws Exception {
        S3Client s3 = app.context().getRegistry().lookupByNameAndType("s3Client", S3Client.class);
        s3.putObject(put -> put.bucket(app.context().resolvePropertyPlaceholders("{{S3_BUCKET}}")).key(key), RequestBody.fromFile(data));
        JsonNode job = runJob("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": \"" + key + "\"}}");
        requireCompleted(job);
        double seconds = jobSeconds(job);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("seconds", seconds);
        results.put("job_response", job);
        return results;
    }

    /** A Dromedary import of the file, from an empty table and index: upload, create the job, wait for it. */
    private Map<String, Object> dromedaryImport(Path data) throws Exception {
        Map<String, Object> results = dromedaryImport(data, "");
        results.remove("job_response");
        return results;
    }

    /** As {@link #dromedaryImport(Path)}, with more fields of job_data ({@code moreJobData}: ", \"name\": value", ...). */
    private Map<String, Object> dromedaryImport(Path data, String moreJobData) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + contacts.table() + ", filters_data, dead_letters, imported_objects");
        }
        elasticsearch.performRequest(new Request("DELETE", "/" + contacts.index()));
        DatasetStorage.prepareIndices(app.context().getRegistry().lookupByNameAndType("elasticsearch", ElasticsearchClient.class),
                app.context().getRegistry().lookupByNameAndType("datasets", Datasets.class));
        S3Client s3 = app.context().getRegistry().lookupByNameAndType("s3Client", S3Client.class);
        String bucket = app.context().resolvePropertyPlaceholders("{{S3_BUCKET}}");
        String key = "bench/" + data.getFileName();
        long uploading = System.nanoTime();
        s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromFile(data));
        double upload = seconds(uploading);

        System.gc();
        HeapWatch heap = new HeapWatch();
        heap.start();
        long[] stagesBefore = Arrays.stream(ImportStage.values()).mapToLong(ImportStage::nanos).toArray();
        JobCosts costs = JobCosts.start(dataSource);
        JsonNode job = runJob("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": \"" + key + "\", \"force\": true"
                + moreJobData + "}}");
        heap.stop();
        requireCompleted(job);
        double seconds = jobSeconds(job);
        Map<String, Object> results = new LinkedHashMap<>(costs.per(options.rows() / 1000.0, "import_", "1000_rows"));
        for (ImportStage stage : ImportStage.values()) {
            results.put("stage_" + stage.tag() + "_seconds", round((stage.nanos() - stagesBefore[stage.ordinal()]) / 1e9));
        }
        results.put("upload_seconds", round(upload));
        results.put("import_seconds", seconds);
        results.put("import_rows_per_second", Math.round(options.rows() / seconds));
        results.put("peak_heap_mb", heap.peakMb());
        results.put("peak_rss_mb", heap.peakRssMb());
        results.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        out.printf("Dromedary import: %.1f s (upload %.1f s before it)%n", seconds, upload);
        results.put("job_response", job);
        return results;
    }

    /** A Dromedary export of every row, against a bare search_after scan of the same index. */
    private Map<String, Object> export() throws Exception {
        elasticsearch.performRequest(new Request("POST", "/" + contacts.index() + "/_refresh"));
        int page = 1000;
        long start = System.nanoTime();
        long scanned = scan(page);
        double scan = seconds(start);
        if (scanned != options.rows()) {
            throw new IllegalStateException("the scan read " + scanned + " of " + options.rows() + " documents");
        }
        ArrayNode columns = JSON.createArrayNode();
        contacts.columns().forEach(column -> columns.add(column.name()));
        ObjectNode request = JSON.createObjectNode().put("job_type", "export_csv_file");
        request.putObject("job_data").put("service", "contact").putObject("vql").put("limit", page)
                .set("select_columns", columns);
        JsonNode job = runJob(request.toString());
        requireCompleted(job);
        double export = jobSeconds(job);
        out.printf("scan baseline: %.1f s; Dromedary export: %.1f s%n", scan, export);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("scan_seconds", scan);
        results.put("export_seconds", export);
        results.put("export_rows_per_second", Math.round(options.rows() / export));
        return results;
    }

    private long scan(int page) throws IOException {
        JsonNode pit = JSON.readTree(elasticsearch.performRequest(new Request("POST", "/" + contacts.index() + "/_pit?keep_alive=1m"))
                .getEntity().getContent());
        String pitId = pit.path("id").asText();
        long read = 0;
        JsonNode after = null;
        while (true) {
            ObjectNode search = JSON.createObjectNode().put("size", page).put("track_total_hits", false);
            search.putObject("pit").put("id", pitId).put("keep_alive", "1m");
            search.putArray("sort").addObject().put(contacts.key(), "asc");
            if (after != null) {
                search.set("search_after", after);
            }
            Request request = new Request("POST", "/_search");
            request.addParameter("filter_path", CsvExport.HITS_ONLY);
            request.setOptions(CsvExport.ANSWER_IN_CHUNKS);
            request.setJsonEntity(search.toString());
            JsonNode hits = JSON.readTree(elasticsearch.performRequest(request).getEntity().getContent()).path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            read += hits.size();
            after = hits.get(hits.size() - 1).path("sort");
        }
        Request close = new Request("DELETE", "/_pit");
        close.setJsonEntity(JSON.createObjectNode().put("id", pitId).toString());
        elasticsearch.performRequest(close);
        return read;
    }

    /**
     * Makes the jobs table hold --history finished jobs, as a system that has run for months (within its retention)
     * does: each with the transition of its end, made the day before, so that claims, starts and lists pay for a
     * table of that size. Loaded once, before the clock; triggers are off while it loads (the trigger would write
     * the same transitions, a row at a time).
     */
    private void loadHistory(Statement statement) throws SQLException {
        long held;
        try (var result = statement.executeQuery("SELECT count(*) FROM jobs WHERE job_type = 'bench_history'")) {
            result.next();
            held = result.getLong(1);
        }
        if (held >= options.historyJobs()) {
            return;
        }
        long started = System.nanoTime();
        boolean triggersOff;
        try {
            statement.execute("SET session_replication_role = replica");
            triggersOff = true;
        } catch (SQLException notASuperuser) {
            // configured services may not let the bench turn triggers off: they then write the transitions, slower
            triggersOff = false;
        }
        try {
            statement.execute("INSERT INTO jobs (job_type, data, status, attempts, claimed_by, job_response, created_at, "
                    + "started_at, completed_at, updated_at) SELECT 'bench_history', ('{\"s3_key\": \"history/' || i || '.csv\"}')::jsonb, "
                    + "CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'completed' END, 1, 'bench', '{\"messages\": \"done\"}', "
                    + "now() - interval '1 day' + i * interval '50 ms', now() - interval '1 day' + i * interval '50 ms', "
                    + "now() - interval '1 day' + i * interval '50 ms' + interval '20 ms', now() - interval '1 day' "
                    + "FROM generate_series(" + (held + 1) + ", " + options.historyJobs() + ") AS i");
            if (triggersOff) {
                statement.execute("INSERT INTO job_transitions (job_uuid, from_status, to_status, instance, attempts, at) "
                        + "SELECT uuid, 'processing', status, 'bench', 1, completed_at FROM jobs j WHERE job_type = 'bench_history' "
                        + "AND NOT EXISTS (SELECT FROM job_transitions t WHERE t.job_uuid = j.uuid)");
            }
        } finally {
            if (triggersOff) {
                statement.execute("SET session_replication_role = DEFAULT");
            }
        }
        // their events were delivered months ago: the feed starts after them, as it would in such a system
        statement.execute("UPDATE job_event_cursor SET (last_tx, last_id) = (SELECT max(tx), max(id) FROM job_transitions) "
                + "WHERE (SELECT max(tx) FROM job_transitions) > last_tx");
        statement.execute("VACUUM ANALYZE jobs");
        statement.execute("VACUUM ANALYZE job_transitions");
        out.printf("the jobs table holds %d finished jobs (loaded in %.1f s)%n", options.historyJobs(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * No-op jobs created through the batch API, one client, drained by the first-time runner while they are created:
     * from the first one's creation to the last one's completion, by the jobs' own timestamps (so that the polling,
     * cheap and slow, neither loads nor rounds it). The first round drains them once before it measures: a fresh JVM
     * spends a quarter of its CPU compiling through the first 30,000 jobs, and a server that has run for months has
     * compiled its paths long ago.
     */
    private Map<String, Object> jobThroughput() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM jobs WHERE job_type = 'noop'");
            loadHistory(statement);
            if (!jobsWarmedUp) {
                out.printf("warm-up (not counted): %d no-op jobs: %.2f s%n", options.noopJobs(), drainNoopJobs(statement));
                statement.execute("DELETE FROM jobs WHERE job_type = 'noop'");
                jobsWarmedUp = true;
            }
            JobCosts costs = JobCosts.start(dataSource);
            double seconds = drainNoopJobs(statement);
            out.printf("%d no-op jobs: %.2f s%n", options.noopJobs(), seconds);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("jobs_per_second", Math.round(options.noopJobs() / seconds));
            figures.putAll(costs.per(options.noopJobs(), "", "job"));
            return figures;
        }
    }

    /** Creates --jobs no-op jobs, waits until they have all completed, and answers the seconds they took. */
    private double drainNoopJobs(Statement statement) throws Exception {
        long deadline = System.nanoTime() + JOB_DEADLINE.toNanos();
        createNoopJobs();
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the no-op jobs did not all complete within " + JOB_DEADLINE.toMinutes() + " minutes");
            }
            try (var result = statement.executeQuery("SELECT NOT EXISTS (SELECT FROM jobs WHERE status IN ('open', 'in_queue', "
                    + "'processing') AND job_type = 'noop')")) {
                result.next();
                if (result.getBoolean(1)) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        try (var result = statement.executeQuery("SELECT count(*) FILTER (WHERE status = 'completed'), "
                + "extract(epoch FROM max(completed_at) - min(created_at)) FROM jobs WHERE job_type = 'noop'")) {
            result.next();
            if (result.getLong(1) != options.noopJobs()) {
                throw new IllegalStateException("only " + result.getLong(1) + " of the " + options.noopJobs() + " no-op jobs completed");
            }
            return result.getDouble(2);
        }
    }

    /** --jobs no-op jobs, in batches of at most {@link JobStore#MAX_BATCH_JOBS}, one request after another. */
    private void createNoopJobs() throws Exception {
        for (int created = 0; created < options.noopJobs(); created += JobStore.MAX_BATCH_JOBS) {
            int size = Math.min(JobStore.MAX_BATCH_JOBS, options.noopJobs() - created);
            String batch = "{\"jobs\":[" + String.join(",", Collections.nCopies(size, "{\"job_type\":\"noop\",\"job_data\":{}}")) + "]}";
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder().timeout(REQUEST_DEADLINE).uri(URI.create(baseUrl + "/common/jobs/batch"))
                    .header("X-API-Key", KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("a batch of no-op jobs was not created: " + answer.statusCode() + " " + answer.body());
            }
        }
    }

    /**
     * PICKUP_JOBS no-op jobs created through the API at PICKUP_RATE a second, each claimed when its creation is
     * announced (the ticker polls every five minutes): created to processing from the jobs' own timestamps.
     */
    private Map<String, Object> pickupLatency() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM jobs WHERE job_type = 'noop'");
        }
        long start = System.nanoTime();
        for (int i = 0; i < PICKUP_JOBS; i++) {
            long wait = start + i * 1_000_000_000L / PICKUP_RATE - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            HttpResponse<String> created = http.send(HttpRequest.newBuilder().timeout(REQUEST_DEADLINE).uri(URI.create(baseUrl + "/common/jobs/create"))
                    .header("X-API-Key", KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"job_type\":\"noop\",\"job_data\":{}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IllegalStateException("a pickup job was not created: " + created.statusCode() + " " + created.body());
            }
        }
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            while (true) {
                try (var result = statement.executeQuery("SELECT count(*) FROM jobs WHERE job_type = 'noop' AND status = 'completed'")) {
                    result.next();
                    if (result.getLong(1) == PICKUP_JOBS) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the pickup jobs did not all complete within 2 minutes of their creation");
                }
                Thread.sleep(50);
            }
            try (var result = statement.executeQuery("SELECT "
                    + "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000, "
                    + "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000, "
                    + "max(extract(epoch FROM started_at - created_at)) * 1000 FROM jobs WHERE job_type = 'noop'")) {
                result.next();
                Map<String, Object> latency = new LinkedHashMap<>();
                latency.put("pickup_p50_ms", round(result.getDouble(1)));
                latency.put("pickup_p99_ms", round(result.getDouble(2)));
                latency.put("pickup_max_ms", round(result.getDouble(3)));
                out.printf("%d jobs created at %d/s: created -> processing p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", PICKUP_JOBS,
                        PICKUP_RATE, result.getDouble(1), result.getDouble(2), result.getDouble(3));
                return latency;
            }
        }
    }

    private JsonNode runJob(String request) throws Exception {
        JsonNode created = JSON.readTree(http.send(HttpRequest.newBuilder().timeout(REQUEST_DEADLINE).uri(URI.create(baseUrl + "/common/jobs/create"))
                .header("X-API-Key", KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString()).body());
        String uuid = created.path("uuid").asText();
        if (uuid.isEmpty()) {
            throw new IllegalStateException("the job was not created: " + created);
        }
        long deadline = System.nanoTime() + JOB_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = JSON.readTree(http.send(HttpRequest.newBuilder().timeout(REQUEST_DEADLINE).uri(URI.create(baseUrl + "/common/jobs/" + uuid))
                    .header("X-API-Key", KEY).GET().build(), HttpResponse.BodyHandlers.ofString()).body()).path("data");
            String status = job.path("status").asText();
            if (status.equals("completed") || status.equals("failed")) {
                return job;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("job " + uuid + " did not finish within " + JOB_DEADLINE.toMinutes() + " minutes");
    }

    /** A finished job's own time, from its creation to its end: what the bench's polling adds is not in it. */
    private static double jobSeconds(JsonNode job) {
        return round(Duration.between(Instant.parse(job.path("created_at").asText()),
                Instant.parse(job.path("completed_at").asText())).toMillis() / 1000.0);
    }

    private static void requireCompleted(JsonNode job) {
        if (!job.path("status").asText().equals("completed")) {
            throw new IllegalStateException("job " + job.path("uuid").asText() + " failed: " + job.path("job_response"));
        }
    }

    private void print(Map<String, Object> r) {
        long rows = options.rows();
        out.println();
        out.printf("%-34s %10s %12s%n", "step (" + rows + " rows, " + r.get("file_bytes") + " bytes)", "seconds", "rows/s");
        row(r, "copy_seconds", "PostgreSQL COPY (baseline)");
        row(r, "bulk_seconds", "Elasticsearch _bulk (baseline)");
        row(r, "import_seconds", "Dromedary import");
        stages(r);
        figure(r, "import_jvm_cpu_ms_per_1000_rows", "  JVM CPU per 1,000 rows (ms)");
        figure(r, "import_postgres_cpu_ms_per_1000_rows", "  PostgreSQL CPU per 1,000 rows (ms)");
        statements(r.get("import_statements"), "1,000 rows");
        row(r, "scan_seconds", "search_after scan (baseline)");
        row(r, "export_seconds", "Dromedary export");
        figure(r, "import_ratio", "import / (copy + bulk)");
        figure(r, "export_ratio", "export / scan");
        if (r.containsKey("peak_heap_mb")) {
            out.printf("%-34s %10s%n", "peak heap during import (MB)", r.get("peak_heap_mb") + " of " + r.get("max_heap_mb"));
        }
        figure(r, "peak_rss_mb", "peak RSS (MB)");
        figure(r, "jobs_per_second", "no-op jobs per second");
        figure(r, "jvm_cpu_ms_per_job", "  JVM CPU per job (ms)");
        figure(r, "postgres_cpu_ms_per_job", "  PostgreSQL CPU per job (ms)");
        statements(r.get("statements"), "job");
        figure(r, "pickup_p50_ms", "pickup p50 (ms), 1,000 at 100/s");
        figure(r, "pickup_p99_ms", "pickup p99 (ms)");
        row(r, "partitioned_import_seconds", "Dromedary import, " + PARTITIONS + " partitions");
        figure(r, "partitioned_ratio", "partitioned / one piece");
        figure(r, "boundary_scan_mb_per_second", "boundary scan (MB/s)");
        figure(r, "partition_rows_per_second", "rows/s per partition (median)");
        row(r, "first_import_seconds", "import into an empty table");
        row(r, "unchanged_reimport_seconds", "the same rows again (unchanged)");
        figure(r, "unchanged_reimport_ratio", "unchanged / first (target <= 0.33)");
        row(r, "changed_reimport_seconds", "again, 1% of rows changed");
        figure(r, "changed_reimport_ratio", "1% changed / first (target <= 0.5)");
    }

    /**
     * Where the import's time went: each stage's seconds, summed over the threads that ran it (so more than the
     * import's own seconds), and its share of them all.
     */
    private void stages(Map<String, Object> r) {
        if (!r.containsKey("stage_read_seconds")) {
            return;
        }
        double total = 0;
        for (ImportStage stage : ImportStage.values()) {
            total += ((Number) r.get("stage_" + stage.tag() + "_seconds")).doubleValue();
        }
        for (ImportStage stage : ImportStage.values()) {
            String field = "stage_" + stage.tag() + "_seconds";
            double seconds = ((Number) r.get(field)).doubleValue();
            out.printf("  %-32s %10.2f %11.0f%%%s%n", stage.described(), seconds, total == 0 ? 0 : 100 * seconds / total, range(r, field));
        }
    }

    /** PostgreSQL's costliest statements of the last round, per job or per 1,000 rows. */
    private void statements(Object statements, String unit) {
        if (statements instanceof List<?> costliest) {
            out.printf("  %-54s %14s %14s%n", "PostgreSQL's costliest statements (last round)", "calls/" + unit, "ms/" + unit);
            for (Object each : costliest) {
                Map<?, ?> statement = (Map<?, ?>) each;
                String text = String.valueOf(statement.get("statement"));
                out.printf("  %-54s %14s %14s%n", text.length() > 54 ? text.substring(0, 53) + "…" : text, statement.get("calls"),
                        statement.get("ms"));
            }
        }
    }

    private void row(Map<String, Object> results, String field, String step) {
        if (results.containsKey(field)) {
            double seconds = ((Number) results.get(field)).doubleValue();
            out.printf("%-34s %10.1f %12d%s%n", step, seconds, Math.round(options.rows() / seconds), range(results, field));
        }
    }

    private void figure(Map<String, Object> results, String field, String what) {
        if (results.containsKey(field)) {
            out.printf("%-34s %10s%s%n", what, results.get(field), range(results, field));
        }
    }

    /** "   (range a–b)" of a figure measured in several rounds; nothing for one. */
    private static String range(Map<String, Object> results, String field) {
        if (!(results.get("ranges") instanceof Map<?, ?> ranges) || !(ranges.get(field) instanceof List<?> range)) {
            return "";
        }
        return String.format("   (range %s–%s)", range.get(0), range.get(1));
    }

    private static double seconds(long startNanos) {
        return round((System.nanoTime() - startNanos) / 1e9);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The most heap in use and the process's peak resident set, sampled while a job runs. */
    private static final class HeapWatch {

        private final AtomicLong peakHeap = new AtomicLong();
        private final AtomicBoolean watching = new AtomicBoolean(true);
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                while (watching.get()) {
                    peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            watching.set(false);
            thread.join();
        }

        long peakMb() {
            return peakHeap.get() / (1024 * 1024);
        }

        /** VmHWM of /proc/self/status: the most memory this process has held resident. */
        long peakRssMb() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
            return -1;
        }
    }
}
