package dev.dromedary.ingest;

/** A source (a database, an HTTP API) failed in a way that a later attempt may not meet: the step is tried again. */
public final class SourceFailed extends RuntimeException {

    public SourceFailed(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceFailed(String message) {
        super(message);
    }
}
