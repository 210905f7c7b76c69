package dev.dromedary.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A job's report as one self-contained HTML page (inline style and SVG charts, no script, nothing fetched). */
public final class JobReportPage {

    private final ObjectMapper json;

    public JobReportPage(ObjectMapper json) {
        this.json = json;
    }

    public String html(Map<String, Object> answer) {
        JsonNode report = json.valueToTree(answer).path("data");
        JsonNode job = report.path("job");
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape("Job " + job.path("uuid").asText() + " (" + job.path("job_type").asText() + ")"))
                .append("</title>").append(Html.STYLE).append("</head><body>");
        page.append("<h1>").append(Html.escape(job.path("job_type").asText())).append(" <span class=\"muted\">")
                .append(Html.escape(job.path("uuid").asText())).append("</span>: ").append(Html.escape(job.path("status").asText()))
                .append("</h1>");
        page.append("<p>").append(Html.escape(job.path("job_response").path("messages").asText(""))).append("</p>");
        page.append("<table>");
        row(page, "created", job.path("created_at").asText(""));
        row(page, "started", job.path("started_at").asText(""));
        row(page, "ended", job.path("completed_at").asText(""));
        row(page, "queue, priority", job.path("queue").asText() + ", " + job.path("priority").asInt());
        JsonNode stages = report.path("stages");
        row(page, "waited before its first attempt", ms(stages.path("waiting_ms")));
        row(page, "ran", ms(stages.path("running_ms")));
        row(page, "waited between attempts", ms(stages.path("between_attempts_ms")));
        page.append("</table>");

        page.append("<h2>Attempts</h2><table><tr><th>#</th><th>instance</th><th>started</th><th>ended</th><th>outcome</th>")
                .append("<th>reason</th></tr>");
        for (JsonNode attempt : report.path("attempts")) {
            page.append("<tr><td class=\"num\">").append(attempt.path("attempt").asInt()).append("</td><td>")
                    .append(Html.escape(attempt.path("instance").asText(""))).append("</td><td>")
                    .append(Html.escape(attempt.path("started_at").asText(""))).append("</td><td>")
                    .append(Html.escape(attempt.path("ended_at").asText(""))).append("</td><td>")
                    .append(Html.escape(attempt.path("outcome").asText(""))).append("</td><td>")
                    .append(Html.escape(attempt.path("reason").asText(""))).append("</td></tr>");
        }
        page.append("</table>");

        JsonNode rows = report.path("rows");
        page.append("<h2>Rows</h2><table><tr><th>read</th><th>landed in PostgreSQL</th><th>landed in Elasticsearch</th>")
                .append("<th>dead letters</th></tr><tr><td class=\"num\">").append(rows.path("read").asLong())
                .append("</td><td class=\"num\">").append(rows.path("landed").path("postgresql").asLong())
                .append("</td><td class=\"num\">").append(rows.path("landed").path("elasticsearch").asLong())
                .append("</td><td class=\"num\">").append(rows.path("dead").asLong()).append("</td></tr></table>");

        if (report.path("samples").size() > 1) {
            page.append("<h2>Rows a second</h2>").append(speedChart(report.path("samples")));
        }
        if (!report.path("dead_letters_by_reason").isEmpty()) {
            List<String> reasons = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            report.path("dead_letters_by_reason").forEach(reason -> {
                reasons.add(reason.path("reason").asText());
                counts.add(reason.path("count").asLong());
            });
            page.append("<h2>Dead letters by reason</h2>").append(Html.bars(reasons, counts, "dead letters by reason"));
            page.append("<table><tr><th>reason</th><th class=\"num\">row</th><th>the row</th></tr>");
            for (JsonNode reason : report.path("dead_letters_by_reason")) {
                for (JsonNode example : reason.path("examples")) {
                    page.append("<tr><td>").append(Html.escape(example.path("error").asText())).append("</td><td class=\"num\">")
                            .append(example.path("row_number").asLong()).append("</td><td><code>")
                            .append(Html.escape(example.path("payload").asText())).append("</code></td></tr>");
                }
            }
            page.append("</table>");
        }
        return page.append("</body></html>").toString();
    }

    /** Rows a second between samples, as a line over the run's time: plain SVG. */
    static String speedChart(JsonNode samples) {
        int width = 640;
        int height = 180;
        long first = java.time.Instant.parse(samples.get(0).path("at").asText()).toEpochMilli();
        long last = java.time.Instant.parse(samples.get(samples.size() - 1).path("at").asText()).toEpochMilli();
        double fastest = 1;
        for (JsonNode sample : samples) {
            fastest = Math.max(fastest, sample.path("rows_per_second").asDouble(0));
        }
        StringBuilder points = new StringBuilder();
        for (JsonNode sample : samples) {
            if (sample.path("rows_per_second").isNull() || sample.path("rows_per_second").isMissingNode()) {
                continue;
            }
            long at = java.time.Instant.parse(sample.path("at").asText()).toEpochMilli();
            double x = 40 + (width - 50) * (last == first ? 0 : (double) (at - first) / (last - first));
            double y = height - 20 - (height - 30) * sample.path("rows_per_second").asDouble() / fastest;
            points.append(Math.round(x)).append(',').append(Math.round(y)).append(' ');
        }
        return "<svg role=\"img\" aria-label=\"rows a second over the run\" width=\"" + width + "\" height=\"" + height
                + "\" xmlns=\"http://www.w3.org/2000/svg\"><line x1=\"40\" y1=\"" + (height - 20) + "\" x2=\"" + (width - 10)
                + "\" y2=\"" + (height - 20) + "\" stroke=\"#aab\"/><line x1=\"40\" y1=\"10\" x2=\"40\" y2=\"" + (height - 20)
                + "\" stroke=\"#aab\"/><text x=\"0\" y=\"18\">" + Math.round(fastest) + "</text><text x=\"0\" y=\"" + (height - 22)
                + "\">0</text><text x=\"40\" y=\"" + (height - 4) + "\">0 s</text><text x=\"" + (width - 60) + "\" y=\""
                + (height - 4) + "\">" + Math.round((last - first) / 1000.0) + " s</text><polyline fill=\"none\" stroke=\"#4c78c8\" "
                + "stroke-width=\"2\" points=\"" + points.toString().trim() + "\"/></svg>";
    }

    private static void row(StringBuilder page, String name, String value) {
        page.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(value)).append("</td></tr>");
    }

    private static String ms(JsonNode millis) {
        return millis.isNull() || millis.isMissingNode() ? "" : String.format("%.1f s", millis.asLong() / 1000.0);
    }
}
