package dev.dromedary.imports;

import dev.dromedary.formats.ReadOptions;
import java.util.Map;

/**
 * What a job's {@code job_data} asks of an import beyond the object: how to read it, whether to write at all
 * ({@code dry_run}), and how many bad rows it may hold before it stops ({@code max_errors}, and
 * {@code max_error_ratio} once {@value #RATIO_AFTER_ROWS} rows are read). Checked when the job is created.
 */
public record ImportOptions(ReadOptions read, boolean dryRun, Long maxErrors, Double maxErrorRatio) {

    static final long RATIO_AFTER_ROWS = 1000;

    /** The options of {@code job_data}; a field that is there but wrong is refused with what it may be. */
    public static ImportOptions of(Map<?, ?> data) {
        Object dryRun = data.get("dry_run");
        if (dryRun != null && !(dryRun instanceof Boolean)) {
            throw new IllegalArgumentException("job_data.dry_run is true (read and check the file, write nothing) or false");
        }
        Object maxErrors = data.get("max_errors");
        if (maxErrors != null && (!(maxErrors instanceof Number count) || count.doubleValue() != Math.rint(count.doubleValue())
                || count.longValue() < 0)) {
            throw new IllegalArgumentException("job_data.max_errors is a whole number of bad rows, 0 or more");
        }
        Object ratio = data.get("max_error_ratio");
        if (ratio != null && (!(ratio instanceof Number share) || share.doubleValue() < 0 || share.doubleValue() > 1)) {
            throw new IllegalArgumentException("job_data.max_error_ratio is the share of bad rows allowed, from 0 to 1");
        }
        return new ImportOptions(ReadOptions.of(data), Boolean.TRUE.equals(dryRun),
                maxErrors == null ? null : ((Number) maxErrors).longValue(),
                ratio == null ? null : ((Number) ratio).doubleValue());
    }
}
