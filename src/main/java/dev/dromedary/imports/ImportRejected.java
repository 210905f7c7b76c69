package dev.dromedary.imports;

/** An import that cannot go on whatever is retried: no such object, no usable header, an unknown dataset. */
public final class ImportRejected extends RuntimeException {

    public ImportRejected(String message) {
        super(message);
    }
}
