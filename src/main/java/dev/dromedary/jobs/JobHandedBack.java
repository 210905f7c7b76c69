package dev.dromedary.jobs;

/**
 * Thrown by a job's route when its instance is stopping and the job has reached a point where another
 * instance can go on with it (an import at a checkpoint): the runner hands the job back instead of failing it.
 */
public final class JobHandedBack extends RuntimeException {

    public JobHandedBack(String where) {
        super(where);
    }
}
