package dev.dromedary.observe;

import dev.dromedary.jobs.JobExecution;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;

/**
 * Camel's spans (camel-opentelemetry) sent over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set: one trace per job
 * run, with a span for each endpoint it calls (a batch through direct:write-batch, each sink, S3, SQL, the
 * Elasticsearch requests), each span of a job with its uuid as {@value #JOB_UUID}; one trace per API request.
 * The rest of OpenTelemetry's settings (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_SAMPLER, ...) are
 * read from the environment as OpenTelemetry's SDK reads them.
 */
public final class Traces {

    public static final String JOB_UUID = "dromedary.job.uuid";
    /**
     * Not traced: the pollers (a trace each tick, of nothing) and the queue a claimed job waits in, so that a job's
     * run starts a trace of its own instead of joining the claim that took a hundred jobs; the job events go on in
     * traces of their own (each webhook POST is traced).
     */
    static final String NOT_TRACED = "timer:*,seda:claim-*,seda:jobs-*,seda:retry-*,direct:completed-jobs,"
            + "direct:job-event";

    private Traces() {
    }

    /** Installs the tracer when {@code endpoint} is set; answers the SDK to close when the context stops, or null. */
    public static OpenTelemetrySdk install(CamelContext context, String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        // defaults that OTEL_* environment variables (and system properties) still override
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.exporter.otlp.endpoint", endpoint,
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.service.name", "dromedary",
                        "otel.traces.exporter", "otlp",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setTracer(sdk.getTracer("dromedary"));
        tracer.setContextPropagators(sdk.getPropagators());
        tracer.setExcludePatterns(NOT_TRACED);
        tracer.setSpanCustomizer((span, operation, exchange) -> {
            String job = exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class);
            if (job != null) {
                span.setAttribute(JOB_UUID, job);
            }
        });
        tracer.init(context);
        return sdk;
    }
}
