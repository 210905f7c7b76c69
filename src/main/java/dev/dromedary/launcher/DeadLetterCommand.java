package dev.dromedary.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.app.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code ./dromedary dlq stats|list|reprocess}: the dead letters of a running Dromedary, through its API. */
final class DeadLetterCommand {

    private final PrintStream out;
    private final ApiClient api;

    DeadLetterCommand(PrintStream out, Settings settings) {
        this.out = out;
        this.api = new ApiClient(settings);
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
            case "stats" -> print(api.get("/common/dead-letters/stats?" + query));
            case "list" -> print(api.get("/common/dead-letters?" + query));
            case "reprocess" -> {
                ObjectNode body = ApiClient.JSON.createObjectNode();
                if (job != null) {
                    body.put("job_uuid", job);
                }
                if (limit != null) {
                    body.put("limit", Integer.parseInt(limit));
                }
                yield print(api.post("/common/dead-letters/reprocess", body.toString()));
            }
            default -> usage();
        };
    }

    private int print(HttpResponse<String> response) throws IOException {
        JsonNode body = ApiClient.JSON.readTree(response.body());
        out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body.has("data") ? body.get("data") : body));
        return response.statusCode() < 300 ? 0 : 1;
    }

    private int usage() {
        out.print(Launcher.USAGE);
        return 2;
    }
}
