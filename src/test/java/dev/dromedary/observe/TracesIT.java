package dev.dromedary.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.OtlpReceiver;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, an import is one trace of its own at a real OTLP/HTTP receiver: a span per
 * batch and per sink, each with the job's uuid; without it, nothing is sent.
 */
@ExtendWith(RealServices.class)
class TracesIT {

    @Test
    void anImportIsOneTraceWithASpanPerBatchAndSinkEachNamingTheJob() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String job;
        try (OtlpReceiver collector = new OtlpReceiver()) {
            try (RunningDromedary dromedary = RunningDromedary.named("traces", database)
                    .with("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url()).with("BATCH_SIZE_FOR_INSERTION", 100).start()) {
                assertThat(dromedary.context().hasService(OpenTelemetryTracer.class)).isNotNull();
                ImportFixture imports = new ImportFixture(dromedary, database);
                imports.upload("traces/contacts.csv", ImportFixture.sample("contact", 1_000, 5));
                JsonNode done = imports.importAndWait("traces/contacts.csv", "contact");
                assertThat(done.get("status").asText()).isEqualTo("completed");
                job = done.get("uuid").asText();
            }
            // the SDK sends what it holds as the application stops
            List<OtlpReceiver.Span> spans = collector.spans();
            List<OtlpReceiver.Span> ofJob = spans.stream().filter(span -> job.equals(span.attributes().get(Traces.JOB_UUID)))
                    .toList();
            assertThat(ofJob).isNotEmpty();
            assertThat(ofJob).allSatisfy(span -> assertThat(span.service()).isEqualTo("dromedary"));
            Set<String> traces = ofJob.stream().map(OtlpReceiver.Span::traceId).collect(Collectors.toSet());
            assertThat(traces).as("one trace for the job's run").hasSize(1);
            String trace = traces.iterator().next();
            List<OtlpReceiver.Span> inTrace = spans.stream().filter(span -> span.traceId().equals(trace)).toList();
            assertThat(inTrace).as("the trace is the job's alone")
                    .allSatisfy(span -> assertThat(span.attributes().get(Traces.JOB_UUID)).isIn(job, null));
            assertThat(inTrace).filteredOn(span -> span.parentSpanId().isEmpty()).as("one root").hasSize(1);
            assertThat(count(ofJob, "write-batch")).as("a span per batch").isGreaterThanOrEqualTo(10);
            assertThat(count(ofJob, "upsert-rows")).as("PostgreSQL, per batch").isGreaterThanOrEqualTo(10);
            assertThat(count(ofJob, "index-rows")).as("Elasticsearch, per batch").isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void withoutAnEndpointNothingIsTraced() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("untraced", database).start()) {
            assertThat(dromedary.context().hasService(OpenTelemetryTracer.class)).isNull();
        }
    }

    private static long count(List<OtlpReceiver.Span> spans, String name) {
        return spans.stream().filter(span -> span.name().contains(name)).count();
    }
}
