package dev.dromedary.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.jobs.SqlFile;
import dev.dromedary.observe.JobMetrics;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The alert notices' outbox (routes/alerts.camel.yaml sends them): due notices claimed under a lease, so that each
 * is sent by one instance and a killed instance's goes out from another once the lease ran out; each made into its
 * channel's message (Slack's text and blocks, the webhook's signed JSON, an e-mail); then recorded sent, or due again
 * after a backoff that doubles, up to ALERT_MAX_ATTEMPTS. A channel that fails never touches a job.
 */
public final class AlertOutbox {

    public static final String NOTICE = "alertNotice";
    private static final Logger LOG = LoggerFactory.getLogger(AlertOutbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLAIM = SqlFile.load("sql/alerts/claim-notices.sql");
    private static final String SENT = SqlFile.load("sql/alerts/notice-sent.sql");
    private static final String FAILED = SqlFile.load("sql/alerts/notice-failed.sql");
    private static final int CLAIMED_AT_ONCE = 20;
    private static final long MAX_DELAY_SECONDS = 3600;

    private final NamedParameterJdbcTemplate jdbc;
    private final AlertRules rules;
    private final AlertMail mail;
    private final JobMetrics metrics;
    private final int maxAttempts;
    private final long firstDelaySeconds;
    private final long leaseSeconds;

    public AlertOutbox(DataSource dataSource, AlertRules rules, AlertMail mail, JobMetrics metrics, int maxAttempts,
                       long firstDelaySeconds, long timeoutMillis) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.rules = rules;
        this.mail = mail;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.firstDelaySeconds = firstDelaySeconds;
        // the longest a send may take, twice, and a margin: a lease that runs out is an instance that died mid-send
        this.leaseSeconds = timeoutMillis * 2 / 1000 + 5;
    }

    /** The notices due now, each now this instance's to send until its lease runs out. */
    public List<AlertNotice> claim() {
        return jdbc.query(CLAIM, new MapSqlParameterSource("leaseSeconds", leaseSeconds).addValue("limit", CLAIMED_AT_ONCE),
                (row, n) -> new AlertNotice(row.getLong("id"), row.getString("notice"), row.getInt("sequence"),
                        row.getString("channel"), row.getInt("attempts"), row.getString("event_id"), row.getString("rule"),
                        row.getString("condition"), row.getString("subject"), row.getString("summary"), row.getString("details"),
                        instant(row.getTimestamp("started_at")), instant(row.getTimestamp("resolved_at"))));
    }

    /**
     * The notice in the body made into its channel's message: for Slack and webhooks the JSON body and the request's
     * headers (the channel's type in the variable {@code alertChannelType}); an e-mail is sent here.
     */
    public void prepare(Exchange exchange) throws Exception {
        AlertNotice notice = exchange.getMessage().getMandatoryBody(AlertNotice.class);
        exchange.setProperty(NOTICE, notice);
        AlertChannel channel = rules.current().channels().get(notice.channel());
        if (channel == null) {
            throw new IllegalStateException("the channel " + notice.channel() + " is no longer in ALERTS_FILE");
        }
        exchange.setVariable("alertChannelType", channel.type().name());
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        switch (channel.type()) {
            case EMAIL -> {
                mail.send(channel.from(), channel.to(), "[Dromedary] " + notice.label() + " " + notice.rule() + ": "
                        + clip(notice.summary(), 150), text(notice), notice.noticeId());
                message.setBody(null);
            }
            case SLACK, WEBHOOK -> {
                message.setHeader(Exchange.HTTP_URI, channel.url());
                message.setHeader(Exchange.HTTP_METHOD, "POST");
                message.setHeader(Exchange.CONTENT_TYPE, "application/json");
                message.setHeader("X-Dromedary-Alert-Id", notice.noticeId());
                message.setBody(JSON.writeValueAsBytes(channel.type() == AlertChannel.Type.SLACK ? slack(notice) : payload(notice)));
            }
        }
    }

    /** The channel took the notice. */
    public void sent(Exchange exchange) {
        AlertNotice notice = exchange.getProperty(NOTICE, AlertNotice.class);
        jdbc.update(SENT, new MapSqlParameterSource("id", notice.id()));
        metrics.alertNotice(notice.channel(), "sent");
        LOG.info("Alert {} ({}) sent to {}", notice.rule(), notice.noticeId(), notice.channel());
    }

    /** The channel did not take the notice: due again after the backoff, or given up after ALERT_MAX_ATTEMPTS. */
    public void failed(Exchange exchange) {
        AlertNotice notice = exchange.getProperty(NOTICE, AlertNotice.class);
        if (notice == null) {
            notice = exchange.getMessage().getBody(AlertNotice.class);
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = describe(cause, notice.channel());
        boolean giveUp = notice.attempts() >= maxAttempts;
        long delay = Math.min(MAX_DELAY_SECONDS, firstDelaySeconds << Math.min(20, notice.attempts() - 1));
        jdbc.update(FAILED, new MapSqlParameterSource("id", notice.id()).addValue("giveUp", giveUp).addValue("error", error)
                .addValue("delaySeconds", delay));
        metrics.alertNotice(notice.channel(), giveUp ? "gave_up" : "failed");
        if (giveUp) {
            LOG.error("Alert {} ({}) was not sent to {} after {} attempts, given up: {}", notice.rule(), notice.noticeId(),
                    notice.channel(), notice.attempts(), error);
        } else {
            LOG.warn("Alert {} ({}) was not sent to {} (attempt {}), again in {} s: {}", notice.rule(), notice.noticeId(),
                    notice.channel(), notice.attempts(), delay, error);
        }
    }

    /** Why a channel did not take a notice, without its URL (a secret): the answer's status and first words, or the exception. */
    private String describe(Exception cause, String channelName) {
        if (cause instanceof HttpOperationFailedException answered) {
            return "the channel answered " + answered.getStatusCode() + ": " + clip(String.valueOf(answered.getResponseBody()), 200);
        }
        String text = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        AlertChannel channel = rules.current().channels().get(channelName);
        if (channel != null && channel.url() != null) {
            text = text.replace(channel.url(), "<" + channelName + " URL>");
        }
        return clip(text.replaceAll("https?://\\S+", "<a URL>"), 300);
    }

    /** The webhook's JSON: the alert as it stands, with the notice's id. */
    static ObjectNode payload(AlertNotice notice) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("notice_id", notice.noticeId());
        body.put("event_id", notice.eventId());
        body.put("notice", notice.notice());
        body.put("repeat", notice.notice().equals("repeat") ? notice.sequence() : 0);
        body.put("rule", notice.rule());
        body.put("condition", notice.condition());
        body.put("status", notice.notice().equals("resolved") ? "resolved" : "firing");
        body.put("subject", notice.subject());
        body.put("summary", notice.summary());
        body.set("details", JSON.readTree(notice.details()));
        body.put("started_at", notice.startedAt().toString());
        body.put("resolved_at", notice.resolvedAt() == null || !notice.notice().equals("resolved") ? null : notice.resolvedAt().toString());
        return body;
    }

    /** Slack's incoming-webhook JSON: the text (what notifications show) and blocks (what the channel shows). */
    static ObjectNode slack(AlertNotice notice) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        String headline = "[" + notice.label() + "] " + notice.rule() + ": " + notice.summary();
        body.put("text", clip(headline, 3000));
        ArrayNode blocks = body.putArray("blocks");
        ObjectNode section = blocks.addObject().put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", clip("*" + escape(notice.label()) + "* `" + escape(notice.rule())
                + "`\n" + escape(notice.summary()), 3000));
        JsonNode details = JSON.readTree(notice.details());
        if (details.hasNonNull("diff") && !details.get("diff").asText().isEmpty()) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                    .put("text", "```" + clip(details.get("diff").asText(), 2900) + "```");
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text", clip(notice.condition() + " · " + notice.subject()
                + " · since " + notice.startedAt() + " · " + notice.noticeId(), 3000));
        return body;
    }

    private static String text(AlertNotice notice) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(notice.label()).append(": ").append(notice.rule()).append("\n\n").append(notice.summary()).append("\n\n");
        text.append("Condition: ").append(notice.condition()).append("\nSubject: ").append(notice.subject())
                .append("\nSince: ").append(notice.startedAt()).append('\n');
        if (notice.notice().equals("resolved") && notice.resolvedAt() != null) {
            text.append("Resolved: ").append(notice.resolvedAt()).append('\n');
        }
        JsonNode details = JSON.readTree(notice.details());
        details.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("diff")) {
                text.append(field.getKey()).append(": ").append(field.getValue().isValueNode() ? field.getValue().asText()
                        : field.getValue().toString()).append('\n');
            }
        });
        if (details.hasNonNull("diff")) {
            text.append("\n").append(details.get("diff").asText()).append('\n');
        }
        text.append("\nNotice ").append(notice.noticeId()).append('\n');
        return text.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String clip(String text, int max) {
        return text.length() > max ? text.substring(0, max - 1) + "…" : text;
    }

    private static Instant instant(Timestamp time) {
        return time == null ? null : time.toInstant();
    }
}
