package dev.dromedary.exports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.testing.RealServices;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An export's object written to the real S3 server in parts of 8 MB as its rows come. */
@ExtendWith(RealServices.class)
class S3MultipartUploadIT {

    @Test
    void twentyMegabytesWrittenARowAtATimeLandAsOneObjectOfThreePartsAndNothingShowsBeforeTheEnd() throws Exception {
        String key = "multipart/" + System.nanoTime() + ".csv";
        byte[] row = ("a row of an export, " + "x".repeat(1000) + "\n").getBytes(StandardCharsets.UTF_8);
        int rows = (20 << 20) / row.length;
        try (var s3 = RealServices.s3Client()) {
            S3MultipartUpload upload = new S3MultipartUpload(s3, RealServices.BUCKET, key);
            for (int i = 0; i < rows; i++) {
                upload.write(row);
                upload.sendFullParts();
            }
            assertThat(s3.listObjectsV2(list -> list.bucket(RealServices.BUCKET).prefix(key)).contents())
                    .as("nothing under the key before the upload completes").isEmpty();
            upload.complete();

            var head = s3.headObject(object -> object.bucket(RealServices.BUCKET).key(key));
            assertThat(head.contentLength()).isEqualTo((long) rows * row.length);
            // a multipart object's ETag ends with its number of parts: 8 MB, 8 MB and the rest
            assertThat(head.eTag()).endsWith("-3\"");
            byte[] landed = s3.getObjectAsBytes(object -> object.bucket(RealServices.BUCKET).key(key)).asByteArray();
            byte[] expected = new byte[rows * row.length];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(row, 0, expected, i * row.length, row.length);
            }
            assertThat(Arrays.equals(landed, expected)).as("the object holds every row in order").isTrue();
        }
    }
}
