package dev.dromedary.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server in front of the test run's Elasticsearch that passes every request on, but for the
 * faults a test asks for in {@code _bulk} requests: documents answered 429 as a busy cluster answers them
 * (and not passed on), or a whole bulk request holding a given document answered 503.
 */
public final class ElasticsearchFaults implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String target;
    private final AtomicInteger busyRequests = new AtomicInteger();
    private volatile int busyDocuments;
    private volatile String failingId;
    private final AtomicInteger failures = new AtomicInteger();
    /** The number of documents in each bulk request that reached this server, in order. */
    public final List<Integer> bulkSizes = new CopyOnWriteArrayList<>();

    public ElasticsearchFaults() throws IOException {
        this.target = RealServices.elasticsearchUrl();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code requests} bulk requests each get their first {@code documents} documents answered 429. */
    public void busyFor(int requests, int documents) {
        busyDocuments = documents;
        busyRequests.set(requests);
    }

    /** The next {@code times} bulk requests that hold document {@code id} are answered 503, whole. */
    public void failBulksHolding(String id, int times) {
        failingId = id;
        failures.set(times);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().toString();
            if (exchange.getRequestURI().getPath().endsWith("/_bulk")) {
                bulk(exchange, path, new String(body, StandardCharsets.UTF_8));
                return;
            }
            answer(exchange, forward(exchange, exchange.getRequestMethod(), path, body));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void bulk(HttpExchange exchange, String path, String body) throws IOException, InterruptedException {
        String[] lines = body.split("\n");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < lines.length; i += 2) {
            ids.add(JSON.readTree(lines[i]).path("index").path("_id").asText());
        }
        bulkSizes.add(ids.size());
        String failing = failingId;
        if (failing != null && ids.contains(failing) && failures.getAndDecrement() > 0) {
            answer(exchange, 503, "{\"error\": \"the test made this bulk request fail\", \"status\": 503}");
            return;
        }
        int busy = busyRequests.getAndDecrement() > 0 ? Math.min(busyDocuments, ids.size()) : 0;
        StringBuilder passed = new StringBuilder();
        for (int i = 2 * busy; i < lines.length; i++) {
            passed.append(lines[i]).append('\n');
        }
        ObjectNode answer;
        if (busy < ids.size()) {
            HttpResponse<String> response = forward(exchange, "POST", path, passed.toString().getBytes(StandardCharsets.UTF_8));
            if (busy == 0) {
                answer(exchange, response);
                return;
            }
            answer = (ObjectNode) JSON.readTree(response.body());
        } else {
            answer = JSON.createObjectNode();
            answer.putArray("items");
        }
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < busy; i++) {
            ObjectNode item = items.addObject().putObject("index");
            item.put("_id", ids.get(i)).put("status", 429);
            item.putObject("error").put("type", "es_rejected_execution_exception")
                    .put("reason", "rejected execution of coordinating operation (made by the test)");
        }
        for (JsonNode item : answer.path("items")) {
            items.add(item);
        }
        answer.put("errors", true);
        answer.set("items", items);
        answer(exchange, 200, JSON.writeValueAsString(answer));
    }

    private HttpResponse<String> forward(HttpExchange exchange, String method, String path, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final java.util.Set<String> RESTRICTED = java.util.Set.of("connection", "content-length", "expect",
            "host", "upgrade", "accept-encoding", "keep-alive", "transfer-encoding");

    private static void answer(HttpExchange exchange, HttpResponse<String> response) throws IOException {
        response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
        answer(exchange, response.statusCode(), response.body());
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("application/json"));
        // the Elasticsearch clients refuse an answer without it
        exchange.getResponseHeaders().set("X-Elastic-Product", "Elasticsearch");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
