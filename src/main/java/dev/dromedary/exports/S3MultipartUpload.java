package dev.dromedary.exports;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One object written to S3 in parts as its bytes come, so that an object of any size needs only a few
 * parts' worth of memory. A full part is sent in the background while the next one fills, one at a time;
 * a part that failed is sent again, in the caller's thread, by the next call (a redelivery). Nothing is
 * visible under the key until {@link #complete()}; {@link #abort()} leaves nothing.
 */
public final class S3MultipartUpload {

    /** S3 takes parts of 5 MB at least, but for the last. */
    static final int PART_SIZE = 8 << 20;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private PartBuffer buffer = new PartBuffer(PART_SIZE + (1 << 20));
    private final List<CompletedPart> parts = new ArrayList<>();
    /** Parts handed to the sender, in order, not yet known to have landed. */
    private final Deque<Part> sending = new ArrayDeque<>();
    private final ExecutorService sender;

    private record Part(int number, PartBuffer bytes, CompletableFuture<String> etag) {
    }

    /** A part's bytes, handed to the sender as they are rather than copied: a copy of 8 MB per part and per send. */
    private static final class PartBuffer extends ByteArrayOutputStream {

        PartBuffer(int size) {
            super(size);
        }

        RequestBody asBody() {
            return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, count), count, "text/csv");
        }
    }

    public S3MultipartUpload(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key).contentType("text/csv"))
                .uploadId();
        this.sender = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "s3-upload " + key);
            thread.setDaemon(true);
            return thread;
        });
    }

    public void write(byte[] bytes) {
        buffer.writeBytes(bytes);
    }

    public void write(ByteArrayOutputStream bytes) {
        try {
            bytes.writeTo(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream cannot fail", e);
        }
    }

    /** Hands the buffered bytes to the sender once there is a part's worth, with at most one part still going. */
    public void sendFullParts() {
        if (buffer.size() >= PART_SIZE) {
            while (sending.size() > 1) {
                landOldest();
            }
            int number = parts.size() + sending.size() + 1;
            PartBuffer bytes = buffer;
            sending.add(new Part(number, bytes, CompletableFuture.supplyAsync(() -> upload(number, bytes), sender)));
            buffer = new PartBuffer(PART_SIZE + (1 << 20));
        }
    }

    public void complete() {
        if (buffer.size() > 0 || parts.size() + sending.size() == 0) {
            int number = parts.size() + sending.size() + 1;
            PartBuffer bytes = buffer;
            sending.add(new Part(number, bytes, CompletableFuture.completedFuture(upload(number, bytes))));
            buffer = new PartBuffer(0);
        }
        while (!sending.isEmpty()) {
            landOldest();
        }
        s3.completeMultipartUpload(done -> done.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(parts)));
        sender.shutdown();
    }

    public void abort() {
        sender.shutdownNow();
        s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
    }

    /** Waits for the oldest part in flight; sends it again here when it failed, which may throw for a redelivery. */
    private void landOldest() {
        Part part = sending.peek();
        String etag;
        try {
            etag = part.etag().join();
        } catch (CompletionException e) {
            etag = upload(part.number(), part.bytes());
        }
        parts.add(CompletedPart.builder().partNumber(part.number()).eTag(etag).build());
        sending.remove();
    }

    private String upload(int number, PartBuffer bytes) {
        return s3.uploadPart(part -> part.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                bytes.asBody()).eTag();
    }
}
