package dev.dromedary.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.jobs.SqlFile;
import dev.dromedary.observe.JobMetrics;
import dev.dromedary.schedules.Schedules;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Evaluates ALERTS_FILE's rules, each by one instance at a time (an advisory lock for its transaction): an alert fires once
 * when its condition begins to hold for a subject, is notified again every {@code repeat_after} while it holds, and
 * is resolved once when it clears; each of those notices goes into the outbox once per channel, in the same
 * transaction as the alert's change, for {@link AlertOutbox} to send.
 */
public final class AlertEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCK = SqlFile.load("sql/alerts/lock-evaluation.sql");
    private static final String RULE_SINCE = SqlFile.load("sql/alerts/rule-since.sql");
    private static final String FIRING = SqlFile.load("sql/alerts/firing.sql");
    private static final String FIRE = SqlFile.load("sql/alerts/fire.sql");
    private static final String RESOLVE = SqlFile.load("sql/alerts/resolve.sql");
    private static final String REPEAT = SqlFile.load("sql/alerts/repeat.sql");
    private static final String ADD_NOTICE = SqlFile.load("sql/alerts/add-notice.sql");

    private final AlertRules rules;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AlertConditions conditions;
    private final JobMetrics metrics;

    public AlertEvaluator(AlertRules rules, DataSource dataSource, Schedules schedules, Map<String, HealthCheck> services,
                          JobMetrics metrics) {
        this.rules = rules;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.conditions = new AlertConditions(jdbc, schedules, services);
        this.metrics = metrics;
    }

    public AlertRules rules() {
        return rules;
    }

    /** Records when each rule is first seen (at start, before a job can end), from when it looks at what happens. */
    public void rememberRules() {
        for (AlertRule rule : rules.current().rules()) {
            jdbc.queryForObject(RULE_SINCE, new MapSqlParameterSource("rule", rule.name()), Timestamp.class);
        }
    }

    /** One turn: every rule's alerts brought in line with what holds now; nothing when another instance has the turn. */
    public void evaluate() {
        List<AlertRule> current = rules.current().rules();
        if (current.isEmpty()) {
            return;
        }
        for (AlertRule rule : current) {
            try {
                // a rule a turn of its own: one that fails leaves the others' changes committed
                transactions.executeWithoutResult(status -> {
                    if (Boolean.TRUE.equals(jdbc.queryForObject(LOCK, new MapSqlParameterSource(), Boolean.class))) {
                        reconcile(rule);
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("Alert rule {} could not be evaluated: {}", rule.name(), e.getMessage());
            }
        }
    }

    private void reconcile(AlertRule rule) {
        Instant since = jdbc.queryForObject(RULE_SINCE, new MapSqlParameterSource("rule", rule.name()), Timestamp.class).toInstant();
        List<AlertConditions.Hit> hits = conditions.holding(rule, since);
        if (rule.condition().isEvent()) {
            for (AlertConditions.Hit hit : hits) {
                fire(rule, hit, "resolved");
            }
            return;
        }
        Map<String, AlertConditions.Hit> holding = hits.stream().collect(Collectors.toMap(AlertConditions.Hit::subject, hit -> hit,
                (first, second) -> first));
        Map<String, Long> firing = new HashMap<>();
        jdbc.query(FIRING, new MapSqlParameterSource("rule", rule.name()), row -> {
            firing.put(row.getString("subject"), row.getLong("id"));
        });
        for (AlertConditions.Hit hit : hits) {
            Long id = firing.get(hit.subject());
            if (id == null) {
                fire(rule, hit, "firing");
            } else if (rule.repeatAfter() != null) {
                List<Integer> repeated = jdbc.queryForList(REPEAT, new MapSqlParameterSource("id", id).addValue("summary", hit.summary())
                        .addValue("seconds", rule.repeatAfter().toSeconds()), Integer.class);
                if (!repeated.isEmpty()) {
                    notices(rule, id, "repeat", repeated.get(0));
                }
            }
        }
        // a condition whose hits were cut at MAX_HITS may hold for subjects it did not list: only a full answer resolves
        if (hits.size() < AlertConditions.MAX_HITS) {
            for (Map.Entry<String, Long> alert : firing.entrySet()) {
                if (!holding.containsKey(alert.getKey())
                        && jdbc.update(RESOLVE, new MapSqlParameterSource("id", alert.getValue())) > 0) {
                    notices(rule, alert.getValue(), "resolved", 0);
                    LOG.info("Alert {} resolved for {}", rule.name(), alert.getKey());
                }
            }
        }
    }

    private void fire(AlertRule rule, AlertConditions.Hit hit, String state) {
        List<Long> created;
        try {
            created = jdbc.queryForList(FIRE, new MapSqlParameterSource("rule", rule.name())
                    .addValue("condition", rule.condition().kind().key()).addValue("subject", hit.subject())
                    .addValue("summary", hit.summary()).addValue("details", JSON.writeValueAsString(hit.details()))
                    .addValue("state", state), Long.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (!created.isEmpty()) {
            notices(rule, created.get(0), "firing", 0);
            metrics.alertFired(rule.name());
            LOG.warn("Alert {} fired: {}", rule.name(), hit.summary());
        }
    }

    private void notices(AlertRule rule, long alertId, String notice, int sequence) {
        Set<String> channels = rule.channels().stream().map(AlertChannel::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        for (String channel : channels) {
            jdbc.update(ADD_NOTICE, new MapSqlParameterSource("alertId", alertId).addValue("notice", notice)
                    .addValue("sequence", sequence).addValue("channel", channel));
        }
    }
}
