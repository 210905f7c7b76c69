package dev.dromedary.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.app.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** {@code ./dromedary report UUID [--html FILE]}: a job's report in the terminal, or its page written to a file. */
final class ReportCommand {

    private final PrintStream out;
    private final ApiClient api;

    ReportCommand(PrintStream out, Settings settings) {
        this.out = out;
        this.api = new ApiClient(settings);
    }

    int run(List<String> args) throws IOException, InterruptedException {
        if (args.isEmpty() || !(args.size() == 1 || args.size() == 3 && args.get(1).equals("--html"))) {
            out.print(Launcher.USAGE);
            return 2;
        }
        String uuid;
        try {
            uuid = UUID.fromString(args.get(0)).toString();
        } catch (IllegalArgumentException e) {
            out.println("dromedary report: '" + args.get(0) + "' is not a job's uuid");
            return 2;
        }
        if (args.size() == 3) {
            HttpResponse<String> page = api.get("/common/jobs/" + uuid + "/report", "text/html");
            if (page.statusCode() != 200) {
                api.data(page);
            }
            Path file = Path.of(args.get(2));
            Files.writeString(file, page.body(), StandardCharsets.UTF_8);
            out.println("The report of job " + uuid + " is in " + file.toAbsolutePath());
            return 0;
        }
        out.print(render(api.data(api.get("/common/jobs/" + uuid + "/report"))));
        return 0;
    }

    String render(JsonNode report) {
        JsonNode job = report.path("job");
        StringBuilder text = new StringBuilder();
        text.append("Job ").append(job.path("uuid").asText()).append(" (").append(job.path("job_type").asText()).append("): ")
                .append(job.path("status").asText()).append('\n');
        if (!job.path("job_response").path("messages").asText("").isEmpty()) {
            text.append("  ").append(job.path("job_response").path("messages").asText()).append('\n');
        }
        text.append(String.format("Created %s, started %s, ended %s%n", job.path("created_at").asText("-"),
                job.path("started_at").asText("-"), job.path("completed_at").asText("-")));
        text.append("Attempts\n");
        for (JsonNode attempt : report.path("attempts")) {
            text.append(String.format("  %d on %s: %s at %s%s%n", attempt.path("attempt").asInt(), attempt.path("instance").asText(),
                    attempt.path("outcome").asText(), attempt.path("ended_at").asText("-"),
                    attempt.path("reason").isNull() ? "" : "; " + attempt.path("reason").asText()));
        }
        JsonNode rows = report.path("rows");
        text.append(String.format("Rows       %d read, %d landed in PostgreSQL, %d in Elasticsearch, %d dead letters%n",
                rows.path("read").asLong(), rows.path("landed").path("postgresql").asLong(),
                rows.path("landed").path("elasticsearch").asLong(), rows.path("dead").asLong()));
        for (JsonNode reason : report.path("dead_letters_by_reason")) {
            text.append(String.format("  %6d  %s (rows %s)%n", reason.path("count").asLong(), reason.path("reason").asText(),
                    String.join(", ", reason.path("examples").findValuesAsText("row_number"))));
        }
        double fastest = 0;
        for (JsonNode sample : report.path("samples")) {
            fastest = Math.max(fastest, sample.path("rows_per_second").asDouble(0));
        }
        if (report.path("samples").size() > 0) {
            text.append(String.format("Speed      %d samples, at most %.0f rows a second%n", report.path("samples").size(), fastest));
        }
        return text.toString();
    }
}
