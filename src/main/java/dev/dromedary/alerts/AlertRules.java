package dev.dromedary.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dromedary.app.Durations;
import dev.dromedary.app.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert rules and channels of ALERTS_FILE, read strictly (an unknown key, condition or channel is refused with
 * where it stands), and read again when the file changes: a file that no longer reads keeps the rules that did,
 * and says why in the log and in {@code GET /common/alerts}. A channel's URL may name a setting as {@code ${NAME}}
 * (the environment overrides application.properties), so that no secret need stand in the file.
 */
public final class AlertRules {

    static final int MAX_RULES = 200;
    static final int MAX_RECIPIENTS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(AlertRules.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");
    private static final Pattern SETTING = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]{0,99})}");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,;]{1,64}@[^@\\s<>,;]{1,255}");
    private static final Set<String> SERVICES = Set.of("elasticsearch", "s3");

    /** What one read of the file holds. */
    public record Contents(Map<String, AlertChannel> channels, List<AlertRule> rules) {

        static final Contents NONE = new Contents(Map.of(), List.of());
    }

    private final Path file;
    private final Settings settings;
    private final Predicate<String> scheduleExists;
    private volatile Contents contents;
    private volatile String loadError;
    private FileTime loadedModified;

    private AlertRules(Path file, Settings settings, Predicate<String> scheduleExists) {
        this.file = file;
        this.settings = settings;
        this.scheduleExists = scheduleExists;
    }

    /** The rules of {@code file} (none when it does not exist); IllegalArgumentException naming what does not read. */
    public static AlertRules load(Path file, Settings settings, Predicate<String> scheduleExists) throws IOException {
        AlertRules rules = new AlertRules(file, settings, scheduleExists);
        rules.loadedModified = modified(file);
        rules.contents = rules.read();
        return rules;
    }

    /** The rules as they stand, read again first when the file changed since. */
    public Contents current() {
        FileTime modified;
        try {
            modified = modified(file);
        } catch (IOException e) {
            return contents;
        }
        synchronized (this) {
            if (!java.util.Objects.equals(modified, loadedModified)) {
                loadedModified = modified;
                try {
                    contents = read();
                    loadError = null;
                    LOG.info("Alert rules read again from {}: {} rules, {} channels", file, contents.rules().size(),
                            contents.channels().size());
                } catch (IOException | RuntimeException e) {
                    loadError = file + " no longer reads, so its previous rules stay: " + e.getMessage();
                    LOG.error("{}", loadError);
                }
            }
        }
        return contents;
    }

    /** Why the file's latest change was not taken; null when it was. */
    public String loadError() {
        return loadError;
    }

    private static FileTime modified(Path file) throws IOException {
        return Files.exists(file) ? Files.getLastModifiedTime(file) : null;
    }

    private Contents read() throws IOException {
        if (!Files.exists(file)) {
            return Contents.NONE;
        }
        JsonNode root = YAML.readTree(file.toFile());
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Contents.NONE;
        }
        keys(root, Set.of("channels", "rules"), file.toString());
        Map<String, AlertChannel> channels = new LinkedHashMap<>();
        JsonNode channelNodes = root.path("channels");
        if (!channelNodes.isMissingNode() && !channelNodes.isNull()) {
            if (!channelNodes.isObject()) {
                throw new IllegalArgumentException(file + ": 'channels' is a map of channel names to {slack: …}, {email: …} or {webhook: …}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = channelNodes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                channels.put(entry.getKey(), channel(entry.getKey(), entry.getValue()));
            }
        }
        List<AlertRule> rules = new ArrayList<>();
        JsonNode ruleNodes = root.path("rules");
        if (!ruleNodes.isMissingNode() && !ruleNodes.isNull()) {
            if (!ruleNodes.isArray() || ruleNodes.size() > MAX_RULES) {
                throw new IllegalArgumentException(file + ": 'rules' is a list of at most " + MAX_RULES + " rules");
            }
            Set<String> names = new java.util.HashSet<>();
            for (JsonNode node : ruleNodes) {
                AlertRule rule = rule(node, channels);
                if (!names.add(rule.name())) {
                    throw new IllegalArgumentException(file + ": two rules are named '" + rule.name() + "'");
                }
                rules.add(rule);
            }
        }
        return new Contents(Map.copyOf(channels), List.copyOf(rules));
    }

    private AlertChannel channel(String name, JsonNode node) {
        String where = file + ", channel " + name;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": a channel's name is lower-case letters, digits, '-' and '_'");
        }
        if (!node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException(where + ": a channel is one of {slack: {url: …}}, {webhook: {url: …}} or "
                    + "{email: {to: […], from: …}}");
        }
        String type = node.fieldNames().next();
        JsonNode config = node.get(type);
        return switch (type) {
            case "slack", "webhook" -> {
                keys(config, Set.of("url"), where + "." + type);
                String url = resolve(config.path("url").asText(""), where + "." + type + ".url");
                if (!url.startsWith("https://") && !url.startsWith("http://")) {
                    throw new IllegalArgumentException(where + "." + type + ".url is an http(s) URL");
                }
                yield new AlertChannel(name, type.equals("slack") ? AlertChannel.Type.SLACK : AlertChannel.Type.WEBHOOK, url, List.of(), null);
            }
            case "email" -> {
                keys(config, Set.of("to", "from"), where + ".email");
                JsonNode to = config.path("to");
                List<String> recipients = new ArrayList<>();
                if (to.isTextual()) {
                    recipients.add(to.asText());
                } else if (to.isArray()) {
                    to.forEach(address -> recipients.add(address.asText()));
                }
                if (recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS
                        || !recipients.stream().allMatch(address -> ADDRESS.matcher(address).matches())) {
                    throw new IllegalArgumentException(where + ".email.to is 1 to " + MAX_RECIPIENTS + " e-mail addresses");
                }
                String from = config.hasNonNull("from") ? resolve(config.get("from").asText(), where + ".email.from")
                        : settings.text("SMTP_FROM");
                if (!ADDRESS.matcher(from).matches()) {
                    throw new IllegalArgumentException(where + ".email.from (or the setting SMTP_FROM) is an e-mail address");
                }
                if (settings.text("SMTP_HOST").isEmpty()) {
                    throw new IllegalArgumentException(where + ": an email channel sends through SMTP_HOST, which is not set");
                }
                yield new AlertChannel(name, AlertChannel.Type.EMAIL, null, List.copyOf(recipients), from);
            }
            default -> throw new IllegalArgumentException(where + ": '" + type + "' is not a channel type; the types are "
                    + "slack, webhook and email");
        };
    }

    private AlertRule rule(JsonNode node, Map<String, AlertChannel> channels) {
        String name = node.path("name").asText("");
        String where = file + ", rule " + (name.isEmpty() ? "(no name)" : name);
        keys(node, Set.of("name", "when", "notify", "repeat_after"), where);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": 'name' is lower-case letters, digits, '-' and '_'");
        }
        JsonNode when = node.path("when");
        if (!when.isObject() || when.size() != 1) {
            throw new IllegalArgumentException(where + ": 'when' is one condition, such as {job_failed: {job_type: insert_csv_file}}");
        }
        String kind = when.fieldNames().next();
        AlertCondition condition = condition(kind, when.get(kind), where + ", when " + kind);
        List<AlertChannel> notify = new ArrayList<>();
        JsonNode names = node.path("notify");
        if (!names.isArray() || names.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'notify' is a list of channels of 'channels'");
        }
        for (JsonNode channel : names) {
            AlertChannel found = channels.get(channel.asText());
            if (found == null) {
                throw new IllegalArgumentException(where + ": notifies '" + channel.asText() + "', which is not a channel; the "
                        + "channels are " + channels.keySet());
            }
            notify.add(found);
        }
        Duration repeatAfter = null;
        if (node.hasNonNull("repeat_after")) {
            repeatAfter = duration(node.get("repeat_after").asText(), where + ": repeat_after");
            if (condition.isEvent()) {
                throw new IllegalArgumentException(where + ": " + kind + " is noticed once per event; repeat_after goes with "
                        + "a condition that holds until it clears");
            }
        }
        return new AlertRule(name, condition, List.copyOf(notify), repeatAfter);
    }

    private AlertCondition condition(String kind, JsonNode params, String where) {
        JsonNode p = params == null || params.isNull() ? YAML.createObjectNode() : params;
        if (!p.isObject()) {
            throw new IllegalArgumentException(where + ": the condition's settings are a map");
        }
        return switch (kind) {
            case "job_failed" -> {
                keys(p, Set.of("job_type", "queue"), where);
                yield new AlertCondition(AlertCondition.Kind.JOB_FAILED, text(p, "job_type"), text(p, "queue"), null, null, false,
                        null, null, null, null, null);
            }
            case "dead_letters" -> {
                keys(p, Set.of("job_over", "hourly_over", "dataset"), where);
                if (p.has("job_over") == p.has("hourly_over")) {
                    throw new IllegalArgumentException(where + ": give job_over (dead letters of one job) or hourly_over (of a "
                            + "dataset in the last hour)");
                }
                boolean hourly = p.has("hourly_over");
                yield new AlertCondition(AlertCondition.Kind.DEAD_LETTERS, null, null, text(p, "dataset"),
                        count(p.get(hourly ? "hourly_over" : "job_over"), where), hourly, null, null, null, null, null);
            }
            case "schedule_missed" -> {
                keys(p, Set.of("schedule", "grace"), where);
                String schedule = text(p, "schedule");
                if (schedule == null || !scheduleExists.test(schedule)) {
                    throw new IllegalArgumentException(where + ": 'schedule' names a recurring schedule of SCHEDULES_FILE, not '"
                            + schedule + "'");
                }
                Duration grace = p.hasNonNull("grace") ? duration(p.get("grace").asText(), where + ": grace") : Duration.ofMinutes(5);
                yield new AlertCondition(AlertCondition.Kind.SCHEDULE_MISSED, null, null, null, null, false, schedule, grace,
                        null, null, null);
            }
            case "queue_backlog" -> {
                keys(p, Set.of("oldest_open_older_than", "open_over", "queue"), where);
                if (!p.has("oldest_open_older_than") && !p.has("open_over")) {
                    throw new IllegalArgumentException(where + ": give oldest_open_older_than (30m), open_over (a count), or both");
                }
                Duration oldest = p.has("oldest_open_older_than") ? duration(p.get("oldest_open_older_than").asText(),
                        where + ": oldest_open_older_than") : null;
                yield new AlertCondition(AlertCondition.Kind.QUEUE_BACKLOG, null, text(p, "queue"), null, null, false, null,
                        oldest, p.has("open_over") ? count(p.get("open_over"), where) : null, null, null);
            }
            case "job_too_long" -> {
                keys(p, Set.of("longer_than", "job_type"), where);
                yield new AlertCondition(AlertCondition.Kind.JOB_TOO_LONG, text(p, "job_type"), null, null, null, false, null,
                        duration(p.path("longer_than").asText(""), where + ": longer_than"), null, null, null);
            }
            case "watch_changed" -> {
                keys(p, Set.of("watch"), where);
                yield new AlertCondition(AlertCondition.Kind.WATCH_CHANGED, null, null, null, null, false, null, null, null,
                        text(p, "watch"), null);
            }
            case "service_down" -> {
                keys(p, Set.of("service", "for"), where);
                String service = text(p, "service");
                if (!SERVICES.contains(service)) {
                    throw new IllegalArgumentException(where + ": 'service' is elasticsearch or s3 (PostgreSQL down cannot be "
                            + "recorded in PostgreSQL: docker/prometheus/alerts.yml has a rule for it)");
                }
                Duration red = p.hasNonNull("for") ? duration(p.get("for").asText(), where + ": for") : Duration.ofMinutes(1);
                yield new AlertCondition(AlertCondition.Kind.SERVICE_DOWN, null, null, null, null, false, null, red, null, null,
                        service);
            }
            default -> throw new IllegalArgumentException(where + ": not a condition; the conditions are job_failed, "
                    + "dead_letters, schedule_missed, queue_backlog, job_too_long, watch_changed and service_down");
        };
    }

    /** {@code ${NAME}} in {@code value} replaced by the setting NAME; a setting that is not set is refused. */
    private String resolve(String value, String where) {
        Matcher setting = SETTING.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (setting.find()) {
            String text = settings.text(setting.group(1));
            if (text.isEmpty()) {
                throw new IllegalArgumentException(where + " names the setting " + setting.group(1) + ", which is not set");
            }
            setting.appendReplacement(resolved, Matcher.quoteReplacement(text));
        }
        setting.appendTail(resolved);
        return resolved.toString();
    }

    private static void keys(JsonNode node, Set<String> known, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is a map of " + known);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; the keys are " + new java.util.TreeSet<>(known));
            }
        }
    }

    private static Duration duration(String text, String where) {
        Duration duration = Durations.parse(text);
        if (duration == null) {
            throw new IllegalArgumentException(where + " is a duration such as 90s, 30m, 2h or 1d, not '" + text + "'");
        }
        return duration;
    }

    private static long count(JsonNode value, String where) {
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException(where + ": a count is a whole number, 0 or more");
        }
        return value.asLong();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) && !node.get(field).asText().isBlank() ? node.get(field).asText() : null;
    }
}
