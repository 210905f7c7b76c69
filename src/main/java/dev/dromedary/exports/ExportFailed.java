package dev.dromedary.exports;

/** An export stopped by a step that failed after its redeliveries; its upload has been aborted. */
public final class ExportFailed extends RuntimeException {

    public ExportFailed(String message) {
        super(message);
    }
}
