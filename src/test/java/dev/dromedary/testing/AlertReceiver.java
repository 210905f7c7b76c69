package dev.dromedary.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver of alert notices, for a Slack incoming webhook (/slack) and a plain webhook (/hooks): it keeps
 * every request it reads, and can answer one path's first request with a 500, or hold it unanswered until released.
 */
public final class AlertReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Received(String path, String alertId, String signature, byte[] raw, JsonNode body, Instant at) {
    }

    private final HttpServer server;
    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    public final Set<String> holdOnce = ConcurrentHashMap.newKeySet();
    public final CountDownLatch held = new CountDownLatch(1);
    public final CountDownLatch release = new CountDownLatch(1);

    public AlertReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + "/" + path;
    }

    public List<Received> at(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(1);
            byte[] raw = exchange.getRequestBody().readAllBytes();
            received.add(new Received(path, exchange.getRequestHeaders().getFirst("X-Dromedary-Alert-Id"),
                    exchange.getRequestHeaders().getFirst("X-Dromedary-Signature"), raw, JSON.readTree(raw), Instant.now()));
            if (holdOnce.remove(path)) {
                held.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
            int status = failOnce.remove(path) ? 500 : 200;
            byte[] answer = (status == 200 ? "ok" : "invalid_token").getBytes();
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
