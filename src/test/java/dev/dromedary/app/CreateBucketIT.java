package dev.dromedary.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With S3_CREATE_BUCKET, an instance on an S3 server without its bucket (as the compose stack's) makes it at start. */
@ExtendWith(RealServices.class)
class CreateBucketIT {

    @Test
    void anInstanceMakesItsMissingBucketAtStart() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String bucket = "made-at-start-" + database.name().replace('_', '-');
        try (var s3 = RealServices.s3Client()) {
            assertThat(s3.listBuckets().buckets()).noneMatch(existing -> existing.name().equals(bucket));
            try (RunningDromedary dromedary = RunningDromedary.named("bucket", database).with("S3_BUCKET", bucket)
                    .with("S3_ALLOWED_BUCKETS", bucket).with("S3_CREATE_BUCKET", true).start()) {
                assertThat(s3.listBuckets().buckets()).anyMatch(existing -> existing.name().equals(bucket));
            }
            // a second start finds it there, and makes nothing
            try (RunningDromedary again = RunningDromedary.named("bucket-again", database).with("S3_BUCKET", bucket)
                    .with("S3_ALLOWED_BUCKETS", bucket).with("S3_CREATE_BUCKET", true).start()) {
                assertThat(s3.listBuckets().buckets()).filteredOn(existing -> existing.name().equals(bucket)).hasSize(1);
            }
        }
    }
}
