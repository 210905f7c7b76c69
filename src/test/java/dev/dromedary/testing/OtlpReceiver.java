package dev.dromedary.testing;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** An OTLP/HTTP trace receiver (POST /v1/traces, protobuf), as a collector is: it keeps every span it is sent. */
public final class OtlpReceiver implements AutoCloseable {

    /** One span as received: its names, ids, attributes and the service that sent it. */
    public record Span(String name, String traceId, String spanId, String parentSpanId, Map<String, String> attributes,
                       String service) {
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                for (ResourceSpans resource : request.getResourceSpansList()) {
                    String service = attributes(resource.getResource().getAttributesList()).get("service.name");
                    for (ScopeSpans scope : resource.getScopeSpansList()) {
                        for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                            spans.add(new Span(span.getName(), hex(span.getTraceId().toByteArray()),
                                    hex(span.getSpanId().toByteArray()), hex(span.getParentSpanId().toByteArray()),
                                    attributes(span.getAttributesList()), service));
                        }
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    /** The base URL an exporter is given as OTEL_EXPORTER_OTLP_ENDPOINT. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey,
                attribute -> attribute.getValue().hasStringValue() ? attribute.getValue().getStringValue()
                        : attribute.getValue().toString().trim(), (first, second) -> second));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
