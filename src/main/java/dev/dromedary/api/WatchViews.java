package dev.dromedary.api;

import dev.dromedary.jobs.SqlFile;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.camel.Header;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The watches of watch_url jobs as {@code GET /common/watches} answers them: each watch with its newest snapshot's
 * times, one watch with the text it holds now, and a watch's changes newest first with their diffs.
 */
public final class WatchViews {

    static final int MAX_LIMIT = 200;
    static final int DEFAULT_LIMIT = 20;
    /** The most of a snapshot's text, or of a change's diff, one answer holds. */
    static final int MAX_TEXT_CHARS = 100_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final String LIST = SqlFile.load("sql/watches/list.sql");
    private static final String CONTENT = SqlFile.load("sql/watches/content.sql");
    private static final String CHANGES = SqlFile.load("sql/watches/changes.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public WatchViews(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /** {@code GET /common/watches}: the watches by name. */
    public Map<String, Object> list(@Header("limit") String limit) {
        List<Map<String, Object>> watches = jdbc.query(LIST, new MapSqlParameterSource("watch", null)
                .addValue("limit", QueryLimit.of(limit, DEFAULT_LIMIT, MAX_LIMIT)), (row, n) -> watch(row));
        return Map.of("watches", watches);
    }

    /** {@code GET /common/watches/{name}}: the watch, with its newest snapshot's text. */
    public Map<String, Object> one(@Header("name") String name) {
        Map<String, Object> watch = find(name);
        jdbc.query(CONTENT, new MapSqlParameterSource("watch", name).addValue("chars", MAX_TEXT_CHARS), row -> {
            watch.put("content", row.getString("content"));
            watch.put("content_cut", row.getBoolean("content_cut"));
            watch.put("content_hash", row.getString("content_hash"));
            watch.put("etag", row.getString("etag"));
            watch.put("last_modified", row.getString("last_modified"));
        });
        return watch;
    }

    /** {@code GET /common/watches/{name}/changes}: its snapshots newest first (the changes and the baseline), before id {@code before}. */
    public Map<String, Object> changes(@Header("name") String name, @Header("limit") String limit, @Header("before") String before) {
        Map<String, Object> watch = find(name);
        Long beforeId = null;
        if (before != null) {
            try {
                beforeId = Long.parseLong(before);
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("ERR_INVALID_ID: 'before' is the id of a change (a whole number), for the page after it");
            }
        }
        List<Map<String, Object>> changes = jdbc.query(CHANGES, new MapSqlParameterSource("watch", name)
                .addValue("before", beforeId).addValue("limit", QueryLimit.of(limit, DEFAULT_LIMIT, MAX_LIMIT)).addValue("diffChars", MAX_TEXT_CHARS), (row, n) -> {
                    Map<String, Object> change = new LinkedHashMap<>();
                    change.put("id", row.getLong("id"));
                    change.put("job_uuid", row.getString("job_uuid"));
                    change.put("url", row.getString("url"));
                    change.put("taken_at", time(row, "taken_at"));
                    change.put("checked_at", time(row, "checked_at"));
                    change.put("changed", row.getBoolean("changed"));
                    change.put("lines", row.getInt("lines"));
                    change.put("lines_added", row.getInt("lines_added"));
                    change.put("lines_removed", row.getInt("lines_removed"));
                    change.put("diff", row.getString("diff"));
                    change.put("diff_cut", row.getBoolean("diff_cut"));
                    return change;
                });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("watch", watch.get("name"));
        answer.put("changes", changes);
        return answer;
    }

    private Map<String, Object> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiError.badRequest("ERR_INVALID_WATCH: a watch's name is letters, digits, _ . - (at most 100)");
        }
        List<Map<String, Object>> found = jdbc.query(LIST, new MapSqlParameterSource("watch", name).addValue("limit", 1),
                (row, n) -> watch(row));
        if (found.isEmpty()) {
            throw ApiError.notFound("ERR_WATCH_NOT_FOUND: no watch_url job has run a watch named " + name);
        }
        return found.get(0);
    }

    private static Map<String, Object> watch(ResultSet row) throws SQLException {
        Map<String, Object> watch = new LinkedHashMap<>();
        watch.put("name", row.getString("name"));
        watch.put("url", row.getString("url"));
        watch.put("created_at", time(row, "created_at"));
        watch.put("running_job", row.getString("running_job"));
        watch.put("changed_at", time(row, "changed_at"));
        watch.put("checked_at", time(row, "checked_at"));
        watch.put("lines", row.getObject("lines"));
        watch.put("changes", row.getLong("changes"));
        return watch;
    }

    private static String time(ResultSet row, String column) throws SQLException {
        Timestamp time = row.getTimestamp(column);
        return time == null ? null : time.toInstant().toString();
    }
}
