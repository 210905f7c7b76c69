package dev.dromedary.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server with {@value #RECORDS} records under each of four paged paths, one per kind of paging
 * (/api/page, /api/offset, /api/cursor, /api/link), which answers only requests that carry the bearer token, and
 * can be told to answer one page once with a 429 (Retry-After: 1) or to be slow. It logs every request.
 */
final class PagedApi implements AutoCloseable {

    static final int RECORDS = 2500;
    static final String TOKEN = "s3cret-token";

    /** One request as the server saw it: when it arrived (System.nanoTime), the path, its query parameters, the answer's status. */
    record Request(long at, String path, Map<String, String> query, int status) {
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** "path:page" (or offset, cursor) answered once with 429 before it is served. */
    final Set<String> throttleOnce = ConcurrentHashMap.newKeySet();
    /** "path:page" answered once with a 500 before it is served. */
    final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    volatile long delayMillis;

    PagedApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/api/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String base() {
        return "http://localhost:" + server.getAddress().getPort() + "/api/";
    }

    /** The key of record {@code i} (from 1) of {@code path}. */
    static String key(String path, int i) {
        return UUID.nameUUIDFromBytes((path + "-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    List<Request> requestsTo(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        String path = exchange.getRequestURI().getPath().substring("/api/".length());
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        try (exchange) {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, arrived, path, query, 401, "{\"error\": \"no valid token\"}");
                return;
            }
            if (exchange.getRequestHeaders().containsKey("JobUuid")) {
                answer(exchange, arrived, path, query, 400, "{\"error\": \"a header of the job's own leaked\"}");
                return;
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            int size = Integer.parseInt(query.getOrDefault("page_size", query.getOrDefault("limit", "100")));
            int first;
            String position;
            switch (path) {
                case "page" -> {
                    position = query.getOrDefault("page", "1");
                    first = (Integer.parseInt(position) - 1) * size + 1;
                }
                case "offset" -> {
                    position = query.getOrDefault("offset", "0");
                    first = Integer.parseInt(position) + 1;
                }
                case "cursor", "link" -> {
                    position = query.getOrDefault(path.equals("cursor") ? "cursor" : "after", "0");
                    first = Integer.parseInt(position) + 1;
                }
                case "moved" -> {
                    exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                    answer(exchange, arrived, path, query, 302, "");
                    return;
                }
                default -> {
                    answer(exchange, arrived, path, query, 404, "{\"error\": \"no such path\"}");
                    return;
                }
            }
            if (failOnce.remove(path + ":" + position)) {
                answer(exchange, arrived, path, query, 500, "{\"error\": \"try again\"}");
                return;
            }
            if (throttleOnce.remove(path + ":" + position)) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                answer(exchange, arrived, path, query, 429, "{\"error\": \"slow down\"}");
                return;
            }
            int last = Math.min(RECORDS, first + size - 1);
            StringBuilder records = new StringBuilder("[");
            for (int i = first; i <= last; i++) {
                records.append(i == first ? "" : ",").append("{\"id\": \"").append(key(path, i))
                        .append("\", \"name\": {\"first\": \"First ").append(i).append("\", \"last\": \"Last ").append(i)
                        .append("\"}, \"email\": \"").append(path).append('-').append(i).append("@example.com\", \"company\": ")
                        .append("{\"employees\": ").append(i).append("}, \"tags\": [\"a\", \"b\"]}");
            }
            records.append(']');
            String body;
            if (path.equals("cursor")) {
                body = "{\"data\": " + records + ", \"meta\": {\"next\": " + (last < RECORDS ? "\"" + last + "\"" : "null") + "}}";
            } else {
                body = "{\"data\": " + records + "}";
                if (path.equals("link") && last < RECORDS) {
                    exchange.getResponseHeaders().add("Link", "</api/link?after=" + last + "&page_size=" + size + ">; rel=\"next\"");
                }
            }
            answer(exchange, arrived, path, query, 200, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange exchange, long arrived, String path, Map<String, String> query, int status, String body)
            throws IOException {
        requests.add(new Request(arrived, path, query, status));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] parts = pair.split("=", 2);
                query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    static List<String> keys(String path) {
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= RECORDS; i++) {
            keys.add(key(path, i));
        }
        return keys;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
