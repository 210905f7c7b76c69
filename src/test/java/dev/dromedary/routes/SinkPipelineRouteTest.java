package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import dev.dromedary.sinks.BatchFailed;
import dev.dromedary.sinks.FailedBatches;
import dev.dromedary.testing.RouteFiles;
import dev.dromedary.testing.RouteTest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/sinks.camel.yaml with its sinks stubbed in the registry and the dead-letter table a mock: what a
 * batch sent to direct:write-batch does to each sink, whatever sent it. Only the routing is under test here;
 * what lands in each real sink is the ITs'.
 */
class SinkPipelineRouteTest extends RouteTest {

    private static final Dataset CONTACT = new Dataset("contact", "contacts", "contacts", "uuid", false,
            List.of(new Column("uuid", ColumnType.KEYWORD), new Column("first_name", ColumnType.TEXT)), List.of(), Map.of(), Map.of(),
            dev.dromedary.processing.RowRules.NONE);

    private final StubPostgres postgres = new StubPostgres();
    private final StubElasticsearch elasticsearch = new StubElasticsearch();
    private final StubChangeDetection changes = new StubChangeDetection();
    private final List<RowBatch> mirrorKeysRecorded = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deadLettersAreAMock() throws Exception {
        for (String route : List.of("record-rejected-rows", "failed-batch")) {
            AdviceWith.adviceWith(context, route, advice ->
                    advice.weaveByToString("to\\[sql:classpath:sql/imports/insert-dead-letters.sql.*\\]").replace().to("mock:dead-letters"));
        }
        AdviceWith.adviceWith(context, "record-facet-values", advice ->
                advice.weaveByToString("to\\[sql:classpath:sql/imports/insert-facet-values.sql.*\\]").replace().to("mock:facet-values"));
        context.start();
    }

    @Test
    void aSinkThatFailsTwiceIsTriedAgainAfterADoublingDelayAndTheBatchComesBackCommitted() {
        postgres.failures = 2;

        Exchange done = template.send("direct:write-batch", exchange -> exchange.getMessage().setBody(batch(3, List.of())));

        assertThat(done.getException()).isNull();
        assertThat(postgres.written).as("one write committed, after two that failed").hasSize(1);
        assertThat(postgres.gapsMillis()).satisfies(gaps -> {
            assertThat(gaps.get(0)).isBetween(40L, 999L);
            assertThat(gaps.get(1)).isGreaterThanOrEqualTo(80);
        });
        assertThat(elasticsearch.indexed).as("Elasticsearch took the batch once").hasSize(1);
        assertThat(getMockEndpoint("mock:dead-letters").getReceivedCounter()).isZero();
        assertThat(done.getMessage().getBody()).isInstanceOf(RowBatch.class);
    }

    @Test
    void rowsTheTableHoldsUnchangedGoToNoSinkAndTheBatchCountsThemAsUnchangedNotAsDuplicates() {
        changes.unchangedKeys.add("k2");

        Exchange done = template.send("direct:write-batch", exchange -> exchange.getMessage().setBody(batch(3, List.of())));

        assertThat(done.getException()).isNull();
        assertThat(elasticsearch.indexed.get(0).rows()).extracting(row -> row.get("uuid")).containsExactly("k1", "k3");
        assertThat(postgres.written.get(0).rows()).extracting(row -> row.get("uuid")).containsExactly("k1", "k3");
        RowBatch committed = done.getMessage().getBody(RowBatch.class);
        assertThat(committed.unchanged()).isEqualTo(1);
        assertThat(committed.duplicates()).isZero();
        assertThat(committed.inserted()).as("k1 and k3 were not in the table").isEqualTo(2);
    }

    @Test
    void aMirrorsBatchHasEveryValidKeyRecordedBeforeChangeDetectionLeavesAnyOutAndAnotherImportsHasNone() {
        changes.unchangedKeys.add("k2");

        template.send("direct:write-batch", exchange -> {
            exchange.setProperty("mirror", true);
            exchange.getMessage().setBody(batch(3, List.of()));
        });
        template.send("direct:write-batch", exchange -> exchange.getMessage().setBody(batch(2, List.of())));

        assertThat(mirrorKeysRecorded).hasSize(1);
        assertThat(mirrorKeysRecorded.get(0).rows()).extracting(row -> row.get("uuid")).containsExactly("k1", "k2", "k3");
    }

    @Test
    void aBatchThatStillFailsAfterItsRedeliveriesIsDeadLetteredWholeAndItsSenderGetsBatchFailed() {
        postgres.failures = Integer.MAX_VALUE;

        Exchange done = template.send("direct:write-batch", exchange -> exchange.getMessage().setBody(batch(3, List.of())));

        assertThat(postgres.attempts).as("1 attempt and MAX_REDELIVERIES 3").hasSize(4);
        assertThat(done.getException(BatchFailed.class)).as("the sender's onException matches it in the cause chain").isNotNull()
                .hasMessageStartingWith("batch 1 (rows 1-3) failed after 3 redeliveries: ");
        MockEndpoint deadLetters = getMockEndpoint("mock:dead-letters");
        assertThat(deadLetters.getReceivedCounter()).isEqualTo(1);
        List<?> rows = deadLetters.getReceivedExchanges().get(0).getMessage().getBody(List.class);
        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(((Map<?, ?>) row).get("error").toString())
                .startsWith("batch 1 (rows 1-3) failed after 3 redeliveries"));
    }

    @Test
    void rejectedRowsAndRowsElasticsearchRefusesGoToTheDeadLettersOnlyAndNoOtherSinkWritesThem() {
        elasticsearch.refuse = "k2";
        RowBatch batch = batch(3, List.of(new RowBatch.Rejected(4, "k4,", "the key 'uuid' is empty")));

        Exchange done = template.send("direct:write-batch", exchange -> exchange.getMessage().setBody(batch));

        assertThat(done.getException()).isNull();
        assertThat(postgres.written.get(0).rows()).extracting(row -> row.get("uuid")).containsExactly("k1", "k3");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = getMockEndpoint("mock:dead-letters").getReceivedExchanges().get(0).getMessage().getBody(List.class);
        assertThat(rows).extracting(row -> row.get("row_number")).containsExactlyInAnyOrder(4L, 2L);
        assertThat(rows).extracting(row -> row.get("error")).containsExactlyInAnyOrder("the key 'uuid' is empty",
                "mapper_parsing_exception: refused");
    }

    private static RowBatch batch(int rows, List<RowBatch.Rejected> rejected) {
        List<SourceRow> source = new ArrayList<>();
        List<Map<String, Object>> valid = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            source.add(new SourceRow(i, List.of("k" + i, "Name " + i)));
            valid.add(Map.of("uuid", "k" + i, "first_name", "Name " + i));
            numbers.add((long) i);
        }
        rejected.forEach(row -> source.add(new SourceRow(row.rowNumber(), List.of("k" + row.rowNumber(), ""))));
        return new RowBatch("job-1", CONTACT, "uuid,first_name", 1, source, valid, numbers, rejected);
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected Map<String, String> settings() {
        return QUICK_REDELIVERY;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("changeDetection", changes);
        registry.bind("mirrorImport", new StubMirror(mirrorKeysRecorded));
        registry.bind("postgresUpsert", postgres);
        registry.bind("elasticsearchBulk", elasticsearch);
        registry.bind("facetValues", new StubFacetValues());
        registry.bind("failedBatches", new FailedBatches(3));
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.load(context, "redelivery.camel.yaml", "sinks.camel.yaml").toArray(RoutesBuilder[]::new);
    }

    /** MirrorImport's method: keeps the batches whose keys it was to record. */
    public static final class StubMirror {
        private final List<RowBatch> recorded;

        StubMirror(List<RowBatch> recorded) {
            this.recorded = recorded;
        }

        public void recordKeys(@Body RowBatch batch) {
            recorded.add(batch);
        }
    }

    /** ChangeDetection's method: the rows whose keys it is told the table holds as they are are unchanged. */
    public static final class StubChangeDetection {
        final java.util.Set<String> unchangedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

        public RowBatch skipUnchanged(@Body RowBatch batch) {
            List<Map<String, Object>> kept = new ArrayList<>();
            List<Long> numbers = new ArrayList<>();
            for (int i = 0; i < batch.rows().size(); i++) {
                if (!unchangedKeys.contains(batch.rows().get(i).get("uuid").toString())) {
                    kept.add(batch.rows().get(i));
                    numbers.add(batch.rowNumbers().get(i));
                }
            }
            return batch.changed(kept, numbers, batch.rows().size() - kept.size(), java.util.Set.copyOf(unchangedKeys));
        }
    }

    /** PostgresUpsertSink's method: fails as often as told, then keeps what it was given. */
    public static final class StubPostgres {
        final List<Long> attempts = new CopyOnWriteArrayList<>();
        final List<RowBatch> written = new CopyOnWriteArrayList<>();
        volatile int failures;

        public void write(@Body RowBatch batch) throws SQLException {
            attempts.add(System.nanoTime());
            if (failures-- > 0) {
                throw new SQLException("Connection to localhost:5432 refused", "08001");
            }
            written.add(batch);
        }

        List<Long> gapsMillis() {
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < attempts.size(); i++) {
                gaps.add((attempts.get(i) - attempts.get(i - 1)) / 1_000_000);
            }
            return gaps;
        }
    }

    /** ElasticsearchBulkSink's methods: takes every row but the one it is told to refuse for its content. */
    public static final class StubElasticsearch {
        final List<RowBatch> indexed = new CopyOnWriteArrayList<>();
        volatile String refuse;

        public boolean hasRows(@Body RowBatch batch) {
            return !batch.rows().isEmpty();
        }

        public RowBatch index(@Body RowBatch batch) {
            indexed.add(batch);
            return refuse == null ? batch : batch.refusing(Map.of(refuse, "mapper_parsing_exception: refused"));
        }
    }

    /** FacetValues' methods, with no facet to record. */
    public static final class StubFacetValues {
        public List<Map<String, Object>> newValues(Exchange exchange) {
            return List.of();
        }

        public void markSent(Exchange exchange) {
        }
    }
}
