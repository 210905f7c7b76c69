package dev.dromedary.vql;

/** A VQL query that cannot be run, with a message that names the field or part at fault. */
public final class VqlError extends IllegalArgumentException {

    public VqlError(String message) {
        super(message);
    }
}
