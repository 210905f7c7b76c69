package dev.dromedary.jobs;

import org.apache.camel.Exchange;

/** What a dead-letter route says of the step that failed: the root cause and the endpoint it failed at. */
public final class StepFailure {

    private StepFailure() {
    }

    /** For example {@code Connection refused (at elasticsearch://dromedary?operation=Bulk)}. */
    public static String describe(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String reason = cause == null ? "unknown error"
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String endpoint = exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
        return endpoint == null ? reason : reason + " (at " + endpoint + ")";
    }
}
