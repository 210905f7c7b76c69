package dev.dromedary.jobs;

import java.util.List;

/**
 * The buckets a job may read or write (S3_ALLOWED_BUCKETS): the server's credentials may reach more buckets
 * than its key holders should.
 */
public final class AllowedBuckets {

    private final List<String> buckets;

    public AllowedBuckets(List<String> buckets) {
        this.buckets = List.copyOf(buckets);
    }

    public boolean allows(String bucket) {
        return buckets.contains(bucket);
    }

    /** Why a job naming this bucket is refused. */
    public String refusal(String bucket) {
        return "s3_bucket '" + bucket.substring(0, Math.min(bucket.length(), 100)) + "' is not one of the buckets jobs "
                + "may use (S3_ALLOWED_BUCKETS: " + String.join(", ", buckets) + ")";
    }
}
