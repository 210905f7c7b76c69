package dev.dromedary.imports;

/** An import stopped by a batch that failed after its redeliveries; the batch's rows are in the dead letters. */
public final class ImportFailed extends RuntimeException {

    public ImportFailed(String message) {
        super(message);
    }
}
