package dev.dromedary.formats;

import dev.dromedary.rows.RecordLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the records of a delimited file begin, found in one pass over its bytes that tracks only whether it is
 * inside a quoted value: the cuts of a partitioned import, each at the record boundary first at or after its share
 * of the file, with the number of records before it. Quotes, escapes and line ends are read as
 * {@link DelimitedReader} reads them (a quote opens a quoted value only at a value's start; empty lines are no
 * records), so a reader started at a cut starts at a record. Java rather than the reader itself: the scan must go
 * at the speed S3 serves the object, and parsing values would halve it.
 */
public final class RecordBoundaries {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** Where a part of the file starts ({@code offset}), and the number of the first record in it. */
    public record Cut(long offset, long firstRecord) {
    }

    /** How a file that can be cut is read: its dialect, its header, and the byte where its record 1 begins. */
    public record Start(Dialect dialect, List<String> header, long dataStart) {
    }

    /**
     * How the file whose first bytes are {@code head} ({@code whole}: all of it) would be cut, or null when it
     * cannot be: only a delimited file read in its own bytes (not gzipped, not UTF-16), whose header ends in
     * {@code head}, is entered in the middle.
     */
    public static Start start(byte[] head, boolean whole, String key, ReadOptions options, RecordLimits limits) {
        FileSources.Opened opened = FileSources.start(new ByteArrayInputStream(head), key, false, options, limits);
        if (opened.dialect().fileFormat() != FileFormat.CSV || !opened.dialect().resumesByRange()
                || !(opened.records() instanceof DelimitedReader reader)) {
            return null;
        }
        long dataStart = reader.offset();
        if (!whole && dataStart >= head.length) {
            return null;
        }
        return new Start(opened.dialect(), reader.header(), dataStart);
    }

    private RecordBoundaries() {
    }

    /**
     * The cuts that split the records of {@code in} (the file's bytes from {@code start}, the first byte after the
     * header, where record 1 begins) into {@code parts} parts of about equal size up to {@code end}: the first cut
     * is {@code start} itself. Fewer cuts come back when the file has fewer records than parts.
     */
    public static List<Cut> cuts(InputStream in, long start, long end, int parts, Dialect dialect) {
        byte delimiter = (byte) dialect.delimiter().charValue();
        byte quote = (byte) dialect.quote().charValue();
        int escape = dialect.escape() == null || dialect.escape().equals(dialect.quote()) ? -1 : dialect.escape();
        List<Cut> cuts = new ArrayList<>();
        cuts.add(new Cut(start, 1));
        long share = Math.max(1, (end - start) / parts);
        long nextTarget = start + share;
        long records = 0;
        // the state between bytes: at a value's start; in a record; in a quoted value, perhaps just after a quote in
        // it (which closes it unless another quote follows); after an escape, whose next byte is a value's byte
        boolean valueStart = true;
        boolean inRecord = false;
        boolean quoted = false;
        boolean quoteSeen = false;
        boolean escaped = false;
        boolean crPending = false;
        byte[] buffer = new byte[1 << 20];
        long offset = start;
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++, offset++) {
                    byte b = buffer[i];
                    if (crPending) {
                        crPending = false;
                        if (b != LF) {
                            cutBefore(cuts, offset, records, end, parts, nextTarget);
                            nextTarget = start + share * cuts.size();
                        }
                    }
                    if (escaped) {
                        escaped = false;
                        continue;
                    }
                    if (quoted) {
                        if (!quoteSeen) {
                            // the bytes of a quoted value, up to its next quote or escape, at the speed of a plain loop
                            int run = i;
                            while (run < read && buffer[run] != quote && buffer[run] != escape) {
                                run++;
                            }
                            if (run == read) {
                                offset += run - i - 1;
                                i = read;
                                continue;
                            }
                            offset += run - i;
                            i = run;
                            b = buffer[i];
                            if (escape >= 0 && b == escape) {
                                escaped = true;
                            } else if (b == quote) {
                                quoteSeen = true;
                            }
                            continue;
                        }
                        quoteSeen = false;
                        if (b == quote) {
                            continue;
                        }
                        // the quote before this byte closed the value: this byte is read as outside it
                        quoted = false;
                    }
                    if (b == LF || b == CR) {
                        if (inRecord) {
                            records++;
                            inRecord = false;
                        }
                        valueStart = true;
                        if (b == CR) {
                            // a cut comes after the LF of a CRLF, or before the byte after a lone CR
                            crPending = true;
                        } else {
                            cutBefore(cuts, offset + 1, records, end, parts, nextTarget);
                            nextTarget = start + share * cuts.size();
                        }
                        continue;
                    }
                    inRecord = true;
                    if (b == delimiter) {
                        valueStart = true;
                    } else if (valueStart && b == quote) {
                        quoted = true;
                        valueStart = false;
                    } else {
                        valueStart = false;
                        escaped = escape >= 0 && b == escape;
                        if (!escaped) {
                            // the rest of an unquoted value, up to a byte that ends it or escapes, likewise
                            int run = i + 1;
                            while (run < read && buffer[run] != delimiter && buffer[run] != LF && buffer[run] != CR
                                    && buffer[run] != escape) {
                                run++;
                            }
                            offset += run - 1 - i;
                            i = run - 1;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cuts;
    }

    /** A cut at {@code offset}, a record boundary after {@code records} records, once it has reached the next share. */
    private static void cutBefore(List<Cut> cuts, long offset, long records, long end, int parts, long target) {
        if (offset >= target && offset < end && cuts.size() < parts) {
            cuts.add(new Cut(offset, records + 1));
        }
    }
}
