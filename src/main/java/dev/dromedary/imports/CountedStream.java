package dev.dromedary.imports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An object's stream that counts the bytes read from it: the progress of a gzipped import. */
final class CountedStream extends FilterInputStream {

    private volatile long count;

    CountedStream(InputStream in) {
        super(in);
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            count += read;
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count += skipped;
        return skipped;
    }
}
