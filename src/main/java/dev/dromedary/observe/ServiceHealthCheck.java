package dev.dromedary.observe;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a service Dromedary needs (PostgreSQL, S3, Elasticsearch): up when a cheap request to it
 * answers, down with the reason when it does not. Camel's health registry finds these beans in the registry.
 */
public final class ServiceHealthCheck extends AbstractHealthCheck {

    private final Callable<String> probe;

    /** {@code probe} answers what it reached (shown in the check's details), or throws why it could not. */
    public ServiceHealthCheck(String service, Callable<String> probe) {
        super("dromedary", service);
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        // a service being down does not make this process one to restart
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            builder.detail("reached", probe.call()).up();
        } catch (Exception e) {
            builder.message(getId() + " does not answer: " + e.getMessage()).error(e).down();
        }
    }
}
