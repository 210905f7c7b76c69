package dev.dromedary.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where imports spend their time: per stage, the nanoseconds its work took, summed over every batch of every import
 * of this JVM. Two {@code System.nanoTime} calls and an add per batch and stage, nothing per row, so it is always on:
 * the bench reads the sums before and after an import for its table of stages, and /observe/metrics serves them as
 * {@code dromedary_import_stage_seconds_total{stage}}. Stages run on several threads at once (the reader, the sinks),
 * so their sum exceeds the import's wall time.
 */
public enum ImportStage {

    READ("read and parse"),
    MAP("header mapping, typing, rules"),
    COMPARE("change detection"),
    ELASTICSEARCH("Elasticsearch bulk"),
    POSTGRESQL("PostgreSQL upsert"),
    FACETS("facets"),
    DEAD_LETTERS("dead letters"),
    CHECKPOINT("checkpoint");

    private final String described;
    private final LongAdder nanos = new LongAdder();

    ImportStage(String described) {
        this.described = described;
    }

    /** Counts the time since {@code started} (a {@code System.nanoTime()}) to this stage. */
    public void since(long started) {
        nanos.add(System.nanoTime() - started);
    }

    public long nanos() {
        return nanos.sum();
    }

    public String described() {
        return described;
    }

    /** The name of the metric's tag. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
