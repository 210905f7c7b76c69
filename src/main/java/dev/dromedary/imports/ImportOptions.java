package dev.dromedary.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.formats.ReadOptions;
import dev.dromedary.processing.InvalidRule;
import dev.dromedary.processing.RowRules;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a job's {@code job_data} asks of an import beyond the object: how to read it, whether to write at all
 * ({@code dry_run}), and how many bad rows it may hold before it stops ({@code max_errors}, and
 * {@code max_error_ratio} once {@value #RATIO_AFTER_ROWS} rows are read), and the rules it adds to its dataset's
 * ({@code transform}, {@code validate}). Checked when the job is created.
 */
public record ImportOptions(ReadOptions read, boolean dryRun, Long maxErrors, Double maxErrorRatio, Integer partitions,
                            JsonNode transform, JsonNode validate, boolean force, Mirror mirror) {

    static final long RATIO_AFTER_ROWS = 1000;
    private static final ObjectMapper RULES_JSON = new ObjectMapper();
    /** The most partitions an object is cut into: the jobs of one batch. */
    public static final int MAX_PARTITIONS = 1000;

    /** The options of {@code job_data}; a field that is there but wrong is refused with what it may be. */
    public static ImportOptions of(Map<?, ?> data) {
        Object dryRun = data.get("dry_run");
        if (dryRun != null && !(dryRun instanceof Boolean)) {
            throw new IllegalArgumentException("job_data.dry_run is true (read and check the file, write nothing) or false");
        }
        Object force = data.get("force");
        if (force != null && !(force instanceof Boolean)) {
            throw new IllegalArgumentException("job_data.force is true (import the rows again, and write every row, changed or "
                    + "not) or false");
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
        Object partitions = data.get("partitions");
        if (partitions != null && (!(partitions instanceof Number parts) || parts.doubleValue() != Math.rint(parts.doubleValue())
                || parts.longValue() < 1 || parts.longValue() > MAX_PARTITIONS)) {
            throw new IllegalArgumentException("job_data.partitions is how many parts the object is cut into, 1 to " + MAX_PARTITIONS
                    + " (1: in one piece); without it, one per PARTITION_MIN_BYTES of the object");
        }
        return new ImportOptions(ReadOptions.of(data), Boolean.TRUE.equals(dryRun),
                maxErrors == null ? null : ((Number) maxErrors).longValue(),
                ratio == null ? null : ((Number) ratio).doubleValue(),
                partitions == null ? null : ((Number) partitions).intValue(),
                RULES_JSON.valueToTree(data.get("transform")), RULES_JSON.valueToTree(data.get("validate")),
                Boolean.TRUE.equals(force), Mirror.of(data));
    }

    /** The rules the job adds to its dataset's; {@link InvalidRule} names one that does not fit the dataset. */
    public RowRules jobRules(Dataset dataset) {
        return RowRules.parse(transform, validate, null, dataset.columnTypes());
    }

    /**
     * Why an import with these counts stops for its bad rows (ERR_TOO_MANY_BAD_ROWS, with {@code reasons}), or
     * null while it may go on.
     */
    String overBudget(long rowsRead, long rowsFailed, Supplier<String> reasons) {
        String over = null;
        if (maxErrors != null && rowsFailed > maxErrors) {
            over = rowsFailed + " rows failed validation, more than job_data.max_errors (" + maxErrors + ")";
        } else if (maxErrorRatio != null && rowsRead >= RATIO_AFTER_ROWS && rowsFailed > maxErrorRatio * rowsRead) {
            over = rowsFailed + " of the first " + rowsRead + " rows failed validation, more than job_data.max_error_ratio ("
                    + maxErrorRatio + ")";
        }
        return over == null ? null : "ERR_TOO_MANY_BAD_ROWS: " + over + "; the import stopped at its checkpoint after row "
                + rowsRead + "; the reasons: " + reasons.get();
    }
}
