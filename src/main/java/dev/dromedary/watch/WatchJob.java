package dev.dromedary.watch;

import com.google.re2j.Pattern;
import dev.dromedary.ingest.RequestHeaders;
import dev.dromedary.processing.InvalidRule;
import dev.dromedary.processing.LinearPatterns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a watch_url job asks for, checked before it runs: the {@code watch} whose snapshots chain across runs, the
 * {@code url}, request {@code headers}, what to {@code select} of the page (or the {@code rows} to land in the
 * dataset {@code service}), the lines to {@code ignore} and when the run asks for a notice ({@code notify_when}).
 */
public record WatchJob(String watch, String url, Map<String, String> headers, Selector select, Rows rows,
                       List<Pattern> ignore, NotifyWhen notifyWhen, String text, String service) {

    static final int MAX_IGNORE = 50;
    static final int MAX_COLUMNS = 100;
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Set<String> FIELDS = Set.of("watch", "url", "headers", "select", "rows", "ignore", "notify_when",
            "text", "service", "mode", "mirror_max_delete", "mirror_scope", "transform", "validate", "force", "dry_run",
            "max_errors", "max_error_ratio", "notify_url");

    /** When a run's answer asks for a notice (the watch_changed alert, the job's response {@code notify}). */
    public enum NotifyWhen {
        /** the selected text changed */
        CHANGED,
        /** lines were added */
        ADDED,
        /** the text appeared (or stands on the first run) */
        CONTAINS,
        /** the text went away (or is absent on the first run) */
        NOT_CONTAINS
    }

    /**
     * Rows mode: each element {@code selector} matches is a row, its {@code columns} read by a CSS selector (or JSON path)
     * within it; a JSON path's rows without columns are its objects' fields.
     */
    public record Rows(Selector selector, Map<String, Selector> columns) {
    }

    public static WatchJob of(Map<?, ?> data) {
        for (Object field : data.keySet()) {
            if (!FIELDS.contains(field.toString())) {
                throw new WatchRefused("ERR_UNKNOWN_FIELD", "job_data." + Selector.clip(field.toString())
                        + " is not a field of watch_url; its fields are " + new java.util.TreeSet<>(FIELDS));
            }
        }
        String watch = text(data, "watch");
        if (watch == null || !NAME.matcher(watch).matches()) {
            throw new WatchRefused("ERR_INVALID_JOB_DATA", "job_data.watch is required: the watch's name (letters, digits, "
                    + "_ . -, at most 100), which chains its snapshots across runs");
        }
        String url = text(data, "url");
        if (url == null || url.length() > dev.dromedary.jobs.AllowedUrls.MAX_LENGTH || url.contains("{{")) {
            throw new WatchRefused("ERR_INVALID_JOB_DATA", "job_data.url is required: the http(s) address of the page");
        }
        Map<String, String> headers = RequestHeaders.of(data.get("headers"));
        Rows rows = data.get("rows") == null ? null : rows(data.get("rows"));
        Selector select;
        if (data.get("select") != null) {
            if (rows != null) {
                throw new WatchRefused("ERR_INVALID_SELECTOR", "job_data.select and job_data.rows do not go together: a watch "
                        + "selects text, or rows that land in a dataset");
            }
            select = Selector.of(data.get("select"), "job_data.select");
        } else {
            select = rows == null ? Selector.TEXT : null;
        }
        String service = text(data, "service");
        if (rows != null && service == null) {
            throw new WatchRefused("ERR_INVALID_JOB_DATA", "job_data.service is required with job_data.rows: the dataset the rows land in");
        }
        if (rows == null && service != null) {
            throw new WatchRefused("ERR_INVALID_JOB_DATA", "job_data.service names the dataset of job_data.rows, which is not given");
        }
        NotifyWhen notifyWhen = notifyWhen(text(data, "notify_when"));
        String text = data.get("text") == null ? null : data.get("text").toString();
        boolean needsText = notifyWhen == NotifyWhen.CONTAINS || notifyWhen == NotifyWhen.NOT_CONTAINS;
        if (needsText != (text != null) || text != null && (text.isEmpty() || text.length() > 1000)) {
            throw new WatchRefused("ERR_INVALID_JOB_DATA", needsText
                    ? "job_data.text (1 to 1000 characters) is the text that notify_when " + notifyWhen.name().toLowerCase(java.util.Locale.ROOT) + " looks for"
                    : "job_data.text goes with notify_when contains or not_contains");
        }
        return new WatchJob(watch, url, headers, select, rows, ignore(data.get("ignore")), notifyWhen, text, service);
    }

    private static Rows rows(Object given) {
        if (!(given instanceof Map<?, ?> map)) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", "job_data.rows is an object such as {\"css\": \"table tr\", "
                    + "\"columns\": {\"name\": \"td:nth-child(1)\"}}");
        }
        for (Object key : map.keySet()) {
            if (!Set.of("css", "json_path", "columns").contains(key.toString())) {
                throw new WatchRefused("ERR_INVALID_SELECTOR", "job_data.rows holds css or json_path, and columns; not '"
                        + Selector.clip(key.toString()) + "'");
            }
        }
        if (map.containsKey("css") == map.containsKey("json_path")) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", "job_data.rows selects its rows by css or by json_path (one of them)");
        }
        boolean css = map.containsKey("css");
        Selector selector = css ? Selector.css(map.get("css"), "job_data.rows.css")
                : Selector.jsonPath(map.get("json_path"), "job_data.rows.json_path");
        Map<String, Selector> columns = new LinkedHashMap<>();
        Object given2 = map.get("columns");
        if (given2 == null && css) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", "job_data.rows.columns is required with css: each column's "
                    + "selector within a row, such as {\"name\": \"td:nth-child(1)\"}");
        }
        if (given2 != null) {
            if (!(given2 instanceof Map<?, ?> columnMap) || columnMap.isEmpty() || columnMap.size() > MAX_COLUMNS) {
                throw new WatchRefused("ERR_INVALID_SELECTOR", "job_data.rows.columns is an object of 1 to " + MAX_COLUMNS
                        + " columns, each with its selector within a row");
            }
            for (Map.Entry<?, ?> column : columnMap.entrySet()) {
                String field = "job_data.rows.columns." + Selector.clip(column.getKey().toString());
                Object value = column.getValue();
                if (!css && value instanceof String path && path.startsWith("@")) {
                    value = "$" + path.substring(1);
                }
                columns.put(column.getKey().toString(), css ? Selector.css(value, field) : Selector.jsonPath(value, field));
            }
        }
        return new Rows(selector, columns);
    }

    private static List<Pattern> ignore(Object given) {
        List<Pattern> patterns = new ArrayList<>();
        if (given == null) {
            return patterns;
        }
        if (!(given instanceof List<?> list) || list.size() > MAX_IGNORE) {
            throw new WatchRefused("ERR_INVALID_PATTERN", "job_data.ignore is a list of at most " + MAX_IGNORE
                    + " regular expressions, each dropping the lines it finds");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String pattern)) {
                throw new WatchRefused("ERR_INVALID_PATTERN", "job_data.ignore[" + i + "] is a regular expression as text");
            }
            try {
                patterns.add(LinearPatterns.compile(pattern, "job_data.ignore[" + i + "]"));
            } catch (InvalidRule e) {
                throw new WatchRefused("ERR_INVALID_PATTERN", e.getMessage());
            }
        }
        return patterns;
    }

    private static NotifyWhen notifyWhen(String given) {
        if (given == null) {
            return NotifyWhen.CHANGED;
        }
        for (NotifyWhen when : NotifyWhen.values()) {
            if (when.name().equalsIgnoreCase(given)) {
                return when;
            }
        }
        throw new WatchRefused("ERR_INVALID_JOB_DATA", "job_data.notify_when is changed (the default), added, contains or "
                + "not_contains, not '" + Selector.clip(given) + "'");
    }

    private static String text(Map<?, ?> data, String field) {
        Object value = data.get(field);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
