package dev.dromedary.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.rows.FileText;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * JSON Lines: one object per line, each with the byte offset where the next line starts. Nested objects
 * become {@code a.b} paths, an array of plain values one value of its items joined by {@code ;} (a
 * {@code keywords} column's form), any other array its JSON text. A line that is not a JSON object is a row
 * that cannot be read, with the reason. The paths are the header, in the order they are first seen.
 */
final class JsonLinesReader extends ByteWindow {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte LF = '\n';

    private final RecordLimits limits;
    private byte[] line = new byte[1024];
    private int lineLength;
    private long number;
    private final FlatRecords flat;

    JsonLinesReader(InputStream in, long offset, long firstNumber, RecordLimits limits, List<String> knownHeader) {
        super(in, offset);
        this.limits = limits;
        this.number = firstNumber - 1;
        this.flat = new FlatRecords(limits.maxColumns(), knownHeader);
        if (offset == 0 && fill(3) && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
            position = 3;
        }
    }

    @Override
    public List<String> header() {
        return flat.header();
    }

    @Override
    public boolean headerGrows() {
        return true;
    }

    @Override
    SourceRow read() {
        boolean tooLong;
        long start;
        do {
            if (!fill(1)) {
                return null;
            }
            start = bufferOffset + position;
            tooLong = readLine(start);
        } while (!tooLong && isBlank());
        long end = bufferOffset + position;
        number++;
        String text = new String(line, 0, Math.min(lineLength, tooLong ? FileText.MAX_QUOTED_CHARS : lineLength), StandardCharsets.UTF_8);
        if (tooLong) {
            return new SourceRow(number, List.of(FileText.quote(text)), end, "the line is " + (end - start)
                    + " bytes long; a row holds at most " + limits.maxRecordBytes() + " (MAX_RECORD_BYTES)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(line, 0, lineLength);
        } catch (JsonProcessingException e) {
            return new SourceRow(number, List.of(FileText.quote(text)), end, "line " + number + " is not JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!node.isObject()) {
            return new SourceRow(number, List.of(FileText.quote(text)), end, "line " + number + " is a JSON "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not an object");
        }
        List<String> values = flat.values(node);
        if (values == null) {
            return new SourceRow(number, List.of(FileText.quote(text)), end, "the object has " + FlatRecords.valueCount(node)
                    + " values; a row holds at most " + limits.maxColumns() + " (MAX_COLUMNS)");
        }
        return new SourceRow(number, values, end, null);
    }

    private boolean isBlank() {
        for (int i = 0; i < lineLength; i++) {
            if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Reads up to and past the next LF into {@link #line}; true when the line outgrew the limit (then only its start is kept). */
    private boolean readLine(long start) {
        lineLength = 0;
        boolean tooLong = false;
        while (fill(1)) {
            int end = position;
            while (end < limit && buffer[end] != LF) {
                end++;
            }
            int length = end - position;
            if (bufferOffset + end - start > limits.maxRecordBytes()) {
                tooLong = true;
                length = Math.max(0, Math.min(length, FileText.MAX_QUOTED_CHARS * 4 - lineLength));
            }
            if (lineLength + length > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
            }
            System.arraycopy(buffer, position, line, lineLength, length);
            lineLength += length;
            position = end;
            if (end < limit) {
                position++;
                break;
            }
        }
        return tooLong;
    }
}
