package dev.dromedary.exports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.http.ContentTooLongException;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.entity.BasicHttpEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.ContentDecoder;
import org.apache.http.nio.IOControl;
import org.apache.http.nio.protocol.AbstractAsyncResponseConsumer;
import org.apache.http.protocol.HttpContext;
import org.elasticsearch.client.HttpAsyncResponseConsumerFactory;

/**
 * Holds an answer in chunks of 64 KB as they arrive, up to a limit. Written because the client's own consumer
 * doubles one buffer from 4 KB as a chunked answer arrives: for an export's pages that was a quarter of all the
 * bytes the JVM allocated, in arrays large enough (512 KB and up) that each started a collection cycle.
 */
final class ChunkedResponseConsumer extends AbstractAsyncResponseConsumer<HttpResponse> {

    private static final int CHUNK = 64 * 1024;

    private final long limit;
    private HttpResponse response;
    private HttpEntity entity;
    private List<byte[]> chunks = new ArrayList<>();
    private ByteBuffer filling;
    private long size;

    private ChunkedResponseConsumer(long limit) {
        this.limit = limit;
    }

    /** The consumers of answers of at most {@code limit} bytes: a longer answer fails its request. */
    static HttpAsyncResponseConsumerFactory upTo(long limit) {
        return () -> new ChunkedResponseConsumer(limit);
    }

    @Override
    protected void onResponseReceived(HttpResponse received) {
        response = received;
    }

    @Override
    protected void onEntityEnclosed(HttpEntity enclosed, ContentType contentType) throws IOException {
        if (enclosed.getContentLength() > limit) {
            throw new ContentTooLongException("the answer is " + enclosed.getContentLength() + " bytes; at most " + limit + " are read");
        }
        entity = enclosed;
    }

    @Override
    protected void onContentReceived(ContentDecoder decoder, IOControl control) throws IOException {
        while (true) {
            if (filling == null || !filling.hasRemaining()) {
                byte[] chunk = new byte[CHUNK];
                chunks.add(chunk);
                filling = ByteBuffer.wrap(chunk);
            }
            int read = decoder.read(filling);
            if (read > 0) {
                size += read;
                if (size > limit) {
                    throw new ContentTooLongException("the answer is over " + limit + " bytes");
                }
            }
            if (read <= 0 || filling.hasRemaining()) {
                return;
            }
        }
    }

    @Override
    protected HttpResponse buildResult(HttpContext context) {
        if (entity != null) {
            List<InputStream> parts = new ArrayList<>(chunks.size());
            long left = size;
            for (byte[] chunk : chunks) {
                int length = (int) Math.min(chunk.length, left);
                parts.add(new ByteArrayInputStream(chunk, 0, length));
                left -= length;
            }
            BasicHttpEntity read = new BasicHttpEntity();
            read.setContent(new SequenceInputStream(Collections.enumeration(parts)));
            read.setContentLength(size);
            read.setContentType(entity.getContentType());
            read.setContentEncoding(entity.getContentEncoding());
            response.setEntity(read);
        }
        return response;
    }

    @Override
    protected void releaseResources() {
        entity = null;
        chunks = null;
        filling = null;
    }
}
