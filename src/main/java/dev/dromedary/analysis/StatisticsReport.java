package dev.dromedary.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A dataset_statistics result as one self-contained HTML page: the dataset's score, then a table of its columns. */
public final class StatisticsReport {

    public String html(JsonNode statistics) {
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape("Statistics of " + statistics.path("dataset").asText())).append("</title>")
                .append(Html.STYLE).append("</head><body>");
        page.append("<h1>").append(Html.escape(statistics.path("dataset").asText())).append(": ")
                .append(statistics.path("rows").asLong()).append(" rows</h1>");
        page.append("<p class=\"muted\">Computed ").append(Html.escape(statistics.path("computed_at").asText()));
        if (!statistics.path("where").isMissingNode() && !statistics.path("where").isNull()) {
            page.append(" over the rows where ").append(Html.escape(statistics.path("where").toString()));
        }
        page.append("</p>");
        JsonNode quality = statistics.path("quality");
        page.append("<p>Data quality <span class=\"score\">").append(quality.path("score").asDouble()).append("</span> (")
                .append(Html.escape(quality.path("rule").asText())).append("); key uniqueness ")
                .append(quality.path("key_uniqueness").path("score").asDouble()).append(" (")
                .append(Html.escape(quality.path("key_uniqueness").path("rule").asText())).append(")</p>");
        page.append("<table><tr><th>column</th><th>type</th><th class=\"num\">values</th><th class=\"num\">empty</th>")
                .append("<th class=\"num\">distinct</th><th>min / max / mean / median / p90</th><th>length</th>")
                .append("<th class=\"num\">quality</th></tr>");
        for (JsonNode column : statistics.path("columns")) {
            page.append("<tr><td>").append(Html.escape(column.path("name").asText())).append("</td><td>")
                    .append(Html.escape(column.path("type").asText())).append("</td><td class=\"num\">")
                    .append(column.path("count").asLong()).append("</td><td class=\"num\">").append(column.path("empty").asLong())
                    .append(" (").append(Math.round(column.path("empty_ratio").asDouble() * 1000) / 10.0).append(" %)</td>")
                    .append("<td class=\"num\">").append(column.path("distinct").asLong())
                    .append(column.path("distinct_exact").asBoolean() ? "" : " (est.)").append("</td><td>");
            if (column.has("min")) {
                page.append(Html.escape(String.join(" / ", List.of(column.path("min").asText(), column.path("max").asText(),
                        column.path("mean").asText(), column.path("median").asText(""), column.path("p90").asText("")))));
            }
            page.append("</td><td>");
            if (column.has("length")) {
                page.append(column.path("length").path("min").asLong()).append("–").append(column.path("length").path("max").asLong())
                        .append(", mean ").append(column.path("length").path("mean").asDouble());
            }
            page.append("</td><td class=\"num\" title=\"").append(Html.escape(column.path("quality").path("rule").asText()))
                    .append("\">").append(column.path("quality").path("score").asDouble()).append("</td></tr>");
        }
        page.append("</table>");
        for (JsonNode column : statistics.path("columns")) {
            if (column.path("top_values").isEmpty()) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            column.path("top_values").forEach(value -> {
                labels.add(value.path("value").asText());
                counts.add(value.path("count").asLong());
            });
            page.append("<h2>Top values of ").append(Html.escape(column.path("name").asText())).append("</h2>")
                    .append(Html.bars(labels, counts, "top values of " + column.path("name").asText()));
        }
        return page.append("</body></html>").toString();
    }
}
