package dev.dromedary.formats;

import dev.dromedary.rows.FileText;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads delimited records (RFC 4180 and its dialects) straight from a stream's bytes, each with the offset
 * where the next one starts. Java rather than camel-csv: a checkpoint needs exact byte offsets of record
 * ends, which a parser of decoded characters cannot give, and a row that is not valid UTF-8 must be told
 * apart, not patched. The delimiter, quote and escape are ASCII and the stream is UTF-8 or a single-byte
 * encoding (UTF-16 is transcoded before it comes here), so they are found in the bytes without decoding
 * them; a quote inside an unquoted value, or after a closing quote, is kept as it stands.
 */
public final class DelimitedReader extends ByteWindow {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final RecordLimits limits;
    private final byte delimiter;
    private final byte quote;
    /** The byte that makes the next one a literal, or -1 when a quote is escaped only by doubling it. */
    private final int escape;
    private final Charset charset;
    private final boolean utf8;
    private final CharsetDecoder utf8Decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] value = new byte[1024];
    private int valueLength;
    private long number;
    /** Whether the record being read has outgrown the limit: its bytes are then skipped, not kept. */
    private boolean tooLong;
    private List<String> header = List.of();

    /**
     * Records of {@code in}, which holds the stream's bytes from {@code offset} on; the first record read is
     * numbered {@code firstNumber}. At offset 0 a UTF-8 byte order mark is skipped. A record longer than the
     * limits, in bytes or values, is read to its end but kept only as an excerpt with the reason.
     */
    public DelimitedReader(InputStream in, long offset, long firstNumber, RecordLimits limits, Dialect dialect) {
        super(in, offset);
        this.limits = limits;
        this.delimiter = (byte) dialect.delimiter().charValue();
        this.quote = (byte) dialect.quote().charValue();
        this.escape = dialect.escape() == null || dialect.escape().equals(dialect.quote()) ? -1 : dialect.escape();
        this.charset = Encodings.transcodedToUtf8(dialect.encoding()) ? StandardCharsets.UTF_8 : Charset.forName(dialect.encoding());
        this.utf8 = charset.equals(StandardCharsets.UTF_8);
        this.number = firstNumber - 1;
        if (offset == 0 && fill(UTF8_BOM.length) && Arrays.equals(buffer, 0, UTF8_BOM.length, UTF8_BOM, 0, UTF8_BOM.length)) {
            position = UTF8_BOM.length;
        }
    }

    /**
     * Skips {@code lines} lines as they stand (a title above the header, say: quotes in them open nothing),
     * then takes the next record as the header, or {@code columns} when the file has none.
     */
    public DelimitedReader readHeader(int lines, List<String> columns) {
        for (int i = 0; i < lines && fill(1); i++) {
            while (fill(1) && buffer[position] != LF && buffer[position] != CR) {
                position++;
            }
            if (fill(1)) {
                endLine();
            }
        }
        if (columns != null) {
            header = List.copyOf(columns);
            number = 0;
            return this;
        }
        if (!hasNext()) {
            throw new UnreadableFile("the file is empty: it has no header row");
        }
        SourceRow row = next();
        if (row.unreadable() != null) {
            throw new UnreadableFile("the header " + row.unreadable().substring("the row ".length()));
        }
        header = row.values();
        number = 0;
        return this;
    }

    /** Goes on with the header of the checkpoint the import resumes from. */
    public DelimitedReader withHeader(List<String> header) {
        this.header = List.copyOf(header);
        return this;
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    SourceRow read() {
        skipEmptyLines();
        if (!fill(1)) {
            return null;
        }
        long start = offset();
        tooLong = false;
        if (value.length > 1024 * 1024) {
            // a long record's buffer is not kept for the short ones after it
            value = new byte[1024];
        }
        List<String> values = new ArrayList<>();
        String unreadable = null;
        int count = 0;
        boolean more = true;
        while (more) {
            long valueStart = offset();
            more = readValue(start);
            if (++count > limits.maxColumns() || tooLong) {
                continue;
            }
            String text = decode();
            if (text == null) {
                unreadable = "the row is not valid UTF-8 (in the value at byte " + valueStart + " of the file); "
                        + "if the file is in another encoding, name it in job_data.encoding (e.g. windows-1252)";
                text = new String(value, 0, valueLength, StandardCharsets.UTF_8);
            }
            values.add(text);
        }
        number++;
        if (tooLong) {
            return new SourceRow(number, List.of(excerpt()), offset(), "the row is " + (offset() - start) + " bytes long; "
                    + "a row holds at most " + limits.maxRecordBytes() + " (MAX_RECORD_BYTES)");
        }
        if (count > limits.maxColumns()) {
            return new SourceRow(number, List.copyOf(values.subList(0, Math.min(values.size(), 20))), offset(), "the row has " + count
                    + " values; a row holds at most " + limits.maxColumns() + " (MAX_COLUMNS)");
        }
        return new SourceRow(number, values, offset(), unreadable);
    }

    /** The first characters of a record too long to keep, for its dead letter. */
    private String excerpt() {
        return FileText.quote(new String(value, 0, Math.min(valueLength, FileText.MAX_QUOTED_CHARS), charset));
    }

    /** Reads one value into {@link #value}; true when another value of the same record follows. */
    private boolean readValue(long recordStart) {
        if (!tooLong) {
            valueLength = 0;
        }
        if (fill(1) && buffer[position] == quote) {
            position++;
            readQuoted(recordStart);
        }
        while (fill(1)) {
            byte b = buffer[position];
            if (b == delimiter) {
                position++;
                return true;
            }
            if (b == LF || b == CR) {
                endLine();
                return false;
            }
            if (isEscape(b)) {
                appendEscaped(recordStart);
                continue;
            }
            int end = position;
            while (end < limit && buffer[end] != delimiter && buffer[end] != LF && buffer[end] != CR && !isEscape(buffer[end])) {
                end++;
            }
            append(position, end - position, recordStart);
            position = end;
        }
        return false;
    }

    private void readQuoted(long recordStart) {
        long opened = offset() - 1;
        while (true) {
            if (!fill(1)) {
                throw new UnreadableFile("row " + (number + 1) + " opens a quoted value at byte " + opened
                        + " of the file that is never closed" + (tooLong ? " (the rest of the file, " + (offset() - opened)
                        + " bytes, is inside it)" : ""));
            }
            if (isEscape(buffer[position])) {
                appendEscaped(recordStart);
                continue;
            }
            int end = position;
            while (end < limit && buffer[end] != quote && !isEscape(buffer[end])) {
                end++;
            }
            append(position, end - position, recordStart);
            position = end;
            if (position == limit || isEscape(buffer[position])) {
                continue;
            }
            position++;
            if (fill(1) && buffer[position] == quote) {
                append(position, 1, recordStart);
                position++;
            } else {
                return;
            }
        }
    }

    /** The escape byte at {@link #position} and the byte after it, kept as that byte. */
    private void appendEscaped(long recordStart) {
        position++;
        if (fill(1)) {
            append(position, 1, recordStart);
            position++;
        }
    }

    private boolean isEscape(byte b) {
        return escape >= 0 && b == escape;
    }

    private void skipEmptyLines() {
        while (fill(1) && (buffer[position] == LF || buffer[position] == CR)) {
            endLine();
        }
    }

    /** Consumes a line end: LF, CRLF, or a lone CR. */
    private void endLine() {
        if (buffer[position++] == CR && fill(1) && buffer[position] == LF) {
            position++;
        }
    }

    private void append(int from, int length, long recordStart) {
        if (tooLong) {
            return;
        }
        if (offset() - recordStart + length > limits.maxRecordBytes()) {
            // the start of the value is kept for the excerpt; the rest of the record is only scanned for its end
            tooLong = true;
            length = Math.min(length, Math.max(0, FileText.MAX_QUOTED_CHARS - valueLength));
        }
        if (valueLength + length > value.length) {
            value = Arrays.copyOf(value, Math.max(value.length * 2, valueLength + length));
        }
        System.arraycopy(buffer, from, value, valueLength, length);
        valueLength += length;
    }

    /** The value as text, or null when its bytes are not UTF-8 in a UTF-8 file; ASCII is copied as it is. */
    private String decode() {
        for (int i = 0; i < valueLength; i++) {
            if (value[i] < 0) {
                if (!utf8) {
                    return new String(value, 0, valueLength, charset);
                }
                try {
                    CharBuffer chars = utf8Decoder.reset().decode(ByteBuffer.wrap(value, 0, valueLength));
                    return chars.toString();
                } catch (CharacterCodingException e) {
                    return null;
                }
            }
        }
        return new String(value, 0, valueLength, StandardCharsets.ISO_8859_1);
    }
}
