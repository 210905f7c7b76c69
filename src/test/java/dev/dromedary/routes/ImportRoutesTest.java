package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.imports.ImportRejected;
import dev.dromedary.jobs.JobHandedBack;
import dev.dromedary.testing.RouteFiles;
import dev.dromedary.testing.RouteTest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * routes/insert-csv.camel.yaml's import-object with the import bean and run stubbed, S3 and SQL mocked and
 * the sink pipeline a recording route: which batches reach direct:write-batch, and how the import stops.
 */
class ImportRoutesTest extends RouteTest {

    private final StubImport fileImport = new StubImport();
    private final StubPartitions partitions = new StubPartitions();
    private final StubMirror mirror = new StubMirror();
    private final List<Object> written = new CopyOnWriteArrayList<>();

    @BeforeEach
    void servicesAreMocks() throws Exception {
        AdviceWith.adviceWith(context, "import-object", advice -> {
            advice.weaveByToString("to\\[sql:classpath:sql/dead-letters/supersede-after-checkpoint.sql.*\\]").replace().to("mock:supersede");
            advice.weaveByToString("to\\[aws2-s3:.*operation=getObjectRange.*\\]").replace().to("mock:range");
        });
        AdviceWith.adviceWith(context, "job-insert_csv_file", advice ->
                advice.weaveByToString("to\\[sql:classpath:sql/dead-letters/count-by-rule.sql.*\\]").replace().to("mock:byRule"));
        AdviceWith.adviceWith(context, "get-whole-object", advice ->
                advice.weaveByToString("to\\[aws2-s3:.*operation=getObject\\]").replace().setBody(exchange -> new ByteArrayInputStream(new byte[0])));
        context.start();
    }

    @Test
    void aCutImportWaitsForItsPartitionsInsteadOfReadingTheObjectAndCountsItImportedOnce() {
        StubRun run = new StubRun();
        run.partitioned = true;
        fileImport.batches = 3;

        Exchange done = template.send("direct:job-insert_csv_file", exchange -> exchange.setProperty("importRun", run));

        assertThat(done.getException()).isNull();
        assertThat(partitions.planned).hasValue(1);
        assertThat(partitions.awaited).hasValue(1);
        assertThat(written).as("the partitions' jobs write the rows").isEmpty();
        assertThat(fileImport.imported).hasValue(1);
    }

    @Test
    void aMirrorDeletesOnceItsRowsAreWrittenAndBeforeTheObjectCountsAsImportedAndADryRunMirrorDeletesNothing() {
        StubRun run = new StubRun();
        run.mirror = true;
        fileImport.batches = 2;
        mirror.onDelete = () -> assertThat(written).as("every batch written first").hasSize(2);

        Exchange done = template.send("direct:job-insert_csv_file", exchange -> exchange.setProperty("importRun", run));

        assertThat(done.getException()).isNull();
        assertThat(mirror.deletes).hasValue(1);
        assertThat(fileImport.imported).hasValue(1);

        StubRun dryRun = new StubRun();
        dryRun.mirror = true;
        dryRun.dryRun = true;
        template.send("direct:job-insert_csv_file", exchange -> exchange.setProperty("importRun", dryRun));
        assertThat(mirror.deletes).as("a dry run deletes nothing").hasValue(1);
    }

    @Test
    void aMirrorOverItsDeleteLimitFailsTheJobAndTheObjectDoesNotCountAsImported() {
        StubRun run = new StubRun();
        run.mirror = true;
        fileImport.batches = 1;
        mirror.onDelete = () -> {
            throw new ImportRejected("ERR_MIRROR_DELETE_LIMIT: the mirror would delete more than 10 of the 100 rows");
        };

        Exchange done = template.send("direct:job-insert_csv_file", exchange -> exchange.setProperty("importRun", run));

        assertThat(done.getException(ImportRejected.class)).hasMessageStartingWith("ERR_MIRROR_DELETE_LIMIT");
        assertThat(fileImport.imported).hasValue(0);
    }

    @Test
    void aPartitionReadsItsPartAndLeavesTheObjectToItsParent() {
        StubRun run = new StubRun();
        run.partition = "partition 2 of 4";
        fileImport.batches = 3;

        Exchange done = template.send("direct:job-insert_csv_file", exchange -> exchange.setProperty("importRun", run));

        assertThat(done.getException()).isNull();
        assertThat(partitions.awaited).hasValue(0);
        assertThat(written).hasSize(3);
        assertThat(fileImport.imported).as("the object counts as imported when the parent completes").hasValue(0);
    }

    @Test
    void anInstanceThatStopsHandsTheImportBackAfterTheBatchesReadHaveCommitted() {
        StubRun run = new StubRun();
        fileImport.batches = 5;
        fileImport.stopAfter = 2;

        Exchange done = template.send("direct:import-object", exchange -> exchange.setProperty("importRun", run));

        assertThat(done.getException(JobHandedBack.class)).isNotNull().hasMessage("at its checkpoint after row 1000 (byte 42 of 99)");
        assertThat(written).hasSize(2);
        assertThat(fileImport.recorded).hasValue(2);
    }

    @Test
    void aDryRunSendsNothingToTheSinksAndCountsEveryBatch() {
        StubRun run = new StubRun();
        run.dryRun = true;
        fileImport.batches = 3;

        Exchange done = template.send("direct:import-object", exchange -> exchange.setProperty("importRun", run));

        assertThat(done.getException()).isNull();
        assertThat(written).isEmpty();
        assertThat(fileImport.recorded).hasValue(3);
    }

    @Test
    void anImportOverItsErrorBudgetFailsWithTheReasonAndNothingWaitsOnItsBatches() {
        StubRun run = new StubRun();
        fileImport.batches = 4;
        fileImport.overBudgetAfter = 1;
        fileImport.run = run;

        Exchange done = template.send("direct:import-object", exchange -> exchange.setProperty("importRun", run));

        assertThat(done.getException(ImportRejected.class)).isNotNull().hasMessageStartingWith("ERR_TOO_MANY_BAD_ROWS: 400 of the first 1000");
        assertThat(written).as("the batch that spent the budget, none after it").hasSize(1);
        assertThat(fileImport.abandoned).hasValue(1);
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("MAX_REDELIVERIES", "1", "REDELIVERY_DELAY_MS", "10", "MAX_REDELIVERY_DELAY_MS", "100", "S3_BUCKET", "dromedary");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("fileImport", fileImport);
        registry.bind("partitionedImport", partitions);
        registry.bind("mirrorImport", mirror);
        registry.bind("changeDetection", new StubChangeDetection());
        // one batch in flight: which batch spends the budget is then certain
        registry.bind("importBatches", java.util.concurrent.Executors.newFixedThreadPool(1));
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> routes = new ArrayList<>(RouteFiles.load(context, "redelivery.camel.yaml", "insert-csv.camel.yaml"));
        routes.add(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:write-batch").routeId("write-batch").process(exchange -> written.add(exchange.getMessage().getBody()));
            }
        });
        return routes.toArray(RoutesBuilder[]::new);
    }

    /** What the route reads of the import's run (ImportRun's methods of those names). */
    public static final class StubRun {
        volatile boolean dryRun;
        volatile boolean stoppedEarly;
        volatile String overBudget;
        volatile boolean partitioned;
        volatile Object partition;
        volatile boolean mirror;

        public boolean mirror() {
            return mirror;
        }

        public String dataset() {
            return "contact";
        }

        public boolean isPartitioned() {
            return partitioned;
        }

        public Object partition() {
            return partition;
        }

        public boolean hasBytesLeft() {
            return true;
        }

        public boolean resumingByRange() {
            return false;
        }

        public boolean dryRun() {
            return dryRun;
        }

        public boolean stoppedEarly() {
            return stoppedEarly;
        }

        public String overBudget() {
            return overBudget;
        }

        public String checkpointDescribed() {
            return "at its checkpoint after row 1000 (byte 42 of 99)";
        }

        public String bucket() {
            return "dromedary";
        }

        public String key() {
            return "a.csv";
        }

        public String etag() {
            return "\"e1\"";
        }
    }

    /** ChangeDetection's question before the batches: the table holds rows, so they are compared. */
    public static final class StubChangeDetection {
        public boolean holdsRows(Object dataset) {
            return true;
        }
    }

    /** MirrorImport's method after a file's rows: counts its calls, and does what the test says. */
    public static final class StubMirror {
        final AtomicInteger deletes = new AtomicInteger();
        volatile Runnable onDelete = () -> { };

        public void deleteAbsentOfFile(Exchange exchange) {
            deletes.incrementAndGet();
            onDelete.run();
        }
    }

    /** FileImport's methods that import-object calls: batches of one row, a stop or a spent budget when told. */
    public static final class StubImport {
        volatile int batches;
        volatile int stopAfter = Integer.MAX_VALUE;
        volatile int overBudgetAfter = Integer.MAX_VALUE;
        final AtomicInteger imported = new AtomicInteger();
        volatile StubRun run;
        final AtomicInteger recorded = new AtomicInteger();
        final AtomicInteger abandoned = new AtomicInteger();

        public Iterator<List<String>> batches(Exchange exchange) {
            StubRun of = exchange.getProperty("importRun", StubRun.class);
            return new Iterator<>() {
                private int given;

                @Override
                public boolean hasNext() {
                    if (given >= stopAfter) {
                        of.stoppedEarly = true;
                        return false;
                    }
                    return given < batches && of.overBudget == null;
                }

                @Override
                public List<String> next() {
                    given++;
                    return List.of("row " + given);
                }
            };
        }

        public Object validate(Exchange exchange) {
            return exchange.getMessage().getBody();
        }

        public void recordBatch(Exchange exchange) {
            if (recorded.incrementAndGet() >= overBudgetAfter && run != null) {
                run.overBudget = "ERR_TOO_MANY_BAD_ROWS: 400 of the first 1000 rows failed validation";
            }
        }

        public void abandon(Exchange exchange) {
            abandoned.incrementAndGet();
        }

        // the rest of the file's calls, which these tests do not reach

        public void begin(Exchange exchange) {
        }

        public boolean isNewObject(Exchange exchange) {
            return true;
        }

        public void pauseRefresh(Exchange exchange) {
        }

        public void resumeRefresh(Exchange exchange) {
        }

        public void recordImported(Exchange exchange) {
            imported.incrementAndGet();
        }

        public void finish(Exchange exchange) {
        }

        public Object rangeAfterCheckpoint(Exchange exchange) {
            throw new UnsupportedOperationException("no resume here");
        }

        public void startOver(Exchange exchange) {
        }
    }

    /** PartitionedImport's methods the job's route calls: it counts them. */
    public static final class StubPartitions {
        final AtomicInteger planned = new AtomicInteger();
        final AtomicInteger awaited = new AtomicInteger();

        public void plan(Exchange exchange) {
            planned.incrementAndGet();
        }

        public void await(Exchange exchange) {
            awaited.incrementAndGet();
        }
    }
}
