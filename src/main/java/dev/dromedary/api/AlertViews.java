package dev.dromedary.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.alerts.AlertChannel;
import dev.dromedary.alerts.AlertRule;
import dev.dromedary.alerts.AlertRules;
import dev.dromedary.jobs.SqlFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Header;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * {@code GET /common/alerts}: the rules of ALERTS_FILE (their channels by name and type, never a URL), why the file's
 * latest change was not taken if it was not, and the alerts firing then the newest resolved, each with the delivery
 * state of its notices.
 */
public final class AlertViews {

    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST = SqlFile.load("sql/alerts/list.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final AlertRules rules;

    public AlertViews(DataSource dataSource, AlertRules rules) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.rules = rules;
    }

    public Map<String, Object> list(@Header("state") String state, @Header("limit") String limit) {
        if (state != null && !state.equals("firing") && !state.equals("resolved")) {
            throw ApiError.badRequest("ERR_INVALID_STATE: 'state' is firing or resolved");
        }
        int rows = QueryLimit.of(limit, DEFAULT_LIMIT, MAX_LIMIT);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("rules", rules.current().rules().stream().map(AlertViews::rule).toList());
        answer.put("rules_error", rules.loadError());
        answer.put("alerts", jdbc.query(LIST, new MapSqlParameterSource("state", state).addValue("limit", rows),
                (row, n) -> alert(row)));
        return answer;
    }

    private static Map<String, Object> rule(AlertRule rule) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", rule.name());
        view.put("condition", rule.condition().kind().name().toLowerCase(java.util.Locale.ROOT));
        view.put("channels", rule.channels().stream().map(AlertChannel::describe).toList());
        view.put("repeat_after_seconds", rule.repeatAfter() == null ? null : rule.repeatAfter().toSeconds());
        return view;
    }

    private static Map<String, Object> alert(ResultSet row) throws SQLException {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("id", row.getLong("id"));
        alert.put("event_id", row.getString("event_id"));
        alert.put("rule", row.getString("rule"));
        alert.put("condition", row.getString("condition"));
        alert.put("subject", row.getString("subject"));
        alert.put("state", row.getString("state"));
        alert.put("summary", row.getString("summary"));
        alert.put("started_at", time(row.getTimestamp("started_at")));
        alert.put("notified_at", time(row.getTimestamp("notified_at")));
        alert.put("repeats", row.getInt("repeats"));
        alert.put("resolved_at", time(row.getTimestamp("resolved_at")));
        try {
            alert.put("details", JSON.readTree(row.getString("details")));
            alert.put("notices", JSON.readTree(row.getString("notices")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return alert;
    }

    private static String time(Timestamp time) {
        return time == null ? null : time.toInstant().toString();
    }
}
