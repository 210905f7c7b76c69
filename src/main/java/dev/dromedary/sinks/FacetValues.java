package dev.dromedary.sinks;

import dev.dromedary.datasets.Dataset;
import dev.dromedary.rows.RowBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * The facet values of a batch that this import has not sent to filters_data yet, as rows for its insert;
 * a value counts as sent once its insert has committed, so a redelivered batch sends it again. What was sent
 * is remembered for at most {@code remembered} values per job: past that a value is sent again, and the
 * insert's {@code ON CONFLICT DO NOTHING} keeps it once, so a file of millions of distinct values costs
 * inserts, not heap.
 */
public final class FacetValues {

    private static final String KEY = "facetKey";
    private static final String SENT = "facetValuesSent";

    private final int remembered;

    public FacetValues(int remembered) {
        this.remembered = remembered;
    }

    /** Starts the bookkeeping of one job: what it sends is not sent again. */
    public static void startJob(Exchange exchange) {
        exchange.setProperty(SENT, ConcurrentHashMap.<String>newKeySet());
    }

    public List<Map<String, Object>> newValues(Exchange exchange) {
        RowBatch batch = exchange.getMessage().getBody(RowBatch.class);
        Set<String> sent = sent(exchange);
        Dataset dataset = batch.dataset();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : batch.rows()) {
            for (String facet : dataset.facets()) {
                Object value = row.get(facet);
                for (Object each : value instanceof List<?> list ? list : value == null ? List.of() : List.of(value)) {
                    String text = each.toString();
                    String key = dataset.name() + '\u0000' + facet + '\u0000' + text;
                    if (!sent.contains(key)) {
                        rows.add(Map.of("dataset", dataset.name(), "facet", facet, "value", text, KEY, key));
                    }
                }
            }
        }
        // in one order in every batch: batches written at once then take the values' locks in the same order
        return rows.stream().distinct().sorted(Comparator.comparing(row -> (String) row.get(KEY))).toList();
    }

    public void markSent(Exchange exchange) {
        Set<String> sent = sent(exchange);
        List<?> rows = exchange.getMessage().getBody(List.class);
        for (Object row : rows) {
            if (sent.size() >= remembered) {
                return;
            }
            sent.add((String) ((Map<?, ?>) row).get(KEY));
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> sent(Exchange exchange) {
        return exchange.getProperty(SENT, Set.class);
    }
}
