package dev.dromedary.sinks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An index's refresh interval while imports write to it ({@code IMPORT_REFRESH_INTERVAL}; -1 refreshes
 * not at all), so that Elasticsearch spends its time indexing rather than making segments searchable.
 * Once the last import of this instance into the index ends, the index's own interval is back and one
 * refresh makes every document searchable at once.
 */
public final class IndexRefresh {

    private static final Logger LOG = LoggerFactory.getLogger(IndexRefresh.class);

    private final RestClient elasticsearch;
    private final String intervalDuringImports;
    private final Map<String, Integer> importsInto = new HashMap<>();

    /** {@code intervalDuringImports} empty leaves every index's interval alone. */
    public IndexRefresh(RestClient elasticsearch, String intervalDuringImports) {
        this.elasticsearch = elasticsearch;
        this.intervalDuringImports = intervalDuringImports;
    }

    /** An import into {@code index} begins. */
    public synchronized void importBegins(String index) throws IOException {
        if (intervalDuringImports.isEmpty()) {
            return;
        }
        if (importsInto.merge(index, 1, Integer::sum) == 1) {
            setInterval(index, "\"" + intervalDuringImports + "\"");
        }
    }

    /** An import into {@code index} ended, however it ended. */
    public synchronized void importEnded(String index) {
        if (intervalDuringImports.isEmpty() || !importsInto.containsKey(index)) {
            return;
        }
        if (importsInto.merge(index, -1, Integer::sum) == 0) {
            importsInto.remove(index);
            restore(index);
        }
    }

    /**
     * At start-up: gives an index left paused (by an instance that died during an import) its own interval
     * back, with one refresh.
     */
    public void restoreIfPaused(String index) throws IOException {
        if (intervalDuringImports.isEmpty()) {
            return;
        }
        Request current = new Request("GET", "/" + index + "/_settings/index.refresh_interval");
        current.addParameter("flat_settings", "true");
        String answer;
        try (InputStream content = elasticsearch.performRequest(current).getEntity().getContent()) {
            answer = new String(content.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (answer.contains("\"index.refresh_interval\":\"" + intervalDuringImports + "\"")) {
            LOG.info("The index {} was left without refreshes by an import that did not end; giving it its interval back", index);
            restore(index);
        }
    }

    private void restore(String index) {
        try {
            setInterval(index, "null");
            elasticsearch.performRequest(new Request("POST", "/" + index + "/_refresh"));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not give the index {} its refresh interval back; set index.refresh_interval yourself", index, e);
        }
    }

    private void setInterval(String index, String interval) throws IOException {
        Request settings = new Request("PUT", "/" + index + "/_settings");
        settings.setJsonEntity("{\"index\": {\"refresh_interval\": " + interval + "}}");
        elasticsearch.performRequest(settings);
    }
}
