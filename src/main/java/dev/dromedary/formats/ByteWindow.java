package dev.dromedary.formats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A record source that scans a stream's bytes in a window of 64 KB, knowing the stream offset of each, so
 * that a record's end is an exact position for a checkpoint.
 */
abstract class ByteWindow extends ReadAhead {

    final InputStream in;
    final byte[] buffer = new byte[64 * 1024];
    int position;
    int limit;
    /** The stream offset of {@code buffer[0]}. */
    long bufferOffset;

    /** The window over {@code in}, which holds the stream from {@code offset} on. */
    ByteWindow(InputStream in, long offset) {
        this.in = in;
        this.bufferOffset = offset;
    }

    /** The stream offset of the next byte to be read. */
    public long offset() {
        return bufferOffset + position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Makes at least {@code wanted} unread bytes available unless the stream ends first; false at its end. */
    final boolean fill(int wanted) {
        if (limit - position >= wanted) {
            return true;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            bufferOffset += position;
            limit -= position;
            position = 0;
        }
        try {
            while (limit < wanted) {
                int read = in.read(buffer, limit, buffer.length - limit);
                if (read < 0) {
                    return false;
                }
                limit += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }
}
