package dev.dromedary.ingest;

import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which headers go to an API an ingest_http_api job reads, and which of its answer's come back: out, only those
 * the job asks for (not the job's own headers, JobUuid and the like); in, only those the paging reads, so that an
 * answer cannot set a header the routes rely on.
 */
public final class ApiHeaders implements HeaderFilterStrategy {

    private static final List<String> ANSWER_HEADERS = List.of("retry-after", "link", "location", "content-type", "content-length");

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        ApiPages pages = exchange.getProperty(HttpApiIngest.PAGES, ApiPages.class);
        return pages == null || pages.headers().keySet().stream().noneMatch(name::equalsIgnoreCase);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return !ANSWER_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }
}
