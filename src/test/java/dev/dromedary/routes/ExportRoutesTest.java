package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.exports.ExportFailed;
import dev.dromedary.testing.RouteFiles;
import dev.dromedary.testing.RouteTest;
import dev.dromedary.vql.VqlError;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

/**
 * routes/export-csv.camel.yaml with the export bean stubbed, under the shared policy of
 * routes/redelivery.camel.yaml: a failing step is tried again with a doubling delay, one that still fails goes
 * to the dead-letter route, and a query that cannot run fails at once.
 */
class ExportRoutesTest extends RouteTest {

    private final StubExport export = new StubExport();

    @Test
    void aPageWhoseSearchFailsTwiceIsSearchedAgainAfterADoublingDelayAndTheExportCompletes() {
        export.failingSearches = 2;

        Exchange done = template.send("direct:job-export_csv_file", exchange -> { });

        assertThat(done.getException()).isNull();
        assertThat(export.calls).containsExactly("begin", "nextPage", "nextPage", "nextPage", "append", "finish");
        // REDELIVERY_DELAY_MS of the test, not Camel's default second
        assertThat(export.gapsMillis()).as("redelivered after 40 ms, then 80 ms").satisfies(gaps -> {
            assertThat(gaps.get(1)).isBetween(40L, 999L);
            assertThat(gaps.get(2)).isGreaterThanOrEqualTo(80);
        });
    }

    @Test
    void aStepThatStillFailsAfterItsRedeliveriesGoesToTheDeadLetterRouteWhichFailsTheJob() {
        export.failingSearches = Integer.MAX_VALUE;

        Exchange done = template.send("direct:job-export_csv_file", exchange -> { });

        assertThat(export.calls).containsExactly("begin", "nextPage", "nextPage", "nextPage", "nextPage", "failed");
        assertThat(done.getException()).isInstanceOf(ExportFailed.class);
    }

    @Test
    void aQueryThatCannotRunAbortsAtOnceWithoutRedeliveryOrDeadLetter() {
        export.invalidQuery = true;

        Exchange done = template.send("direct:job-export_csv_file", exchange -> { });

        assertThat(export.calls).containsExactly("begin", "abort");
        assertThat(done.getException()).isInstanceOf(VqlError.class).hasMessageStartingWith("ERR_INVALID_VQL");
    }

    @Override
    protected Map<String, String> settings() {
        return QUICK_REDELIVERY;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("csvExport", export);
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.load(context, "redelivery.camel.yaml", "export-csv.camel.yaml").toArray(RoutesBuilder[]::new);
    }

    /** The methods of CsvExport that the export's routes call: one page, whose search fails as often as told. */
    public static final class StubExport {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Long> times = new CopyOnWriteArrayList<>();
        volatile int failingSearches;
        volatile boolean invalidQuery;
        private volatile boolean more = true;

        private void call(String method) {
            calls.add(method);
            times.add(System.nanoTime());
        }

        List<Long> gapsMillis() {
            List<Long> gaps = new java.util.ArrayList<>();
            for (int i = 1; i < times.size(); i++) {
                gaps.add((times.get(i) - times.get(i - 1)) / 1_000_000);
            }
            return gaps;
        }

        public void begin() {
            call("begin");
            if (invalidQuery) {
                throw new VqlError("ERR_INVALID_VQL: limit is the page size, a whole number from 1 to 10000");
            }
        }

        public boolean hasMore() {
            return more;
        }

        public String nextPage() throws IOException {
            call("nextPage");
            if (failingSearches-- > 0) {
                throw new IOException("Connection refused: Elasticsearch");
            }
            return "uuid\nabc\n";
        }

        public void append() {
            call("append");
            more = false;
        }

        public void finish() {
            call("finish");
        }

        public void abort() {
            call("abort");
        }

        public void failed() {
            call("failed");
            throw new ExportFailed("the export failed after 3 redeliveries");
        }
    }
}
