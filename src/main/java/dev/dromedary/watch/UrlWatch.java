package dev.dromedary.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dromedary.app.Settings;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.formats.FlatRecords;
import dev.dromedary.formats.RecordSource;
import dev.dromedary.imports.ImportRejected;
import dev.dromedary.imports.SourceImport;
import dev.dromedary.imports.SourceRun;
import dev.dromedary.ingest.HttpApiIngest;
import dev.dromedary.ingest.RequestHeaders;
import dev.dromedary.ingest.SourceFailed;
import dev.dromedary.ingest.SourceNotAllowed;
import dev.dromedary.jobs.AllowedUrls;
import dev.dromedary.jobs.JobExecution;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * The watch_url job type's steps (routes/watch-url.camel.yaml): the job checked and its watch claimed, each request
 * (conditional on the newest snapshot's ETag and Last-Modified), each answer read bounded (a redirect followed only
 * under HTTP_SOURCES_ALLOWED, a 429 or 503 waited out), the page's selected lines compared with the newest snapshot,
 * the rows of rows mode handed to the import, and the snapshot stored with the job's answer.
 */
public final class UrlWatch {

    public static final String RUN = "watchRun";
    private static final java.util.regex.Pattern LINE_BREAKS = java.util.regex.Pattern.compile("\\R");
    static final int MAX_REDIRECTS = 5;
    static final int MAX_WAITS = 10;
    /** The longest diff a snapshot keeps; the job's answer holds WATCH_MAX_DIFF_CHARS of it. */
    static final int STORED_DIFF_CHARS = 1_000_000;

    private final Settings settings;
    private final AllowedUrls allowed;
    private final Datasets datasets;
    private final SourceImport imports;
    private final WatchSnapshots snapshots;
    private final RecordLimits limits;
    private final BooleanSupplier stopping;
    private final String userAgent;
    private final int maxBytes;
    private final int maxDiffChars;
    private final Duration maxRetryAfter;

    public UrlWatch(Settings settings, AllowedUrls allowed, Datasets datasets, SourceImport imports, WatchSnapshots snapshots,
                    RecordLimits limits, BooleanSupplier stopping) {
        this.settings = settings;
        this.allowed = allowed;
        this.datasets = datasets;
        this.imports = imports;
        this.snapshots = snapshots;
        this.limits = limits;
        this.stopping = stopping;
        this.userAgent = settings.text("WATCH_USER_AGENT");
        this.maxBytes = settings.integer("WATCH_MAX_BYTES");
        this.maxDiffChars = settings.integer("WATCH_MAX_DIFF_CHARS");
        this.maxRetryAfter = Duration.ofSeconds(settings.integer("HTTP_API_MAX_RETRY_AFTER_SECONDS"));
    }

    /**
     * Checks a job's data as the API receives it: WatchRefused (or IllegalArgumentException) for what is malformed,
     * SourceNotAllowed for its URL; rows mode's columns must be its dataset's.
     */
    public void check(Map<?, ?> data) {
        WatchJob job = WatchJob.of(data);
        if (!allowed.allows(job.url())) {
            throw new SourceNotAllowed(allowed.refusal("job_data.url", job.url()));
        }
        if (job.rows() != null) {
            Dataset dataset = datasets.get(job.service());
            for (String column : job.rows().columns().keySet()) {
                if (dataset.columnOrAlias(column).isEmpty()) {
                    throw new WatchRefused("ERR_INVALID_SELECTOR", "job_data.rows.columns names '" + Selector.clip(column)
                            + "', which is not a column of the dataset " + dataset.name() + "; its columns are "
                            + dataset.columnTypes().keySet());
                }
            }
        }
    }

    /** Checks the job, claims its watch (ERR_WATCH_RUNNING while another running job holds it) and reads its newest snapshot. */
    public void begin(Exchange exchange) throws InvalidPayloadException {
        Map<?, ?> data = exchange.getMessage().getMandatoryBody(Map.class);
        WatchJob job;
        try {
            job = WatchJob.of(data);
        } catch (IllegalArgumentException e) {
            throw new ImportRejected(e instanceof WatchRefused ? e.getMessage() : "ERR_INVALID_JOB_DATA: " + e.getMessage());
        }
        if (!allowed.allows(job.url())) {
            throw new ImportRejected("ERR_SOURCE_NOT_ALLOWED: " + allowed.refusal("job_data.url", job.url()));
        }
        UUID jobUuid = UUID.fromString(exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class));
        UUID holder = snapshots.claim(job.watch(), job.url(), jobUuid);
        if (holder != null) {
            throw new ImportRejected("ERR_WATCH_RUNNING: the watch " + job.watch() + " is being run by job " + holder
                    + "; two jobs never run one watch at once");
        }
        Map<String, String> headers = new LinkedHashMap<>(RequestHeaders.resolved(settings, job.headers()));
        headers.putIfAbsent("User-Agent", userAgent);
        WatchSnapshots.Snapshot previous = snapshots.latest(job.watch());
        exchange.setProperty(RUN, new WatchRun(job, data, jobUuid, headers, previous));
    }

    /** The page's request on the message: its URL, the job's headers and the newest snapshot's validators, nothing else. */
    public void request(Exchange exchange) {
        WatchRun run = run(exchange);
        Message message = exchange.getMessage();
        message.removeHeaders("Retry-After|Location|Content-Type|Content-Length|ETag|Last-Modified");
        // camel-http converts every header to text before its filter (WatchHeaders) leaves it out, and a JSON one (the
        // job's checkpoint) fails that conversion
        message.getHeaders().values().removeIf(value -> !(value instanceof CharSequence || value instanceof Number
                || value instanceof Boolean));
        message.setHeader(Exchange.HTTP_URI, run.url);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        run.requestHeaders().forEach(message::setHeader);
        message.setBody(null);
    }

    /**
     * Reads the answer: a 2xx's body (at most WATCH_MAX_BYTES, refused by its Content-Length before it is read), a 304
     * (the page did not change), a redirect followed under HTTP_SOURCES_ALLOWED, a 429 or 503 waited out; another 5xx
     * is a SourceFailed for the route to ask again with backoff, and a 4xx fails the run.
     */
    public void answer(Exchange exchange) throws IOException, InterruptedException {
        WatchRun run = run(exchange);
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            run.body = read(message, run.url);
            run.contentType = message.getHeader("Content-Type", String.class);
            run.etag = message.getHeader("ETag", String.class);
            run.lastModified = message.getHeader("Last-Modified", String.class);
            run.fetching = false;
            return;
        }
        String text = HttpApiIngest.excerpt(message);
        message.setBody(null);
        if (status == 304 && run.previous != null) {
            run.notModified = true;
            run.etag = message.getHeader("ETag", String.class);
            run.lastModified = message.getHeader("Last-Modified", String.class);
            run.fetching = false;
            return;
        }
        if (status == 429 || status == 503) {
            if (++run.waits > MAX_WAITS) {
                throw new SourceFailed("ERR_SOURCE_ANSWERED_" + status + ": " + run.url + " answered " + status + " "
                        + MAX_WAITS + " times in a row");
            }
            Duration wait = HttpApiIngest.retryAfter(message.getHeader("Retry-After", String.class));
            HttpApiIngest.waitUnlessStopping(wait.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : wait, stopping);
            return;
        }
        if (status >= 300 && status < 400 && message.getHeader("Location") != null) {
            String location = URI.create(run.url).resolve(message.getHeader("Location", String.class)).toString();
            if (!allowed.allows(location) || location.contains("{{") || ++run.redirects > MAX_REDIRECTS) {
                throw new ImportRejected("ERR_SOURCE_NOT_ALLOWED: " + run.url + " redirects to " + location + ", which is not "
                        + "followed: " + (run.redirects > MAX_REDIRECTS ? "more than " + MAX_REDIRECTS + " redirects"
                        : allowed.refusal("the redirect", location)));
            }
            run.url = location;
            return;
        }
        if (status >= 500) {
            throw new SourceFailed("ERR_SOURCE_ANSWERED_" + status + ": " + run.url + " answered " + status + ": " + text);
        }
        throw new ImportRejected("ERR_SOURCE_ANSWERED_" + status + ": " + run.url + " answered " + status + ": " + text);
    }

    /**
     * What the page holds now, as lines (the selection's, or rows mode's rows), less the lines job_data.ignore finds,
     * compared with the newest snapshot; a selection that finds nothing fails the run (ERR_WATCH_SELECTOR_EMPTY), for
     * a page that lost its table is not a table that lost its rows.
     */
    public void compare(Exchange exchange) {
        WatchRun run = run(exchange);
        if (run.notModified) {
            run.lines = run.previous.lines();
            run.hash = run.previous.hash();
            return;
        }
        PageText page = new PageText(run.body, run.contentType, run.url);
        run.body = null;
        WatchJob job = run.job;
        List<String> lines;
        if (job.rows() == null) {
            lines = page.lines(job.select());
        } else if (job.rows().columns().isEmpty()) {
            run.records = page.records(job.rows().selector());
            lines = run.records.stream().map(JsonNode::toString).toList();
        } else {
            run.rows = page.rows(job.rows()).stream().filter(row -> row.stream().anyMatch(value -> !value.isBlank())).toList();
            lines = run.rows.stream().map(row -> LINE_BREAKS.matcher(String.join(PageText.CELL_SEPARATOR, row)).replaceAll(" ")).toList();
        }
        Selector selector = job.rows() == null ? job.select() : job.rows().selector();
        if (lines.isEmpty()) {
            throw new ImportRejected("ERR_WATCH_SELECTOR_EMPTY: " + selector + " selects nothing"
                    + (job.rows() != null ? " with a value in its columns" : "") + " on " + run.url
                    + "; the run failed rather than count the content as removed");
        }
        List<String> kept = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (job.ignore().stream().noneMatch(pattern -> pattern.matcher(line).find())) {
                kept.add(line);
            }
        }
        run.lines = kept;
        run.hash = sha256(String.join("\n", kept));
        if (run.previous != null && !run.hash.equals(run.previous.hash())) {
            run.diff = TextDiff.of(run.previous.lines(), kept, job.watch() + " " + run.previous.takenAt(), job.watch() + " now",
                    STORED_DIFF_CHARS);
        }
    }

    /** Rows mode: the page's rows, in batches, for routes/source-batches.camel.yaml to land in the job's dataset. */
    public Iterator<List<SourceRow>> rows(Exchange exchange) throws com.fasterxml.jackson.core.JsonProcessingException {
        WatchRun run = run(exchange);
        exchange.getMessage().setBody(run.data);
        Dataset dataset = imports.dataset(run.data);
        SourceRun source = imports.begin(exchange, dataset, run.url, false, null);
        RecordSource records = run.records != null
                ? new HttpApiIngest.PageRecords(JsonNodeFactory.instance.arrayNode().addAll(run.records), 1, limits,
                        new FlatRecords(limits.maxColumns(), List.of()))
                : new PageRows(List.copyOf(run.job.rows().columns().keySet()), run.rows);
        run.rows = null;
        run.records = null;
        return imports.batches(source, records);
    }

    /** Stores the snapshot (or moves the newest one's checked_at), lets go of the watch, and answers what the run found. */
    public void record(Exchange exchange) {
        WatchRun run = run(exchange);
        boolean stored = run.previous == null || !run.hash.equals(run.previous.hash());
        Instant at = stored ? snapshots.record(run) : snapshots.checked(run);
        snapshots.release(run.job.watch(), run.jobUuid);

        Map<String, Object> response = new LinkedHashMap<>();
        Object imported = exchange.getVariable(JobExecution.RESPONSE);
        if (imported instanceof Map<?, ?> counts) {
            counts.forEach((name, value) -> response.put(name.toString(), value));
        }
        boolean changed = run.changed();
        response.put("watch", run.job.watch());
        response.put("url", run.url);
        response.put("not_modified", run.notModified);
        response.put("changed", changed);
        response.put("lines", run.lines.size());
        response.put("lines_added", run.diff == null ? 0 : run.diff.linesAdded());
        response.put("lines_removed", run.diff == null ? 0 : run.diff.linesRemoved());
        String diff = run.diff == null ? "" : run.diff.unified();
        response.put("diff", diff.length() > maxDiffChars ? diff.substring(0, maxDiffChars) + "… (cut at " + maxDiffChars
                + " characters; GET /common/watches/" + run.job.watch() + "/changes has more)" : diff);
        response.put("previous_at", run.previous == null ? null : run.previous.takenAt().toString());
        response.put("snapshot_at", stored ? at.toString() : run.previous.takenAt().toString());
        response.put("notify", notify(run));
        exchange.setVariable(JobExecution.RESPONSE, response);
        String message = run.previous == null ? "The watch " + run.job.watch() + " stored its baseline: " + run.lines.size() + " lines"
                : changed ? "The watch " + run.job.watch() + " changed: " + run.diff.linesAdded() + " lines added, "
                + run.diff.linesRemoved() + " removed"
                : "The watch " + run.job.watch() + " is unchanged since " + run.previous.takenAt()
                + (run.notModified ? " (the server answered 304 Not Modified)" : "");
        Object importMessage = exchange.getVariable(JobExecution.MESSAGE);
        exchange.setVariable(JobExecution.MESSAGE, importMessage == null ? message : message + "; " + importMessage);
    }

    /** Whether the run asks for a notice, by job_data.notify_when: a condition that begins to hold at this run. */
    static boolean notify(WatchRun run) {
        return switch (run.job.notifyWhen()) {
            case CHANGED -> run.changed();
            case ADDED -> run.changed() && run.diff.linesAdded() > 0;
            case CONTAINS -> contains(run.lines, run.job.text()) && (run.previous == null || !contains(run.previous.lines(), run.job.text()));
            case NOT_CONTAINS -> !contains(run.lines, run.job.text()) && (run.previous == null || contains(run.previous.lines(), run.job.text()));
        };
    }

    private static boolean contains(List<String> lines, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lines.stream().anyMatch(line -> line.toLowerCase(Locale.ROOT).contains(lower));
    }

    /** The body, at most WATCH_MAX_BYTES: refused by its Content-Length before a byte is read, or once one more was read. */
    private byte[] read(Message message, String url) throws IOException {
        Long length = message.getHeader("Content-Length", Long.class);
        if (length != null && length > maxBytes) {
            message.setBody(null);
            throw new ImportRejected("ERR_WATCH_TOO_LARGE: " + url + " answers " + length + " bytes, more than WATCH_MAX_BYTES ("
                    + maxBytes + ")");
        }
        InputStream body = message.getBody(InputStream.class);
        message.setBody(null);
        if (body == null) {
            return new byte[0];
        }
        try (body) {
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new ImportRejected("ERR_WATCH_TOO_LARGE: " + url + " answers more than WATCH_MAX_BYTES (" + maxBytes + ") bytes");
            }
            return bytes;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WatchRun run(Exchange exchange) {
        return exchange.getProperty(RUN, WatchRun.class);
    }

    /** Rows mode's rows by CSS: the columns the job names, numbered from 1 in the order the page holds them. */
    private static final class PageRows implements RecordSource {

        private final List<String> header;
        private final Iterator<List<String>> rows;
        private long number;
        private long characters;

        PageRows(List<String> header, List<List<String>> rows) {
            this.header = header;
            this.rows = rows.iterator();
        }

        @Override
        public List<String> header() {
            return header;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public SourceRow next() {
            List<String> values = rows.next();
            number++;
            characters += values.stream().mapToInt(String::length).sum() + values.size();
            return new SourceRow(number, values, characters, null);
        }

        @Override
        public void close() {
        }
    }
}
