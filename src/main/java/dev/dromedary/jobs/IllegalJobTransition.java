package dev.dromedary.jobs;

/** A status change that the job state machine does not allow; it is refused, never written. */
public final class IllegalJobTransition extends IllegalStateException {

    public IllegalJobTransition(JobStatus from, JobStatus to) {
        super("a job cannot go from " + from + " to " + to);
    }
}
