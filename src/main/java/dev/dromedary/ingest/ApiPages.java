package dev.dromedary.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.imports.SourceRun;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where an ingest_http_api job stands among the API's pages: the next page's request (its page number, offset,
 * cursor or URL), the pages landed, and whether any is left. Its {@link #position} is the job's checkpoint, so
 * that a resumed job asks for the page after the last one committed.
 */
public final class ApiPages {

    private final ApiJob job;
    private final Map<String, String> headers;
    final SourceRun run;
    private int page;
    private long offset;
    private String cursor;
    /** The next page's URL as the API gave it (a Link header's), or null: the job's url with the paging parameters. */
    private String nextUrl;
    /** Where the current request goes instead, having been redirected there. */
    String redirectedTo;
    int redirects;
    int pagesLanded;
    int retriesOfThisPage;
    boolean done;
    private long lastRequestNanos;
    /** The fields seen over the pages, the header of their rows. */
    dev.dromedary.formats.FlatRecords flat;

    ApiPages(ApiJob job, Map<String, String> headers, SourceRun run) {
        this.job = job;
        this.headers = headers;
        this.run = run;
        this.page = job.pagination().firstPage();
        JsonNode resume = run.resumeAt();
        if (resume != null) {
            page = resume.path("page").asInt(page);
            offset = resume.path("offset").asLong(0);
            cursor = resume.path("cursor").asText(null);
            nextUrl = resume.path("next_url").asText(null);
            pagesLanded = resume.path("pages").asInt(0);
            done = resume.path("done").asBoolean(false);
        }
    }

    ApiJob job() {
        return job;
    }

    /** The request headers, secrets resolved. */
    Map<String, String> headers() {
        return headers;
    }

    /** Whether another page is to be fetched. */
    public boolean hasNext() {
        return !done && pagesLanded < job.maxPages() && run.overBudget() == null && !run.stoppedEarly();
    }

    /** The URL of the next request: the job's url with the page's parameters, the API's next link, or a redirect's. */
    public String url() {
        if (redirectedTo != null) {
            return redirectedTo;
        }
        if (nextUrl != null) {
            return nextUrl;
        }
        ApiJob.Pagination paging = job.pagination();
        StringBuilder url = new StringBuilder(job.url());
        switch (paging.type()) {
            case "page" -> parameter(url, paging.pageParam(), String.valueOf(page));
            case "offset" -> parameter(url, paging.offsetParam(), String.valueOf(offset));
            case "cursor" -> {
                if (cursor != null) {
                    parameter(url, paging.cursorParam(), cursor);
                }
            }
            default -> {
            }
        }
        if (paging.pageSize() != null && !paging.type().equals("link") && !paging.type().equals("none")) {
            parameter(url, paging.sizeParam(), String.valueOf(paging.pageSize()));
        }
        return url.toString();
    }

    public String method() {
        return job.method();
    }

    /**
     * Waits until the next request keeps the job within rate_limit requests a second, evenly spaced. Java rather
     * than the throttle EIP: correlated by job, its TotalRequests mode let 6 of 5-a-second requests through
     * within 424 ms in IngestHttpApiIT (CAMEL-25300: a state's clean hands out a second set of permits).
     */
    void awaitTurn() throws InterruptedException {
        long spacing = 1_000_000_000L / job.rateLimit();
        long wait = lastRequestNanos == 0 ? 0 : lastRequestNanos + spacing - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        lastRequestNanos = System.nanoTime();
    }

    /** Moves past a page that landed with {@code records} records; {@code cursor} and {@code next} as its answer gave them. */
    void advance(int records, String nextCursor, String nextLink) {
        ApiJob.Pagination paging = job.pagination();
        pagesLanded++;
        retriesOfThisPage = 0;
        redirectedTo = null;
        redirects = 0;
        boolean shortPage = records == 0 || paging.pageSize() != null && records < paging.pageSize();
        switch (paging.type()) {
            case "page" -> {
                page++;
                done = shortPage;
            }
            case "offset" -> {
                offset += records;
                done = shortPage;
            }
            case "cursor" -> {
                cursor = nextCursor;
                done = nextCursor == null || nextCursor.isEmpty() || records == 0;
            }
            case "link" -> {
                nextUrl = nextLink;
                done = nextLink == null;
            }
            default -> done = true;
        }
    }

    /** The checkpoint's position: the next page's request. */
    JsonNode position() {
        ObjectNode position = JsonNodeFactory.instance.objectNode();
        position.put("page", page).put("offset", offset).put("cursor", cursor).put("next_url", nextUrl)
                .put("pages", pagesLanded).put("done", done).put("request", url());
        return position;
    }

    private static void parameter(StringBuilder url, String name, String value) {
        url.append(url.indexOf("?") < 0 ? '?' : '&').append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
