package dev.dromedary.jobs;

/** A job's depends_on names a job or batch that does not exist, can never complete, or forms a cycle. */
public final class InvalidDependency extends IllegalArgumentException {

    public InvalidDependency(String reason) {
        super("ERR_INVALID_DEPENDENCY: " + reason);
    }
}
