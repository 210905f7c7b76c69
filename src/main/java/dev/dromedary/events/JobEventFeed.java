package dev.dromedary.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import dev.dromedary.jobs.AllowedUrls;
import dev.dromedary.jobs.SqlFile;

/**
 * Every transition of every job (the {@code job_transitions} history) as a feed of events, each with the id a
 * receiver de-duplicates by: read by {@code GET /common/jobs/events?after=ID}, and delivered in order, at
 * least once, to {@code direct:job-event} (routes/job-events.camel.yaml). Delivery is Java, not a route: taking
 * the lock, reading the events and moving the cursor past the delivered ones must share one transaction.
 */
public final class JobEventFeed {

    public static final int MAX_PAGE = 1000;
    public static final String NOTIFY_URL = "NotifyUrl";
    private static final int DELIVERY_BATCH = 200;
    /** How long one turn goes on delivering full batches before it lets the next tick come. */
    private static final java.time.Duration TURN = java.time.Duration.ofSeconds(2);
    private static final String CURSOR_NAME = "job-events";
    private static final String AFTER = SqlFile.load("sql/events/after.sql");
    private static final String EVENT_POSITION = SqlFile.load("sql/events/event-position.sql");
    private static final String CURSOR = SqlFile.load("sql/events/cursor.sql");
    private static final String ADVANCE_CURSOR = SqlFile.load("sql/events/advance-cursor.sql");
    private static final String LOCK_DELIVERY = SqlFile.load("sql/events/lock-delivery.sql");
    private static final Logger LOG = LoggerFactory.getLogger(JobEventFeed.class);
    /** The logger of routes/job-events.camel.yaml's log step. */
    private static final Logger EVENT_LOG = LoggerFactory.getLogger("dromedary.job-events");

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AllowedUrls notifyUrls;
    private final SecretKeySpec secret;
    private final boolean everyEvent;
    private volatile ProducerTemplate producer;

    /**
     * {@code secret} signs each webhook body (empty: unsigned, as JOB_WEBHOOK_SECRET is unset); {@code everyEvent}
     * when every event has somewhere to go (JOB_WEBHOOK_URL is set, or JOB_EVENT_HOOKS says a hook was added).
     */
    public JobEventFeed(DataSource dataSource, AllowedUrls notifyUrls, String secret, boolean everyEvent) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.notifyUrls = notifyUrls;
        this.secret = secret.isEmpty() ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.everyEvent = everyEvent;
    }

    /** Up to {@code limit} events after the one with id {@code afterId} (0: from the first); null when no event has that id. */
    public List<Map<String, Object>> after(long afterId, int limit) {
        String afterTx = "0";
        if (afterId > 0) {
            List<String> position = jdbc.queryForList(EVENT_POSITION, new MapSqlParameterSource("id", afterId), String.class);
            if (position.isEmpty()) {
                return null;
            }
            afterTx = position.get(0);
        }
        return page(afterTx, afterId, limit).stream().map(JobEventFeed::publicView).toList();
    }

    /**
     * Sends the events committed since the last delivered to {@code direct:job-event}, in order, and moves the
     * cursor past each one the route took; stops at the first it failed (after the route's redeliveries), for
     * the next turn to send again. One instance delivers at a time; the others skip their turn. Returns how
     * many were delivered.
     */
    public int deliver(Exchange trigger) {
        if (producer == null) {
            producer = trigger.getContext().createProducerTemplate();
        }
        long until = System.nanoTime() + TURN.toNanos();
        int delivered = 0;
        Batch batch;
        do {
            batch = transactions.execute(status -> deliverBatch());
            delivered += batch.sent();
        } while (batch.full() && System.nanoTime() < until);
        return delivered;
    }

    /** How a batch went: {@code full} when every event of a full batch was delivered, so more may wait. */
    private record Batch(int sent, boolean full) {
    }

    private Batch deliverBatch() {
        if (!Boolean.TRUE.equals(jdbc.queryForObject(LOCK_DELIVERY, new MapSqlParameterSource(), Boolean.class))) {
            return new Batch(0, false);
        }
        Map<String, Object> cursor = jdbc.queryForMap(CURSOR, new MapSqlParameterSource("name", CURSOR_NAME));
        List<Map<String, Object>> events = page((String) cursor.get("last_tx"), ((Number) cursor.get("last_id")).longValue(),
                DELIVERY_BATCH);
        Map<String, Object> last = null;
        int sent = 0;
        for (Map<String, Object> event : events) {
            try {
                String notifyUrl = (String) event.get("notify_url");
                String allowed = notifyUrl != null && notifyUrls.allows(notifyUrl) ? notifyUrl : null;
                // an event goes through the route only when something there listens: four events a job, each routed
                // for nothing, were a third of the runner's CPU in a profile of no-op jobs
                if (everyEvent || allowed != null || EVENT_LOG.isDebugEnabled()) {
                    producer.sendBodyAndHeader("direct:job-event", publicView(event), NOTIFY_URL, allowed);
                }
            } catch (CamelExecutionException e) {
                LOG.warn("Job event {} was not delivered ({}); it and the events after it are sent again next turn",
                        event.get("event_id"), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                break;
            }
            last = event;
            sent++;
        }
        if (last != null) {
            jdbc.update(ADVANCE_CURSOR, new MapSqlParameterSource("name", CURSOR_NAME)
                    .addValue("lastTx", last.get("tx")).addValue("lastId", last.get("event_id")));
        }
        return new Batch(sent, sent == DELIVERY_BATCH);
    }

    /** {@code sha256=<hex HMAC-SHA256 of the body>} with JOB_WEBHOOK_SECRET; null when no secret is set. */
    public String sign(byte[] body) {
        if (secret == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("this JVM cannot compute HMAC-SHA256", e);
        }
    }

    private List<Map<String, Object>> page(String afterTx, long afterId, int limit) {
        return jdbc.query(AFTER, new MapSqlParameterSource().addValue("afterTx", afterTx).addValue("afterId", afterId)
                .addValue("limit", limit), JobEventFeed::event);
    }

    private static Map<String, Object> event(ResultSet row, int number) throws SQLException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_id", row.getLong("event_id"));
        event.put("type", "job." + row.getString("to_status"));
        event.put("at", timestamp(row.getObject("at", OffsetDateTime.class)));
        event.put("job_uuid", row.getString("job_uuid"));
        event.put("job_type", row.getString("job_type"));
        event.put("queue", row.getString("queue"));
        event.put("priority", row.getInt("priority"));
        event.put("batch_uuid", row.getString("batch_uuid"));
        event.put("from_status", row.getString("from_status"));
        event.put("to_status", row.getString("to_status"));
        event.put("reason", row.getString("reason"));
        event.put("instance", row.getString("instance"));
        event.put("attempts", row.getInt("attempts"));
        event.put("run_after", timestamp(row.getObject("run_after", OffsetDateTime.class)));
        event.put("tx", row.getString("tx"));
        event.put("notify_url", row.getString("notify_url"));
        return event;
    }

    private static Map<String, Object> publicView(Map<String, Object> event) {
        Map<String, Object> view = new LinkedHashMap<>(event);
        view.remove("tx");
        view.remove("notify_url");
        return view;
    }

    private static String timestamp(OffsetDateTime time) {
        return time == null ? null : time.toInstant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
