package dev.dromedary.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runner routes call around a job type's route: {@link #begin} before it, then {@link #succeed}
 * (and {@link #recordCompleted}) or {@link #fail}. A job type's route gets the job's data as its body and the headers below; it may set
 * the variable {@value #MESSAGE} (a sentence for {@code job_response.messages}) and the variable
 * {@value #RESPONSE} (a map of fields to add to {@code job_response}, such as counts or an S3 key).
 */
public final class JobExecution {

    public static final String JOB_UUID = "JobUuid";
    public static final String JOB_TYPE = "JobType";
    public static final String JOB_ATTEMPT = "JobAttempt";
    /** Where the job said it would resume, as JSON; absent when it never said. */
    public static final String JOB_CHECKPOINT = "JobCheckpoint";
    public static final String STARTED = "JobStarted";
    public static final String MESSAGE = "jobMessage";
    public static final String RESPONSE = "jobResponse";

    private static final String RUNNING_JOB = "dromedary.runningJob";
    private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);

    private final JobStore store;
    private final RetryBackoff backoff;
    private final ObjectMapper json;
    private final Outcomes outcomes;
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** The worker thread of each run (uuid/attempt) that is running here, for a timeout to interrupt. */
    private final Map<String, Thread> workers = new ConcurrentHashMap<>();
    private Runnable onEnded = () -> { };

    /** What this instance's jobs came to, for its metrics. */
    public interface Outcomes {
        void started(String jobType);

        void completed(String jobType);

        void failed(String jobType);
    }

    public JobExecution(JobStore store, RetryBackoff backoff, ObjectMapper json, Outcomes outcomes) {
        this.store = store;
        this.backoff = backoff;
        this.json = json;
        this.outcomes = outcomes;
    }

    /** From now on no job starts here, and running jobs that can go on elsewhere are handed back at their next checkpoint. */
    public void stop() {
        store.stopClaiming();
        if (!stopping.getAndSet(true)) {
            LOG.info("Instance {} is stopping: no more jobs start here; running imports are handed back at their next checkpoint",
                    store.owner());
        }
    }

    public boolean isStopping() {
        return stopping.get();
    }

    /** Runs after every job this instance ran to its end here (completed or failed), for --max-jobs. */
    public void onEnded(Runnable hook) {
        this.onEnded = hook;
    }

    /**
     * Fails the runs of this instance that are past their timeout_seconds with ERR_JOB_TIMEOUT (the retry
     * policy applies): a run that records progress (imports, exports) stops at its next checkpoint, since that
     * write is fenced out; a run that records none is interrupted.
     */
    public void enforceTimeouts() {
        for (Job overdue : store.overdueHere()) {
            Long delay = backoff.delaySeconds(overdue);
            ObjectNode response = json.createObjectNode();
            response.putArray("runtime_errors").add("ERR_JOB_TIMEOUT: the job ran longer than its timeout_seconds ("
                    + overdue.timeoutSeconds() + " s) and was stopped on attempt " + overdue.attempts());
            response.put("messages", delay == null
                    ? "Job timed out on attempt " + overdue.attempts() + "; no retries left"
                    : "Job timed out on attempt " + overdue.attempts() + "; retrying in " + delay + " s");
            boolean recordsProgress = store.recordsProgress(overdue);
            if (record(overdue, store.fail(overdue, response, delay), "timed out")) {
                outcomes.failed(overdue.jobType());
                LOG.warn("Job {} ({}) ran past its timeout of {} s", overdue.uuid(), overdue.jobType(), overdue.timeoutSeconds());
                if (!recordsProgress) {
                    interrupt(overdue);
                }
            }
        }
    }

    private void interrupt(Job job) {
        synchronized (workers) {
            Thread worker = workers.get(run(job));
            if (worker != null) {
                worker.interrupt();
            }
        }
    }

    private void ended(Job job) {
        synchronized (workers) {
            if (workers.remove(run(job)) == Thread.currentThread()) {
                // an interrupt meant for this run must not reach the next job of this worker
                Thread.interrupted();
            }
        }
        onEnded.run();
    }

    private static String run(Job job) {
        return job.uuid() + "/" + job.attempts();
    }

    /** Takes a claimed job from the body and marks it running; header {@value #STARTED} says whether it may run. */
    public void begin(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        Job claimed = exchange.getMessage().getMandatoryBody(Job.class);
        if (stopping.get()) {
            // left as claimed: the instance hands its queued jobs back once its routes have stopped
            exchange.getMessage().setHeader(STARTED, false);
            return;
        }
        Optional<Job> running = store.start(claimed);
        exchange.getMessage().setHeader(STARTED, running.isPresent());
        if (running.isEmpty()) {
            LOG.info("Job {} is no longer {} for this instance (cancelled, taken back, or a partition its import ran); not running it",
                    claimed.uuid(), claimed.status());
            return;
        }
        Job job = running.get();
        workers.put(run(job), Thread.currentThread());
        exchange.setProperty(RUNNING_JOB, job);
        exchange.getMessage().setHeader(JOB_UUID, job.uuid().toString());
        exchange.getMessage().setHeader(JOB_TYPE, job.jobType());
        exchange.getMessage().setHeader(JOB_ATTEMPT, job.attempts());
        if (job.checkpoint() != null) {
            exchange.getMessage().setHeader(JOB_CHECKPOINT, job.checkpoint());
        }
        exchange.getMessage().setBody(json.treeToValue(job.data(), Map.class));
        outcomes.started(job.jobType());
        LOG.info("Job {} ({}) started, attempt {}", job.uuid(), job.jobType(), job.attempts());
    }

    /**
     * The run ended well: answers it with its response, for {@link #recordCompleted} to write together with
     * the others that ended meanwhile (routes/job-runner.camel.yaml); the worker goes on to its next job.
     */
    public JobStore.Completed succeed(Exchange exchange) {
        Job job = runningJob(exchange);
        ObjectNode response = json.createObjectNode();
        Object fields = exchange.getVariable(RESPONSE);
        if (fields != null) {
            response.setAll((ObjectNode) json.valueToTree(fields));
        }
        String message = exchange.getVariable(MESSAGE, String.class);
        response.put("messages", message != null ? message : "Job completed successfully");
        store.ended(job);
        ended(job);
        return new JobStore.Completed(job, response);
    }

    /** Writes the runs that ended well, in one statement. */
    public void recordCompleted(List<JobStore.Completed> completed) {
        Set<UUID> recorded = store.completeAll(completed);
        for (JobStore.Completed run : completed) {
            Job job = run.job();
            if (record(job, recorded.contains(job.uuid()) ? Optional.of(job) : Optional.empty(), "completed")) {
                outcomes.completed(job.jobType());
            }
        }
    }

    public void fail(Exchange exchange) {
        Job job = runningJob(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        JobHandedBack handedBack = ObjectHelper.getException(JobHandedBack.class, cause);
        if (handedBack != null) {
            handBack(job, "Handed back " + handedBack.getMessage() + " as instance " + store.owner() + " stopped");
            synchronized (workers) {
                workers.remove(run(job));
            }
            return;
        }
        if (stopping.get() && ObjectHelper.getException(InterruptedException.class, cause) != null) {
            // the instance's forced stop interrupted the run: it is handed back with the others once the routes stopped
            LOG.info("Job {} ({}) was interrupted as instance {} stops; it is handed back", job.uuid(), job.jobType(), store.owner());
            synchronized (workers) {
                workers.remove(run(job));
            }
            return;
        }
        String error = describe(cause);
        Long delay = backoff.delaySeconds(job);
        ObjectNode response = json.createObjectNode();
        response.putArray("runtime_errors").add(error);
        response.put("messages", delay == null
                ? "Job failed on attempt " + job.attempts() + "; no retries left"
                : "Job failed on attempt " + job.attempts() + "; retrying in " + delay + " s");
        if (record(job, store.fail(job, response, delay), "failed")) {
            outcomes.failed(job.jobType());
            LOG.warn("Job {} ({}) failed: {}", job.uuid(), job.jobType(), error, cause);
        }
        ended(job);
    }

    /** Gives a running job back for any instance to go on with, saying why in its response. */
    public void handBack(Job job, String message) {
        ObjectNode response = job.jobResponse() == null || !job.jobResponse().isObject()
                ? json.createObjectNode() : ((ObjectNode) job.jobResponse()).deepCopy();
        response.put("messages", message);
        if (record(job, store.handBack(job, response), "handed back")) {
            LOG.info("Job {} ({}): {}", job.uuid(), job.jobType(), message);
        }
    }

    private boolean record(Job job, Optional<Job> written, String outcome) {
        if (written.isEmpty()) {
            LOG.info("Job {} {}, but it was changed meanwhile (cancelled or taken back); outcome not recorded",
                    job.uuid(), outcome);
            return false;
        }
        LOG.info("Job {} ({}) {}", job.uuid(), job.jobType(), outcome);
        return true;
    }

    private static Job runningJob(Exchange exchange) {
        return exchange.getProperty(RUNNING_JOB, Job.class);
    }

    /** The error that says what went wrong: Camel's wrappers (multicast, split, …) name only where it happened. */
    private static String describe(Throwable error) {
        if (error == null) {
            return "the job failed without an error";
        }
        Throwable cause = error;
        while ((cause instanceof CamelExchangeException || cause instanceof RuntimeCamelException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
