package dev.dromedary.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Where an import from a database query or an HTTP API resumes: what it read from, the fields seen, the
 * source's own position after the last batch that every sink committed (null: from the start), and the counts
 * up to there. Kept in {@code jobs.checkpoint}.
 */
public record SourceCheckpoint(
        @JsonProperty("dataset") String dataset,
        @JsonProperty("source") String source,
        @JsonProperty("header") List<String> header,
        @JsonProperty("resume_at") JsonNode resumeAt,
        @JsonProperty("batches") int batches,
        @JsonProperty("rows_read") long rowsRead,
        @JsonProperty("rows_imported") long rowsImported,
        @JsonProperty("rows_failed") long rowsFailed,
        @JsonProperty("rows_duplicate") long rowsDuplicate,
        @JsonProperty("rows_dropped") long rowsDropped,
        @JsonProperty("rows_inserted") long rowsInserted,
        @JsonProperty("rows_updated") long rowsUpdated,
        @JsonProperty("rows_unchanged") long rowsUnchanged) {
}
