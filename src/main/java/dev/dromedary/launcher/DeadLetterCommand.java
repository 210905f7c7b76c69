package dev.dromedary.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.app.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ./dromedary dlq stats|list|reprocess}: the dead letters of a running Dromedary, through its API at
 * {@code DROMEDARY_URL} (default {@code http://localhost:HTTP_PORT}) with the first of {@code API_KEYS}, or
 * the key kept in {@code DATA_DIR/api-key}: settings read as the application reads them.
 */
final class DeadLetterCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DeadLetterCommand(PrintStream out, Settings settings) {
        this.out = out;
        this.settings = settings;
    }

    /** Runs {@code args} (after {@code dlq}); returns the exit code. */
    int run(List<String> args) throws IOException, InterruptedException {
        if (args.isEmpty() || args.size() % 2 == 0) {
            return usage();
        }
        String job = null;
        String limit = null;
        for (int i = 1; i < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--job" -> job = args.get(i + 1);
                case "--limit" -> limit = args.get(i + 1);
                default -> {
                    return usage();
                }
            }
        }
        String query = (job == null ? "" : "job_uuid=" + URLEncoder.encode(job, StandardCharsets.UTF_8))
                + (limit == null ? "" : (job == null ? "" : "&") + "limit=" + URLEncoder.encode(limit, StandardCharsets.UTF_8));
        return switch (args.get(0)) {
            case "stats" -> print(send(HttpRequest.newBuilder(uri("/common/dead-letters/stats?" + query)).GET()));
            case "list" -> print(send(HttpRequest.newBuilder(uri("/common/dead-letters?" + query)).GET()));
            case "reprocess" -> {
                ObjectNode body = JSON.createObjectNode();
                if (job != null) {
                    body.put("job_uuid", job);
                }
                if (limit != null) {
                    body.put("limit", Integer.parseInt(limit));
                }
                yield print(send(HttpRequest.newBuilder(uri("/common/dead-letters/reprocess"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))));
            }
            default -> usage();
        };
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

    private int print(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body.has("data") ? body.get("data") : body));
        return response.statusCode() < 300 ? 0 : 1;
    }

    private URI uri(String path) {
        String base = settings.text("DROMEDARY_URL").isEmpty()
                ? "http://localhost:" + settings.text("HTTP_PORT") : settings.text("DROMEDARY_URL");
        return URI.create(base + path);
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

    private int usage() {
        out.print(Launcher.USAGE);
        return 2;
    }
}
