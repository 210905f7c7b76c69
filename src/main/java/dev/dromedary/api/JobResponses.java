package dev.dromedary.api;

import dev.dromedary.events.JobEventFeed;
import dev.dromedary.jobs.InvalidDependency;
import dev.dromedary.jobs.Job;
import dev.dromedary.jobs.JobStatus;
import dev.dromedary.jobs.JobStore;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;

/** The bodies the jobs API answers with, in the guide's shapes: {@code data}, {@code message}, {@code success}, {@code error}. */
public final class JobResponses {

    private final JobStore store;
    private final JobEventFeed events;

    public JobResponses(JobStore store, JobEventFeed events) {
        this.store = store;
        this.events = events;
    }

    /** The events after {@code after}, oldest first, and the id to ask after next. */
    public Map<String, Object> events(@Body JobRequests.EventQuery query) {
        List<Map<String, Object>> page = events.after(query.after(), query.limit());
        if (page == null) {
            throw ApiError.notFound("ERR_EVENT_NOT_FOUND: no event has the id " + query.after());
        }
        Map<String, Object> body = data(page);
        body.put("next_after", page.isEmpty() ? query.after() : page.get(page.size() - 1).get("event_id"));
        return body;
    }

    /** 201 for a new job; 200 and the existing job's uuid when its idempotency key had created it before. */
    public Map<String, Object> created(@Body JobStore.Created created, Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, created.isNew() ? 201 : 200);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", created.isNew() ? "Job created successfully"
                : "A job with this idempotency_key exists already; it was not created again");
        body.put("success", true);
        body.put("uuid", created.job().uuid().toString());
        return body;
    }

    /** 201 with the batch uuid and the uuids of its jobs, in the order of the request. */
    public Map<String, Object> batchCreated(@Body JobStore.Batch batch, Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Batch of " + batch.jobs().size() + " jobs created successfully");
        body.put("success", true);
        body.put("batch_uuid", batch.uuid().toString());
        body.put("uuids", batch.jobs().stream().map(job -> job.uuid().toString()).toList());
        return body;
    }

    /** A batch's state and its jobs' counts by status. */
    public Map<String, Object> batch(@Body UUID uuid) {
        JobStore.BatchCounts counts = store.batch(uuid).orElseThrow(() ->
                ApiError.notFound("ERR_BATCH_NOT_FOUND: no batch has the uuid " + uuid));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("uuid", uuid.toString());
        view.put("state", counts.state());
        view.put("jobs", counts.total());
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            byStatus.put(status.wireName(), counts.byStatus().getOrDefault(status.wireName(), 0L));
        }
        view.put("by_status", byStatus);
        view.put("failed_for_good", counts.failedForGood());
        view.put("created_at", timestamp(counts.createdAt()));
        return data(view);
    }

    /** Dead letters as the SQL returned them, one map per row. */
    public Map<String, Object> deadLetters(@Body List<Map<String, Object>> rows) {
        return data(rows);
    }

    /** The counts of dead letters: in all, waiting to be reprocessed, by job and by reason. */
    public Map<String, Object> deadLetterStats(@Body List<Map<String, Object>> groups) {
        Map<String, Long> byJob = new LinkedHashMap<>();
        Map<String, Long> byReason = new LinkedHashMap<>();
        long total = 0;
        long waiting = 0;
        for (Map<String, Object> group : groups) {
            long count = ((Number) group.get("count")).longValue();
            byJob.merge((String) group.get("job_uuid"), count, Long::sum);
            byReason.merge((String) group.get("reason"), count, Long::sum);
            total += count;
            waiting += ((Number) group.get("waiting")).longValue();
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("total", total);
        stats.put("waiting", waiting);
        stats.put("by_job", byJob);
        stats.put("by_reason", byReason);
        return data(stats);
    }

    public Map<String, Object> list(@Body List<Job> jobs) {
        return data(jobs.stream().map(JobResponses::view).toList());
    }

    public Map<String, Object> one(@Body UUID uuid) {
        Job job = store.find(uuid).orElseThrow(() -> notFound(uuid));
        return data(view(job));
    }

    public Map<String, Object> cancel(@Body UUID uuid) {
        Job job = store.cancel(uuid).orElseThrow(() -> refusal(uuid, "ERR_JOB_NOT_CANCELLABLE",
                "a finished job cannot be cancelled"));
        return message("Job cancelled", job);
    }

    public Map<String, Object> retry(@Body UUID uuid) {
        Job job = store.retryNow(uuid).orElseThrow(() -> refusal(uuid, "ERR_JOB_NOT_RETRYABLE",
                "only a failed job can be retried"));
        return message("Job scheduled to run again now", job);
    }

    public Map<String, Object> error(@ExchangeException Exception exception) {
        return errorBody(exception instanceof ApiError || exception instanceof InvalidDependency
                ? exception.getMessage()
                : "ERR_INTERNAL: the request could not be completed; the server log says why");
    }

    /** {@code {"error": …, "success": false}}, the body of every refusal, whoever answers it. */
    static Map<String, Object> errorBody(String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("success", false);
        return body;
    }

    private static Map<String, Object> data(Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("success", true);
        return body;
    }

    private static Map<String, Object> message(String message, Job job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("success", true);
        body.put("data", view(job));
        return body;
    }

    public static Map<String, Object> view(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id());
        view.put("uuid", job.uuid().toString());
        view.put("job_type", job.jobType());
        view.put("data", job.data());
        view.put("status", job.status().wireName());
        view.put("job_response", job.jobResponse());
        view.put("retry_count", job.retryCount());
        view.put("retry_interval", job.retryInterval());
        view.put("run_after", timestamp(job.runAfter()));
        view.put("created_at", timestamp(job.createdAt()));
        view.put("updated_at", timestamp(job.updatedAt()));
        view.put("attempts", job.attempts());
        view.put("claimed_by", job.claimedBy());
        view.put("started_at", timestamp(job.startedAt()));
        view.put("completed_at", timestamp(job.completedAt()));
        view.put("priority", job.priority());
        view.put("queue", job.queue());
        view.put("timeout_seconds", job.timeoutSeconds());
        view.put("depends_on", job.dependsOn().stream().map(UUID::toString).toList());
        view.put("waiting_on", job.waitingOn());
        view.put("batch_uuid", job.batchUuid() == null ? null : job.batchUuid().toString());
        Job.Progress progress = job.progress();
        Map<String, Object> progressView = new LinkedHashMap<>();
        progressView.put("rows_read", progress.rowsRead());
        progressView.put("rows_written", progress.rowsWritten());
        progressView.put("rows_failed", progress.rowsFailed());
        progressView.put("bytes_read", progress.bytesRead());
        progressView.put("bytes_total", progress.bytesTotal());
        progressView.putAll(speed(job));
        if (job.checkpoint() != null) {
            // where the job would go on if it stopped now: after the last batch that every sink committed
            Map<String, Object> checkpoint = new LinkedHashMap<>();
            checkpoint.put("rows_read", job.checkpoint().path("rows_read").asLong());
            if (job.checkpoint().has("resume_at")) {
                // a source's own position: the next page's request, the last value of the checkpoint column
                checkpoint.put("resume_at", job.checkpoint().get("resume_at"));
            } else {
                checkpoint.put("byte_offset", job.checkpoint().path("byte_offset").asLong());
            }
            progressView.put("checkpoint", checkpoint);
        }
        view.put("progress", progressView);
        return view;
    }

    /**
     * How far and how fast: the share of the input read, rows per second of the current (or last) attempt,
     * and, while it runs, the seconds left at that speed. Null where the job does not know.
     */
    private static Map<String, Object> speed(Job job) {
        Job.Progress progress = job.progress();
        Map<String, Object> speed = new LinkedHashMap<>();
        Long total = progress.bytesTotal();
        Double percent = null;
        if (job.status() == JobStatus.COMPLETED) {
            percent = 100.0;
        } else if (total != null && total > 0) {
            percent = Math.min(100.0, Math.round(progress.bytesRead() * 1000.0 / total) / 10.0);
        }
        speed.put("percent", percent);
        Double rowsPerSecond = null;
        Long secondsLeft = null;
        if (job.startedAt() != null) {
            OffsetDateTime end = job.completedAt() != null ? job.completedAt() : OffsetDateTime.now();
            double seconds = Math.max(0.001, ChronoUnit.MILLIS.between(job.startedAt(), end) / 1000.0);
            long firstRow = job.checkpoint() == null ? 0 : job.checkpoint().path("attempt_first_row").asLong();
            long firstByte = job.checkpoint() == null ? 0 : job.checkpoint().path("attempt_first_byte").asLong();
            rowsPerSecond = Math.round((progress.rowsRead() - firstRow) / seconds * 10) / 10.0;
            double bytesPerSecond = (progress.bytesRead() - firstByte) / seconds;
            if (job.completedAt() == null && total != null && bytesPerSecond > 0) {
                secondsLeft = Math.round((total - progress.bytesRead()) / bytesPerSecond);
            }
        }
        speed.put("rows_per_second", rowsPerSecond);
        speed.put("seconds_left", secondsLeft);
        return speed;
    }

    private static String timestamp(OffsetDateTime time) {
        return time == null ? null : time.toInstant().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** Why a change to a job was not made: there is no such job, or its state does not allow the change. */
    private ApiError refusal(UUID uuid, String code, String rule) {
        Job existing = store.find(uuid).orElseThrow(() -> notFound(uuid));
        return ApiError.conflict(code + ": job " + uuid + " is " + existing.status() + "; " + rule);
    }

    private static ApiError notFound(UUID uuid) {
        return ApiError.notFound("ERR_JOB_NOT_FOUND: no job has the uuid " + uuid);
    }
}
