package dev.dromedary.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One row of the {@code jobs} table; {@code checkpoint} is null unless the job can resume part way;
 * {@code waitingOn} counts the jobs of {@code dependsOn} that have not completed yet.
 */
public record Job(
        long id,
        UUID uuid,
        String jobType,
        JsonNode data,
        JobStatus status,
        JsonNode jobResponse,
        int retryCount,
        int retryInterval,
        OffsetDateTime runAfter,
        int attempts,
        String idempotencyKey,
        String claimedBy,
        OffsetDateTime heartbeatAt,
        Progress progress,
        JsonNode checkpoint,
        OffsetDateTime startedAt,
        OffsetDateTime completedAt,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        int priority,
        String queue,
        Integer timeoutSeconds,
        List<UUID> dependsOn,
        int waitingOn,
        UUID batchUuid) {

    /** This job as a start leaves it: what the start statement wrote, everything else as claimed. */
    public Job started(JobStatus status, int attempts, OffsetDateTime startedAt, OffsetDateTime heartbeatAt,
                       OffsetDateTime updatedAt) {
        return new Job(id, uuid, jobType, data, status, jobResponse, retryCount, retryInterval, runAfter, attempts,
                idempotencyKey, claimedBy, heartbeatAt, progress, checkpoint, startedAt, null, createdAt, updatedAt,
                priority, queue, timeoutSeconds, dependsOn, waitingOn, batchUuid);
    }

    /** How far a running job has got; {@code bytesTotal} is null until the job knows its input's size. */
    public record Progress(long rowsRead, long rowsWritten, long rowsFailed, long bytesRead, Long bytesTotal) {
    }
}
