package dev.dromedary.formats;

import dev.dromedary.rows.RecordLimits;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Opens an object's stream as the records of its format: gunzipped as it streams when it is gzipped (by its
 * key, its Content-Encoding or its first two bytes), its encoding and dialect told from its first 64 KB
 * where the job left them {@code auto}, and, on resuming, positioned after the checkpoint.
 */
public final class FileSources {

    private static final int GZIP_MAGIC_1 = 0x1F;
    private static final int GZIP_MAGIC_2 = 0x8B;

    private FileSources() {
    }

    /** A file's records and how they are read. */
    public record Opened(RecordSource records, Dialect dialect) {
    }

    /** The records of a whole object, after its skipped lines and header. */
    public static Opened start(InputStream object, String key, boolean gzipEncoded, ReadOptions options, RecordLimits limits) {
        BufferedInputStream peeked = new BufferedInputStream(object, Dialect.SNIFFED_BYTES);
        boolean gzip = gzipEncoded || FileFormat.gzipped(key) || startsWithGzipMagic(peeked);
        BufferedInputStream in = gzip ? new BufferedInputStream(gunzip(peeked), Dialect.SNIFFED_BYTES) : peeked;
        String other = OtherSpreadsheets.refusal(key, peek(in, Dialect.SNIFFED_BYTES));
        if (other != null) {
            throw new UnreadableFile(other);
        }
        FileFormat format = FileFormat.of(options.format(), key);
        if (format == FileFormat.XLSX) {
            XlsxReader sheet = XlsxReader.open(in, options.sheet(), options.skipRows(), options.headerRow(), options.columns(), null, 0,
                    limits);
            return new Opened(sheet, new Dialect(format.formatName(), gzip, null, null, null, null, sheet.sheetName()));
        }
        BufferedInputStream text = in;
        byte[] head = peek(text, Dialect.SNIFFED_BYTES);
        Dialect dialect = format == FileFormat.JSONL
                ? new Dialect(format.formatName(), gzip, options.encoding().equals(Encodings.AUTO)
                        ? Encodings.detect(head, head.length) : options.encoding(), null, null, null, null)
                : Dialect.ofDelimited(options, key, gzip, head, head.length);
        InputStream utf8 = Encodings.transcodedToUtf8(dialect.encoding()) ? Encodings.asUtf8(text, dialect.encoding()) : text;
        if (format == FileFormat.JSONL) {
            return new Opened(new JsonLinesReader(utf8, 0, 1, limits, List.of()), dialect);
        }
        return new Opened(new DelimitedReader(utf8, 0, 0, limits, dialect).readHeader(options.skipRows(), options.columns()), dialect);
    }

    /**
     * The records after a checkpoint at {@code position} (a byte of the text read, or a sheet's row), numbered
     * from {@code firstNumber}: {@code object} holds the bytes from that position when the dialect
     * {@link Dialect#resumesByRange() resumes by range}, else the whole object, read again up to there.
     */
    public static RecordSource resume(InputStream object, Dialect dialect, List<String> header, long position, long firstNumber,
                                      RecordLimits limits) {
        if (dialect.resumesByRange()) {
            return dialect.fileFormat() == FileFormat.JSONL
                    ? new JsonLinesReader(object, position, firstNumber, limits, header)
                    : new DelimitedReader(object, position, firstNumber, limits, dialect).withHeader(header);
        }
        InputStream in = dialect.gzip() ? gunzip(new BufferedInputStream(object, 64 * 1024)) : object;
        if (dialect.fileFormat() == FileFormat.XLSX) {
            return XlsxReader.open(in, dialect.sheet(), 0, null, null, header, position, limits).numberedFrom(firstNumber);
        }
        InputStream utf8 = Encodings.transcodedToUtf8(dialect.encoding()) ? Encodings.asUtf8(in, dialect.encoding()) : in;
        try {
            utf8.skipNBytes(position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dialect.fileFormat() == FileFormat.JSONL
                ? new JsonLinesReader(utf8, position, firstNumber, limits, header)
                : new DelimitedReader(utf8, position, firstNumber, limits, dialect).withHeader(header);
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) {
        byte[] head = peek(in, 2);
        return head.length == 2 && (head[0] & 0xFF) == GZIP_MAGIC_1 && (head[1] & 0xFF) == GZIP_MAGIC_2;
    }

    private static InputStream gunzip(InputStream in) {
        try {
            return new BufferedInputStream(new GZIPInputStream(in, 64 * 1024), Dialect.SNIFFED_BYTES);
        } catch (IOException e) {
            throw new UnreadableFile("the object is not gzip, as its name or Content-Encoding says: " + e.getMessage());
        }
    }

    /** Up to {@code count} first bytes of the stream, which are read again after. */
    private static byte[] peek(BufferedInputStream in, int count) {
        try {
            in.mark(count);
            byte[] head = in.readNBytes(count);
            in.reset();
            return head;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
