package dev.dromedary.watch;

import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which headers go to a watched page and which of its answer's come back: out, only the run's own (the job's
 * headers, the User-Agent, the validators); in, only those the run reads, so that a page cannot set a header the
 * routes rely on.
 */
public final class WatchHeaders implements HeaderFilterStrategy {

    private static final List<String> ANSWER_HEADERS = List.of("retry-after", "location", "content-type", "content-length",
            "etag", "last-modified");

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        WatchRun run = exchange.getProperty(UrlWatch.RUN, WatchRun.class);
        return run == null || run.requestHeaders().keySet().stream().noneMatch(name::equalsIgnoreCase);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return !ANSWER_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }
}
