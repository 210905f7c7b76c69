package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BatchesInFlightTest {

    private static final int ROWS = 10;

    @Test
    void theCheckpointMovesOnlyOverBatchesThatAllCommitted() throws Exception {
        BatchesInFlight batches = new BatchesInFlight("id", 0);
        RowBatch first = batch(1, "a");
        RowBatch second = batch(2, "b");
        RowBatch third = batch(3, "c");
        batches.enter(first);
        batches.enter(second);
        batches.enter(third);

        assertThat(batches.committed(second)).isEmpty();
        assertThat(batches.committed(first)).extracting(BatchesInFlight.Committed::number).containsExactly(1, 2);
        assertThat(batches.committed(third)).singleElement().satisfies(committed -> {
            assertThat(committed.lastRow()).isEqualTo(3 * ROWS);
            assertThat(committed.endOffset()).isEqualTo(3 * ROWS * 100);
            assertThat(committed.rowsRead()).isEqualTo(ROWS);
        });
    }

    @Test
    void aBatchWaitsForAnEarlierOneThatHoldsOneOfItsKeys() throws Exception {
        BatchesInFlight batches = new BatchesInFlight("id", 0);
        RowBatch first = batch(1, "a", "shared");
        batches.enter(first);
        batches.enter(batch(2, "b"));

        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> enter(batches, batch(3, "shared", "c")));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());

        batches.committed(first);
        await().atMost(Duration.ofSeconds(5)).until(third::isDone);
    }

    @Test
    void batchesEnterInTheOrderOfTheirNumbers() throws Exception {
        BatchesInFlight batches = new BatchesInFlight("id", 4);
        CompletableFuture<Void> sixth = CompletableFuture.runAsync(() -> enter(batches, batch(6, "f")));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !sixth.isDone());

        batches.enter(batch(5, "e"));
        await().atMost(Duration.ofSeconds(5)).until(sixth::isDone);
    }

    @Test
    void anAbandonedImportReleasesEveryBatchThatWaits() throws Exception {
        BatchesInFlight batches = new BatchesInFlight("id", 0);
        RowBatch first = batch(1, "a");
        batches.enter(first);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> enter(batches, batch(2, "a")));
        CompletableFuture<Void> fourth = CompletableFuture.runAsync(() -> enter(batches, batch(4, "d")));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone() && !fourth.isDone());

        batches.abandon();
        await().atMost(Duration.ofSeconds(5)).until(() -> second.isDone() && fourth.isDone());
    }

    /** A batch of {@value #ROWS} rows, the first ones holding the given keys, the others keys of their own. */
    private static RowBatch batch(int number, String... keys) {
        List<SourceRow> source = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            long row = (long) (number - 1) * ROWS + i + 1;
            source.add(new SourceRow(row, List.of(), row * 100, null));
            rows.add(Map.of("id", i < keys.length ? keys[i] : number + "-" + i));
        }
        return new RowBatch("job", null, "id", number, source, rows, source.stream().map(SourceRow::number).toList(), List.of());
    }

    private static void enter(BatchesInFlight batches, RowBatch batch) {
        try {
            batches.enter(batch);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
