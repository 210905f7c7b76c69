package dev.dromedary.sinks;

/** A batch that failed after its redeliveries: its rows are in the dead letters, and the job that sent it fails. */
public final class BatchFailed extends RuntimeException {

    public BatchFailed(String message) {
        super(message);
    }
}
