package dev.dromedary.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A job to create, as a valid create request describes it; {@code idempotencyKey} may be null. */
public record NewJob(String jobType, ObjectNode data, int retryCount, int retryInterval, String idempotencyKey) {
}
