package dev.dromedary.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.app.Settings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The API of a running Dromedary, for the commands that talk to one: at {@code DROMEDARY_URL} (default
 * {@code http://localhost:HTTP_PORT}) with the first of {@code API_KEYS}, or the key kept in
 * {@code DATA_DIR/api-key}: settings read as the application reads them.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(Settings settings) {
        this.settings = settings;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A GET whose answer is to be in {@code mediaType} (text/html, say). */
    HttpResponse<String> get(String path, String mediaType) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", mediaType).GET());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The answer's {@code data}, or an IOException saying why there is none. */
    JsonNode data(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() >= 300 || !body.has("data")) {
            throw new IOException("the API answered " + response.statusCode() + ": " + body.path("error").asText(response.body()));
        }
        return body.get("data");
    }

    String base() {
        return settings.text("DROMEDARY_URL").isEmpty()
                ? "http://localhost:" + settings.text("HTTP_PORT") : settings.text("DROMEDARY_URL");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.header("X-API-Key", apiKey()).timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("no Dromedary answers at " + built.uri().resolve("/")
                    + "; start it, or set DROMEDARY_URL (or HTTP_PORT) to where it runs", e);
        }
    }

    private URI uri(String path) {
        return URI.create(base() + path);
    }

    private String apiKey() throws IOException {
        List<String> keys = settings.list("API_KEYS");
        if (!keys.isEmpty()) {
            return keys.get(0);
        }
        Path file = Path.of(settings.text("DATA_DIR"), "api-key");
        if (!Files.exists(file)) {
            throw new IOException("no API key: set API_KEYS, or run Dromedary once so that it makes " + file);
        }
        return Files.readString(file).trim();
    }
}
