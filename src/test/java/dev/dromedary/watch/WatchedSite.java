package dev.dromedary.watch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server of pages a test edits between runs: each answered with an ETag of its content (and a 304 to a
 * request that carries it), with paths that answer a 429 or a 500 once, redirect elsewhere, send 50 MB, or answer
 * slowly. It logs every request with the headers a watch sends.
 */
final class WatchedSite implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String path, int status, String userAgent, String ifNoneMatch) {
    }

    private final HttpServer server;
    final Map<String, String> pages = new ConcurrentHashMap<>();
    final Map<String, String> contentTypes = new ConcurrentHashMap<>();
    final Map<String, String> redirects = new ConcurrentHashMap<>();
    final Set<String> throttleOnce = ConcurrentHashMap.newKeySet();
    final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    final Map<String, Long> slow = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    WatchedSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String base() {
        return "http://localhost:" + server.getAddress().getPort() + "/";
    }

    List<Request> requestsTo(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(1);
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        try (exchange) {
            int status = answer(exchange, path, ifNoneMatch);
            requests.add(new Request(path, status, userAgent, ifNoneMatch));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private int answer(HttpExchange exchange, String path, String ifNoneMatch) throws Exception {
        if (slow.containsKey(path)) {
            Thread.sleep(slow.get(path));
        }
        if (throttleOnce.remove(path)) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            return send(exchange, 429, "slow down");
        }
        if (failOnce.remove(path)) {
            return send(exchange, 500, "the server broke");
        }
        if (redirects.containsKey(path)) {
            exchange.getResponseHeaders().set("Location", redirects.get(path));
            return send(exchange, 302, "");
        }
        if (path.startsWith("huge")) {
            boolean announced = path.equals("huge-announced");
            long size = 50L * 1024 * 1024;
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, announced ? size : 0);
            byte[] chunk = "<p>all work and no play</p>\n".repeat(2048).getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
                }
            } catch (IOException closedByTheWatch) {
                // the watch stops reading at WATCH_MAX_BYTES
            }
            return 200;
        }
        String page = pages.get(path);
        if (page == null) {
            return send(exchange, 404, "no such page");
        }
        String etag = "\"" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                .digest(page.getBytes(StandardCharsets.UTF_8))).substring(0, 16) + "\"";
        exchange.getResponseHeaders().set("ETag", etag);
        if (etag.equals(ifNoneMatch)) {
            exchange.sendResponseHeaders(304, -1);
            return 304;
        }
        exchange.getResponseHeaders().set("Content-Type", contentTypes.getOrDefault(path, "text/html; charset=utf-8"));
        return send(exchange, 200, page);
    }

    private static int send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
