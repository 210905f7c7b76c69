package dev.dromedary.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.datasets.Datasets;
import dev.dromedary.rows.RowBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class FacetValuesTest {

    @Test
    void valuesSentAreNotSentAgainUntilWhatIsRememberedIsFullThenTheyAreSentAgainForTheInsertToKeepOnce() throws Exception {
        Datasets datasets = Datasets.load(List.of(Path.of("datasets")), "");
        FacetValues facets = new FacetValues(3);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        FacetValues.startJob(exchange);

        assertThat(send(datasets, facets, exchange, "A", "B")).containsExactly("A", "B");
        assertThat(send(datasets, facets, exchange, "A", "B", "C", "D")).as("A and B remembered").containsExactly("C", "D");
        assertThat(send(datasets, facets, exchange, "A", "B", "C", "D", "E")).as("three remembered, no more")
                .containsExactly("D", "E");
    }

    /** The countries of a batch's rows that are sent to filters_data; they are marked sent, as after the insert. */
    private static List<String> send(Datasets datasets, FacetValues facets, Exchange exchange, String... countries) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String country : countries) {
            rows.add(Map.of("uuid", java.util.UUID.randomUUID(), "country", country));
        }
        exchange.getMessage().setBody(new RowBatch("job", datasets.get("contact"), "uuid,country", 1, List.of(), rows,
                rows.stream().map(row -> 1L).toList(), List.of()));
        List<Map<String, Object>> values = facets.newValues(exchange);
        exchange.getMessage().setBody(values);
        facets.markSent(exchange);
        return values.stream().map(value -> (String) value.get("value")).toList();
    }
}
