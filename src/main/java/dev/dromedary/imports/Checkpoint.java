package dev.dromedary.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dromedary.formats.Dialect;
import java.util.List;

/**
 * Where an import resumes: the object as it was (ETag), how it is read, its header, the position (a byte of
 * the object, of the text read for a gzipped or transcoded file, or a sheet's row) after the last batch
 * that every sink committed, and the counts up to there; and where the attempt that wrote it began, for
 * its speed. Kept in {@code jobs.checkpoint}.
 */
public record Checkpoint(
        @JsonProperty("dataset") String dataset,
        @JsonProperty("etag") String etag,
        @JsonProperty("header") List<String> header,
        @JsonProperty("byte_offset") long byteOffset,
        @JsonProperty("batches") int batches,
        @JsonProperty("rows_read") long rowsRead,
        @JsonProperty("rows_imported") long rowsImported,
        @JsonProperty("rows_failed") long rowsFailed,
        @JsonProperty("rows_duplicate") long rowsDuplicate,
        @JsonProperty("attempt_first_row") long attemptFirstRow,
        @JsonProperty("attempt_first_byte") long attemptFirstByte,
        @JsonProperty("read_as") Dialect dialect,
        @JsonProperty("rows_dropped") long rowsDropped,
        @JsonProperty("rows_inserted") long rowsInserted,
        @JsonProperty("rows_updated") long rowsUpdated,
        @JsonProperty("rows_unchanged") long rowsUnchanged) {

    /** How the file was read up to this checkpoint (one taken before dialects were read: RFC 4180). */
    Dialect dialectOrCsv() {
        return dialect == null ? Dialect.RFC_4180 : dialect;
    }

    /** Whether this checkpoint was taken in an import of the same, unchanged object into the same dataset. */
    boolean fits(String dataset, String etag) {
        return this.dataset.equals(dataset) && this.etag != null && this.etag.equals(etag);
    }
}
