package dev.dromedary.imports;

import java.util.Map;

/**
 * What every import answers of the rows it wrote, whatever its source: what change detection found, what rules
 * dropped, and what a mirror deleted; and the sentence of its message that says so.
 */
record WriteCounts(boolean dryRun, long inserted, long updated, long unchanged, long dropped, MirrorImport.MirrorOutcome mirrored) {

    void putInto(Map<String, Object> response) {
        if (!dryRun) {
            response.put("rows_inserted", inserted);
            response.put("rows_updated", updated);
            response.put("rows_unchanged", unchanged);
            response.put("rows_deleted", mirrored == null ? 0 : mirrored.deleted());
            if (mirrored != null) {
                response.put("mirror", mirrored.described());
            }
        }
        if (dropped > 0) {
            response.put("rows_dropped", dropped);
        }
    }

    void describeInto(StringBuilder message) {
        if (dropped > 0) {
            message.append("; ").append(dropped).append(" rows were left out by a drop_row_if rule");
        }
        if (mirrored != null) {
            message.append(mirrored.skipped() == null ? "; deleted " + mirrored.deleted() + " rows the source does not hold (mirror)"
                    : "; as a mirror it deleted nothing: " + mirrored.skipped());
        }
    }
}
