package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.formats.DelimitedReader;
import dev.dromedary.formats.Dialect;
import dev.dromedary.rows.RecordLimits;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The import's batches in a split made as routes/insert-csv.camel.yaml makes it, with a stop that comes while a batch is written. */
class BatchesUntilStoppedTest {

    private static final int ROWS = 1000;

    @Test
    void aStopAskedWhileABatchIsWrittenEndsTheSplitOnlyOnceEveryBatchHandedOutIsWritten() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean stoppedWithRowsLeft = new AtomicBoolean();
        AtomicInteger handedOut = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        // the first batch written asks the stop, and goes on once the split took a batch after it, or ended
        CountDownLatch tookOnOrEnded = new CountDownLatch(1);
        StringBuilder file = new StringBuilder();
        for (int row = 1; row <= ROWS; row++) {
            file.append(row).append(",a\n");
        }
        RecordLimits oneRowABatch = new RecordLimits(1 << 20, 1000, 1, 1 << 20);
        BatchesUntilStopped batches = new BatchesUntilStopped(
                new RecordBatches(new DelimitedReader(new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)), 0, 1,
                        oneRowABatch, Dialect.RFC_4180), 0, oneRowABatch),
                stop::get, () -> stoppedWithRowsLeft.set(true), batch -> {
                    handedOut.incrementAndGet();
                    if (stop.get()) {
                        tookOnOrEnded.countDown();
                    }
                    return batch;
                });
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("importBatches", threads);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:import").split(body()).streaming().parallelProcessing().executorService("importBatches")
                            .synchronous().stopOnException()
                            .process(exchange -> {
                                // an exception, not an assertion's Error: the split would wait for ever for a task an Error ended
                                if (stop.compareAndSet(false, true) && !tookOnOrEnded.await(30, TimeUnit.SECONDS)) {
                                    throw new IllegalStateException("the split took no batch after the stop and did not end");
                                }
                                written.incrementAndGet();
                            })
                            .end()
                            .process(exchange -> {
                                exchange.getMessage().setBody(List.of(written.get(), handedOut.get()));
                                tookOnOrEnded.countDown();
                            });
                }
            });
            context.start();

            Exchange done = context.createProducerTemplate().send("direct:import", exchange -> exchange.getMessage().setBody(batches));

            assertThat(done.getException()).isNull();
            List<?> writtenAndHandedOut = done.getMessage().getBody(List.class);
            assertThat(writtenAndHandedOut.get(0)).as("batches written when the split ended").isEqualTo(writtenAndHandedOut.get(1));
            assertThat((Integer) writtenAndHandedOut.get(1)).as("batches handed out").isBetween(2, ROWS - 1);
            assertThat(stoppedWithRowsLeft).isTrue();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anAnswerHoldsUntilTheNextBatchIsTaken() {
        AtomicBoolean stop = new AtomicBoolean();
        RecordLimits oneRowABatch = new RecordLimits(1 << 20, 1000, 1, 1 << 20);
        BatchesUntilStopped batches = new BatchesUntilStopped(
                new RecordBatches(new DelimitedReader(new ByteArrayInputStream("1,a\n2,b\n".getBytes(StandardCharsets.UTF_8)), 0, 1,
                        oneRowABatch, Dialect.RFC_4180), 0, oneRowABatch),
                stop::get, () -> { }, List::copyOf);

        assertThat(batches.hasNext()).isTrue();
        stop.set(true);
        assertThat(batches.hasNext()).isTrue();
        assertThat(batches.next()).hasSize(1);
        assertThat(batches.hasNext()).isFalse();
    }
}
