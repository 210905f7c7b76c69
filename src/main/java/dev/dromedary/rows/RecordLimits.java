package dev.dromedary.rows;

/**
 * What one record of a file may hold (MAX_RECORD_BYTES, MAX_COLUMNS), and what one batch of them may
 * (BATCH_SIZE_FOR_INSERTION rows, BATCH_MAX_BYTES): a batch closes at whichever it reaches first.
 */
public record RecordLimits(int maxRecordBytes, int maxColumns, int batchRows, long batchMaxBytes) {

    /** Limits for tests and tools that read small files. */
    public static final RecordLimits DEFAULT = new RecordLimits(16 * 1024 * 1024, 1000, 500, 32L * 1024 * 1024);
}
