package dev.dromedary.exports;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One object written to S3 in parts as its bytes come, so that an object of any size needs only a part's
 * worth of memory. Nothing is visible under the key until {@link #complete()}; {@link #abort()} leaves nothing.
 */
final class S3MultipartUpload {

    /** S3 takes parts of 5 MB at least, but for the last. */
    static final int PART_SIZE = 8 << 20;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(PART_SIZE + (1 << 20));
    private final List<CompletedPart> parts = new ArrayList<>();

    S3MultipartUpload(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key).contentType("text/csv"))
                .uploadId();
    }

    void write(byte[] bytes) {
        buffer.writeBytes(bytes);
    }

    /** Sends the buffered bytes as a part once there is a part's worth; a failed send keeps them for a retry. */
    void sendFullParts() {
        if (buffer.size() >= PART_SIZE) {
            sendPart();
        }
    }

    void complete() {
        if (buffer.size() > 0 || parts.isEmpty()) {
            sendPart();
        }
        s3.completeMultipartUpload(done -> done.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(parts)));
    }

    void abort() {
        s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
    }

    private void sendPart() {
        int number = parts.size() + 1;
        String etag = s3.uploadPart(part -> part.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(buffer.toByteArray())).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        buffer.reset();
    }
}
