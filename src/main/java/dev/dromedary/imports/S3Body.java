package dev.dromedary.imports;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.io.IOUtils;
import org.apache.commons.io.input.ProxyInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body of an S3 object (or of a range of it) that fails, rather than ends, when its connection closes before
 * the response's Content-Length has come: a server that stops mid-body closes the connection cleanly, and the
 * SDK's stream then simply ends (the fault suite's S3 restart completed imports of half a file as if whole).
 */
final class S3Body extends ProxyInputStream {

    private final long length;
    private long read;

    private S3Body(InputStream body, long length) {
        super(body);
        this.length = length;
    }

    /** {@code body} checked against its Content-Length when it is an S3 response that gives one; else as it is. */
    static InputStream checked(InputStream body) {
        if (body instanceof ResponseInputStream<?> response && response.response() instanceof GetObjectResponse object
                && object.contentLength() != null) {
            return new S3Body(body, object.contentLength());
        }
        return body;
    }

    @Override
    protected void afterRead(int bytes) throws IOException {
        if (bytes > 0) {
            read += bytes;
        } else if (bytes == IOUtils.EOF && read < length) {
            throw new IOException("S3 closed the connection after " + read + " of the " + length
                    + " bytes it was sending (the server stopped or the network failed)");
        }
    }

    @Override
    public long skip(long bytes) throws IOException {
        long skipped = super.skip(bytes);
        read += skipped;
        return skipped;
    }
}
