package dev.dromedary.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.app.Settings;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.formats.FlatRecords;
import dev.dromedary.formats.RecordSource;
import dev.dromedary.imports.ImportRejected;
import dev.dromedary.imports.SourceImport;
import dev.dromedary.imports.SourceRun;
import dev.dromedary.jobs.AllowedUrls;
import dev.dromedary.rows.FileText;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * The ingest_http_api job type's steps that no component does: the job checked (its URL under
 * HTTP_SOURCES_ALLOWED, its secrets resolved from the settings), each page's request, and each answer read: its
 * records flattened as JSON Lines rows are, the next page found (page number, offset, cursor, Link header), a 429
 * or 503 waited out as its Retry-After says, a redirect followed only under HTTP_SOURCES_ALLOWED. camel-http
 * sends the requests (routes/ingest-http.camel.yaml).
 */
public final class HttpApiIngest {

    public static final String PAGES = "apiPages";
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?", Pattern.CASE_INSENSITIVE);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_WAITS_OF_A_PAGE = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final AllowedUrls allowed;
    private final SourceImport imports;
    private final RecordLimits limits;
    private final BooleanSupplier stopping;
    private final int maxAnswerBytes;
    private final Duration maxRetryAfter;
    private final int defaultRateLimit;

    public HttpApiIngest(Settings settings, AllowedUrls allowed, SourceImport imports, RecordLimits limits,
                         BooleanSupplier stopping) {
        this.settings = settings;
        this.allowed = allowed;
        this.imports = imports;
        this.limits = limits;
        this.stopping = stopping;
        this.maxAnswerBytes = settings.integer("HTTP_API_MAX_ANSWER_BYTES");
        this.maxRetryAfter = Duration.ofSeconds(settings.integer("HTTP_API_MAX_RETRY_AFTER_SECONDS"));
        this.defaultRateLimit = settings.integer("HTTP_API_RATE_LIMIT");
    }

    /** Checks a job's data as the API receives it: IllegalArgumentException for what is malformed, SourceNotAllowed for its URL. */
    public void check(Map<?, ?> data) {
        ApiJob job = ApiJob.of(data, defaultRateLimit);
        if (!allowed.allows(job.url())) {
            throw new SourceNotAllowed(allowed.refusal("job_data.url", job.url()));
        }
    }

    /** Checks the job, resolves its secrets, and begins its run at its first page or at the page after its checkpoint. */
    public void begin(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        Map<?, ?> data = exchange.getMessage().getMandatoryBody(Map.class);
        ApiJob job;
        try {
            job = ApiJob.of(data, defaultRateLimit);
        } catch (IllegalArgumentException e) {
            throw new ImportRejected("ERR_INVALID_JOB_DATA: " + e.getMessage());
        }
        if (!allowed.allows(job.url())) {
            throw new ImportRejected("ERR_SOURCE_NOT_ALLOWED: " + allowed.refusal("job_data.url", job.url()));
        }
        Map<String, String> headers = RequestHeaders.resolved(settings, job.headers());
        Dataset dataset = imports.dataset(data);
        SourceRun run = imports.begin(exchange, dataset, job.url(), true, null);
        ApiPages pages = new ApiPages(job, headers, run);
        if (!allowed.allows(pages.url())) {
            throw new ImportRejected("ERR_SOURCE_NOT_ALLOWED: the checkpoint's next page " + allowed.refusal("job_data.url", pages.url()));
        }
        exchange.setProperty(PAGES, pages);
    }

    /**
     * The next page's request on the message (its URL, method and the job's headers, nothing else of the job's),
     * once the job's rate_limit lets it go.
     */
    public void request(Exchange exchange) throws InterruptedException {
        ApiPages pages = pages(exchange);
        pages.awaitTurn();
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_URI, pages.url());
        message.setHeader(Exchange.HTTP_METHOD, pages.method());
        message.removeHeaders("Retry-After|Link|Location|Content-Type|Content-Length");
        // camel-http converts every header to text before its filter leaves it out, and a JSON one (the job's
        // checkpoint, read at the start) fails that conversion
        message.getHeaders().values().removeIf(value -> !(value instanceof CharSequence || value instanceof Number
                || value instanceof Boolean));
        pages.headers().forEach(message::setHeader);
        message.setBody(null);
    }

    /**
     * Reads the answer: a 2xx's records become the page's rows in batches (the body); a 429 or 503 is waited out
     * (Retry-After, at most HTTP_API_MAX_RETRY_AFTER_SECONDS) and the page asked for again; a redirect under
     * HTTP_SOURCES_ALLOWED is followed; another 5xx is a SourceFailed, for the route to send the request again
     * with backoff; a 4xx fails the job with the answer's first 200 characters.
     */
    public Iterator<List<SourceRow>> answer(Exchange exchange) throws IOException, InterruptedException {
        ApiPages pages = pages(exchange);
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String url = pages.url();
        if (status >= 200 && status < 300) {
            JsonNode answer = read(message, url);
            JsonNode records = pages.job().records().isEmpty() ? answer : answer.at(pages.job().records());
            if (!records.isArray()) {
                throw new ImportRejected("ERR_UNEXPECTED_ANSWER: the answer of " + url + " holds no array at "
                        + (pages.job().records().isEmpty() ? "its top (job_data.records is empty)" : pages.job().records()));
            }
            String cursor = answer.at(pages.job().pagination().cursorPath()).asText(null);
            String next = nextLink(message.getHeader("Link", String.class), url);
            if (next != null && (!allowed.allows(next) || next.contains("{{"))) {
                throw new ImportRejected("ERR_SOURCE_NOT_ALLOWED: the next page the API links to, " + allowed.refusal("Link", next));
            }
            exchange.setProperty(PAGE_ANSWER, new PageAnswer(records.size(), cursor, next));
            return imports.batches(pages.run, new PageRecords(records, pages.run.nextRowNumber(), limits, flat(pages)));
        }
        exchange.removeProperty(PAGE_ANSWER);
        // what the answer says, read now: a closed stream must not stay the body for a later step to read
        String text = excerpt(message);
        message.setBody(null);
        if (status == 429 || status == 503) {
            waitOut(pages, message.getHeader("Retry-After", String.class), status, url);
            return Collections.emptyIterator();
        }
        if (status >= 300 && status < 400 && message.getHeader("Location") != null) {
            String location = URI.create(url).resolve(message.getHeader("Location", String.class)).toString();
            if (!allowed.allows(location) || location.contains("{{") || ++pages.redirects > MAX_REDIRECTS) {
                throw new ImportRejected("ERR_SOURCE_NOT_ALLOWED: " + url + " redirects to " + location + ", which is not followed: "
                        + allowed.refusal("the redirect", location));
            }
            pages.redirectedTo = location;
            return Collections.emptyIterator();
        }
        if (status >= 500) {
            throw new SourceFailed(url + " answered " + status + ": " + text);
        }
        throw new ImportRejected("ERR_SOURCE_ANSWERED_" + status + ": " + url + " answered " + status + ": " + text);
    }

    /** After a page's rows landed: the checkpoint moves to the next page's request. */
    public void pageLanded(Exchange exchange) throws JsonProcessingException {
        ApiPages pages = pages(exchange);
        PageAnswer answer = exchange.getProperty(PAGE_ANSWER, PageAnswer.class);
        if (answer == null || pages.run.stoppedEarly() || pages.run.overBudget() != null) {
            return;
        }
        pages.advance(answer.records(), answer.cursor(), answer.next());
        imports.resumeAt(pages.run, pages.position());
    }

    private static final String PAGE_ANSWER = "apiPageAnswer";

    private record PageAnswer(int records, String cursor, String next) {
    }

    /** One per run: the header grows over every page. */
    private FlatRecords flat(ApiPages pages) {
        if (pages.flat == null) {
            pages.flat = new FlatRecords(limits.maxColumns(), List.of());
        }
        return pages.flat;
    }

    /** The answer as JSON, read up to HTTP_API_MAX_ANSWER_BYTES; the message keeps no body (its stream is closed). */
    private JsonNode read(Message message, String url) throws IOException {
        InputStream body = message.getBody(InputStream.class);
        message.setBody(null);
        if (body == null) {
            throw new ImportRejected("ERR_UNEXPECTED_ANSWER: " + url + " answered with no body");
        }
        try (body) {
            byte[] bytes = body.readNBytes(maxAnswerBytes + 1);
            if (bytes.length > maxAnswerBytes) {
                throw new ImportRejected("ERR_ANSWER_TOO_LARGE: the answer of " + url + " is larger than HTTP_API_MAX_ANSWER_BYTES ("
                        + maxAnswerBytes + "); ask for smaller pages (job_data.pagination.page_size)");
            }
            try {
                return JSON.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw new ImportRejected("ERR_UNEXPECTED_ANSWER: the answer of " + url + " is not JSON: " + e.getOriginalMessage());
            }
        }
    }

    private void waitOut(ApiPages pages, String retryAfter, int status, String url) throws InterruptedException {
        if (++pages.retriesOfThisPage > MAX_WAITS_OF_A_PAGE) {
            throw new SourceFailed(url + " answered " + status + " " + MAX_WAITS_OF_A_PAGE + " times in a row");
        }
        Duration wait = retryAfter(retryAfter);
        if (wait.compareTo(maxRetryAfter) > 0) {
            wait = maxRetryAfter;
        }
        waitUnlessStopping(wait, stopping);
    }

    /** Waits {@code wait}, or until the instance stops. */
    public static void waitUnlessStopping(Duration wait, BooleanSupplier stopping) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < until && !stopping.getAsBoolean()) {
            Thread.sleep(Math.max(1, Math.min(200, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Retry-After in seconds or as an HTTP date; one second when absent or unreadable. */
    public static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Duration.ofSeconds(1);
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (java.time.DateTimeException notADate) {
                return Duration.ofSeconds(1);
            }
        }
    }

    /** The rel="next" target of an RFC 8288 Link header, resolved against the page's URL; null when there is none. */
    static String nextLink(String header, String base) {
        if (header == null) {
            return null;
        }
        Matcher link = NEXT_LINK.matcher(header);
        return link.find() ? URI.create(base).resolve(link.group(1).trim()).toString() : null;
    }

    /** The first 200 characters of an answer's body, quoted, for an error; the body is read and closed. */
    public static String excerpt(Message message) {
        try (InputStream body = message.getBody(InputStream.class)) {
            if (body == null) {
                return "";
            }
            String text = new String(body.readNBytes(800), StandardCharsets.UTF_8);
            return FileText.quote(text.length() > 200 ? text.substring(0, 200) : text);
        } catch (IOException e) {
            return "(the answer could not be read: " + e.getMessage() + ")";
        }
    }

    private static ApiPages pages(Exchange exchange) {
        return exchange.getProperty(PAGES, ApiPages.class);
    }

    /** The records of one answer as rows numbered on from the rows before them; {@code end} counts their characters. */
    public static final class PageRecords implements RecordSource {

        private final Iterator<JsonNode> records;
        private final RecordLimits limits;
        private final FlatRecords flat;
        private long number;
        private long characters;

        public PageRecords(JsonNode records, long firstNumber, RecordLimits limits, FlatRecords flat) {
            this.records = records.elements();
            this.limits = limits;
            this.flat = flat;
            this.number = firstNumber - 1;
        }

        @Override
        public List<String> header() {
            return flat.header();
        }

        @Override
        public boolean headerGrows() {
            return true;
        }

        @Override
        public boolean hasNext() {
            return records.hasNext();
        }

        @Override
        public SourceRow next() {
            JsonNode record = records.next();
            number++;
            String text = record.toString();
            characters += text.length() + 1;
            if (!record.isObject()) {
                return new SourceRow(number, List.of(FileText.quote(text)), characters, "record " + number + " is a JSON "
                        + record.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not an object");
            }
            if (text.length() > limits.maxRecordBytes()) {
                return new SourceRow(number, List.of(FileText.quote(text.substring(0, FileText.MAX_QUOTED_CHARS))), characters,
                        "the record is " + text.length() + " characters long; a row holds at most " + limits.maxRecordBytes()
                        + " (MAX_RECORD_BYTES)");
            }
            List<String> values = flat.values(record);
            if (values == null) {
                return new SourceRow(number, List.of(FileText.quote(text)), characters, "the object has "
                        + FlatRecords.valueCount(record) + " values; a row holds at most " + limits.maxColumns() + " (MAX_COLUMNS)");
            }
            return new SourceRow(number, values, characters, null);
        }

        @Override
        public void close() {
        }
    }
}
