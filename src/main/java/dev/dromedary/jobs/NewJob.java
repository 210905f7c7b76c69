package dev.dromedary.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A job to create, as a valid create request describes it; {@code idempotencyKey} may be null. */
public record NewJob(String jobType, ObjectNode data, int retryCount, int retryInterval, String idempotencyKey,
                     JobControls controls) {

    /** A job with the default priority, queue and timeout, depending on nothing. */
    public NewJob(String jobType, ObjectNode data, int retryCount, int retryInterval, String idempotencyKey) {
        this(jobType, data, retryCount, retryInterval, idempotencyKey, JobControls.DEFAULT);
    }
}
