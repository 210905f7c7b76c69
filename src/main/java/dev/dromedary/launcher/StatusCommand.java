package dev.dromedary.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.app.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code ./dromedary status [--watch]}: what a running Dromedary is doing, drawn from {@code GET /common/status}
 * for a terminal: jobs by status and queue, running jobs with progress bars, the oldest waiting job, stuck or
 * overdue runs, dead letters waiting, instances and their heartbeats.
 */
final class StatusCommand {

    private static final Duration WATCH_EVERY = Duration.ofSeconds(2);
    private static final int BAR = 24;

    private final PrintStream out;
    private final ApiClient api;

    StatusCommand(PrintStream out, Settings settings) {
        this.out = out;
        this.api = new ApiClient(settings);
    }

    int run(List<String> args) throws IOException, InterruptedException {
        boolean watch = args.equals(List.of("--watch"));
        if (!args.isEmpty() && !watch) {
            out.print(Launcher.USAGE);
            return 2;
        }
        do {
            String page = render(api.data(api.get("/common/status")), Instant.now());
            if (watch) {
                out.print("\033[H\033[2J");
            }
            out.print(page);
            out.flush();
            if (watch) {
                Thread.sleep(WATCH_EVERY.toMillis());
            }
        } while (watch);
        return 0;
    }

    String render(JsonNode status, Instant now) {
        StringBuilder page = new StringBuilder();
        page.append("Dromedary at ").append(api.base()).append(", ").append(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .append('\n');
        page.append("Jobs       ").append(counts(status.path("jobs_by_status")))
                .append(status.path("jobs_by_status_estimated").asBoolean() ? "  (completed and cancelled estimated)" : "").append('\n');
        for (Iterator<Map.Entry<String, JsonNode>> queues = status.path("jobs_by_queue").fields(); queues.hasNext(); ) {
            Map.Entry<String, JsonNode> queue = queues.next();
            page.append(String.format("  %-9s %s%n", queue.getKey(), counts(queue.getValue())));
        }
        JsonNode running = status.path("running");
        page.append("Running    ").append(running.isEmpty() ? "none" : running.size() + (running.size() == 50 ? "+" : "")).append('\n');
        for (JsonNode job : running) {
            JsonNode progress = job.path("progress");
            page.append(String.format("  %s %-22s %-8s %s %s  %s rows  %s%s  on %s%n",
                    job.path("uuid").asText().substring(0, 8), job.path("job_type").asText(), job.path("queue").asText(),
                    bar(progress.path("percent")), percent(progress.path("percent")), progress.path("rows_read").asLong(),
                    progress.path("rows_per_second").isNumber() ? Math.round(progress.path("rows_per_second").asDouble()) + " rows/s" : "",
                    progress.path("seconds_left").isNumber() ? ", " + progress.path("seconds_left").asLong() + " s left" : "",
                    job.path("claimed_by").asText()));
        }
        List<String> waiting = new ArrayList<>();
        status.path("oldest_waiting").forEach(job -> waiting.add(job.path("queue").asText() + " " + job.path("waiting_seconds").asDouble()
                + " s (" + job.path("job_type").asText() + " " + job.path("uuid").asText().substring(0, 8) + ")"));
        page.append("Waiting    ").append(waiting.isEmpty() ? "nothing waits" : "oldest: " + String.join(", ", waiting)).append('\n');
        JsonNode troubled = status.path("troubled");
        page.append("Troubled   ").append(troubled.isEmpty() ? "none" : "").append('\n');
        for (JsonNode job : troubled) {
            page.append(String.format("  %s %-22s %s%s on %s, heartbeat %s%n", job.path("uuid").asText().substring(0, 8),
                    job.path("job_type").asText(), job.path("stuck").asBoolean() ? "stuck " : "",
                    job.path("overdue").asBoolean() ? "past its timeout " : "", job.path("claimed_by").asText(),
                    job.path("heartbeat_at").asText()));
        }
        for (JsonNode skips : status.path("schedule_skips")) {
            page.append(String.format("Skipped    schedule %s made no job %d times in the last day, last at %s: %s%n",
                    skips.path("schedule").asText(), skips.path("skips").asLong(), skips.path("last_skipped_at").asText(),
                    skips.path("last_reason").asText()));
        }
        page.append("Dead letters waiting: ").append(status.path("dead_letters_waiting").asLong()).append('\n');
        JsonNode retention = status.path("retention");
        page.append("Pruned     ").append(retention.path("jobs_pruned").asLong()).append(" finished jobs past their retention")
                .append(retention.path("last_pruned_at").isTextual() ? ", last at " + retention.path("last_pruned_at").asText() : "")
                .append('\n');
        page.append("Instances").append('\n');
        for (JsonNode instance : status.path("instances")) {
            long age = Duration.between(Instant.parse(instance.path("heartbeat_at").asText()), now).toSeconds();
            List<String> runs = new ArrayList<>();
            instance.path("runs").path("queues").forEach(queue -> runs.add(queue.asText()));
            page.append(String.format("  %-28s %s, heartbeat %d s ago; queues %s%s%s%n", instance.path("id").asText(),
                    instance.path("alive").asBoolean() ? "alive" : "GONE", Math.max(0, age), runs,
                    instance.path("runs").path("retry_runner").asBoolean() ? ", retries" : "",
                    instance.path("runs").path("http").asBoolean() ? ", HTTP" : ""));
        }
        return page.toString();
    }

    private static String counts(JsonNode byStatus) {
        List<String> counts = new ArrayList<>();
        byStatus.fields().forEachRemaining(entry -> counts.add(entry.getKey() + " " + entry.getValue().asLong()));
        return String.join("  ", counts);
    }

    private static String bar(JsonNode percent) {
        int filled = percent.isNumber() ? (int) Math.round(percent.asDouble() * BAR / 100) : 0;
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "]";
    }

    private static String percent(JsonNode percent) {
        return percent.isNumber() ? String.format("%5.1f%%", percent.asDouble()) : "    ?";
    }
}
