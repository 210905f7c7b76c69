package dev.dromedary.formats;

/** A file that cannot be read on as it stands (no header, a quote never closed, not the format it says). */
public final class UnreadableFile extends RuntimeException {

    public UnreadableFile(String message) {
        super(message);
    }
}
