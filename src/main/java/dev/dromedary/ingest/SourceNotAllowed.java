package dev.dromedary.ingest;

/** A job names a source the settings do not allow (HTTP_SOURCES_ALLOWED): refused with ERR_SOURCE_NOT_ALLOWED. */
public final class SourceNotAllowed extends RuntimeException {

    public SourceNotAllowed(String message) {
        super(message);
    }
}
