package dev.dromedary.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dromedary.formats.Dialect;
import java.util.List;
import java.util.UUID;

/**
 * One part of an object imported in partitions ({@code job_data.partition} of its job): the bytes from
 * {@code byteStart} to {@code byteEnd} of the object's version {@code etag}, whose first record is the file's row
 * {@code firstRow}, read with the whole file's dialect and header. Its job is one of the batch whose uuid is the
 * parent job's.
 */
public record Partition(
        @JsonProperty("parent") UUID parent,
        @JsonProperty("index") int index,
        @JsonProperty("of") int of,
        @JsonProperty("byte_start") long byteStart,
        @JsonProperty("byte_end") long byteEnd,
        @JsonProperty("first_row") long firstRow,
        @JsonProperty("etag") String etag,
        @JsonProperty("header") List<String> header,
        @JsonProperty("read_as") Dialect dialect) {

    /** Where a partition's import begins when it has no checkpoint of its own: its first byte, nothing read yet. */
    Checkpoint start(String dataset) {
        return new Checkpoint(dataset, etag, header, byteStart, 0, 0, 0, 0, 0, 0, byteStart, dialect, 0, 0, 0, 0);
    }

    /** What its job's response and the parent's list say of it. */
    String described() {
        return "partition " + (index + 1) + " of " + of + " (bytes " + byteStart + "-" + (byteEnd - 1) + ", from row " + firstRow + ")";
    }
}
