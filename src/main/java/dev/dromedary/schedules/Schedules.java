package dev.dromedary.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dromedary.jobs.JobControls;
import dev.dromedary.jobs.JobQueues;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.NewJob;
import dev.dromedary.jobs.SqlFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The schedules of {@code SCHEDULES_FILE}, and the jobs they make. A fire time makes its job with the
 * idempotency key {@code schedule:<name>:<fire time>}, so that it is one job whichever instance fires it;
 * a one-off makes its job with {@code once:<name>:<key>}, once ever.
 */
public final class Schedules {

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Set<String> FIELDS = Set.of("name", "cron", "every", "time_zone", "once", "job_type", "job_data",
            "retry_count", "retry_interval", "priority", "queue", "timeout_seconds", "max_running");
    private static final String UNFINISHED_JOBS = SqlFile.load("sql/schedules/unfinished-jobs.sql");
    private static final String RECORD_SKIP = SqlFile.load("sql/schedules/record-skip.sql");
    private static final String LOCK_SCHEDULE = SqlFile.load("sql/schedules/lock-schedule.sql");
    private static final Pattern EVERY = Pattern.compile("([1-9][0-9]*)([smhd])");

    private final List<Schedule> all;
    private final JobStore jobs;
    private NamedParameterJdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private Consumer<String> skipped = name -> { };

    Schedules(List<Schedule> all, JobStore jobs) {
        this.all = List.copyOf(all);
        this.jobs = jobs;
    }

    /** No schedules, for a process that runs none. */
    public static Schedules none(JobStore jobs) {
        return new Schedules(List.of(), jobs);
    }

    /** Where the schedules count their unfinished jobs and record skipped fire times; {@code skipped} hears of each. */
    public Schedules countingIn(DataSource dataSource, Consumer<String> skipped) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.skipped = skipped;
        return this;
    }

    /** The schedules of {@code file} (none when it does not exist), each checked, for {@code jobs}. */
    public static Schedules load(Path file, JobStore jobs, int defaultRetryInterval) throws IOException {
        if (!Files.exists(file)) {
            return new Schedules(List.of(), jobs);
        }
        JsonNode root = YAML.readTree(file.toFile());
        JsonNode list = root == null || root.isNull() ? null : root.get("schedules");
        List<Schedule> schedules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (list == null || list.isNull()) {
            return new Schedules(schedules, jobs);
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(file + ": 'schedules' must be a list");
        }
        for (JsonNode entry : list) {
            Schedule schedule = parse(entry, file, defaultRetryInterval);
            if (!names.add(schedule.name())) {
                throw new IllegalArgumentException(file + ": two schedules are named '" + schedule.name() + "'");
            }
            schedules.add(schedule);
        }
        return new Schedules(schedules, jobs);
    }

    private static Schedule parse(JsonNode entry, Path file, int defaultRetryInterval) {
        String where = file + ", schedule " + entry.path("name").asText("(no name)");
        for (Iterator<String> fields = entry.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + ": unknown field '" + field + "'; the fields are " + FIELDS);
            }
        }
        String name = entry.path("name").asText("");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": 'name' must be lower-case letters, digits, '-' or '_'");
        }
        String cron = entry.hasNonNull("cron") ? entry.get("cron").asText() : null;
        String every = entry.hasNonNull("every") ? entry.get("every").asText() : null;
        String once = entry.hasNonNull("once") ? entry.get("once").asText() : null;
        if ((cron != null ? 1 : 0) + (every != null ? 1 : 0) + (once != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException(where + ": give one of 'cron' or 'every' (recurring) or 'once' (a one-off's key)");
        }
        if (every != null) {
            cron = cronOf(every, where);
        }
        if (cron != null && !CronExpression.isValidExpression(cron)) {
            throw new IllegalArgumentException(where + ": '" + cron + "' is not a Quartz cron expression "
                    + "(seconds minutes hours day-of-month month day-of-week, e.g. 0 0 2 * * ?)");
        }
        String timeZone = entry.path("time_zone").asText("UTC");
        try {
            ZoneId.of(timeZone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": '" + timeZone + "' is not a time zone");
        }
        String jobType = entry.path("job_type").asText("");
        if (jobType.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'job_type' is required");
        }
        JsonNode data = entry.path("job_data");
        if (!data.isMissingNode() && !data.isObject()) {
            throw new IllegalArgumentException(where + ": 'job_data' must be a map");
        }
        int priority = entry.path("priority").asInt(0);
        String queue = entry.path("queue").asText(JobControls.DEFAULT_QUEUE);
        if (!JobQueues.NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException(where + ": 'queue' must name a queue of QUEUES, not '" + queue + "'");
        }
        Integer timeout = entry.hasNonNull("timeout_seconds") ? entry.get("timeout_seconds").asInt() : null;
        if (timeout != null && timeout < 1) {
            throw new IllegalArgumentException(where + ": 'timeout_seconds' must be a positive number of seconds");
        }
        JsonNode maxRunning = entry.path("max_running");
        if (!maxRunning.isMissingNode() && (!maxRunning.canConvertToInt() || !maxRunning.isIntegralNumber()
                || maxRunning.asInt() < 1 || maxRunning.asInt() > 1000)) {
            throw new IllegalArgumentException(where + ": 'max_running' is how many of its jobs may be unfinished at once, 1 to 1000");
        }
        return new Schedule(name, cron, timeZone, once, jobType,
                data.isObject() ? (ObjectNode) data : YAML.createObjectNode(),
                entry.path("retry_count").asInt(0), entry.path("retry_interval").asInt(defaultRetryInterval),
                new JobControls(priority, queue, timeout, List.of()), maxRunning.asInt(Schedule.DEFAULT_MAX_RUNNING));
    }

    /**
     * The cron expression that fires on the slots of {@code every} (30s, 15m, 2h, 1d), counted from midnight,
     * so that every instance fires the same slots: an interval must divide its next unit (a minute, an hour,
     * a day) evenly.
     */
    static String cronOf(String every, String where) {
        Matcher matcher = EVERY.matcher(every.trim());
        int amount = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
        String unit = matcher.matches() ? matcher.group(2) : "";
        String refusal = where + ": 'every' is an interval that divides its next unit evenly, such as 30s, 15m, 2h or 1d"
                + " (seconds and minutes dividing 60, hours dividing 24), not '" + every + "'";
        return switch (unit) {
            case "s" -> {
                if (60 % amount != 0) {
                    throw new IllegalArgumentException(refusal);
                }
                yield amount == 60 ? "0 * * * * ?" : "0/" + amount + " * * * * ?";
            }
            case "m" -> {
                if (60 % amount != 0) {
                    throw new IllegalArgumentException(refusal);
                }
                yield amount == 60 ? "0 0 * * * ?" : "0 0/" + amount + " * * * ?";
            }
            case "h" -> {
                if (24 % amount != 0) {
                    throw new IllegalArgumentException(refusal);
                }
                yield amount == 24 ? "0 0 0 * * ?" : "0 0 0/" + amount + " * * ?";
            }
            case "d" -> {
                if (amount != 1) {
                    throw new IllegalArgumentException(refusal);
                }
                yield "0 0 0 * * ?";
            }
            default -> throw new IllegalArgumentException(refusal);
        };
    }

    public List<Schedule> recurring() {
        return all.stream().filter(schedule -> !schedule.isOneOff()).toList();
    }

    public List<Schedule> oneOffs() {
        return all.stream().filter(Schedule::isOneOff).toList();
    }

    /** Whether {@code name} is a recurring schedule (cron or every), one whose fire times an alert can expect. */
    public boolean isRecurring(String name) {
        return all.stream().anyMatch(schedule -> schedule.name().equals(name) && !schedule.isOneOff());
    }

    public List<String> names() {
        return all.stream().map(Schedule::name).toList();
    }

    /** Every job type a schedule names that is not one of {@code jobTypes}. */
    public List<String> unknownJobTypes(List<String> jobTypes) {
        return all.stream().map(Schedule::jobType).filter(type -> !jobTypes.contains(type)).distinct().toList();
    }

    /** Every queue a schedule names that {@code queues} does not define. */
    public List<String> unknownQueues(JobQueues queues) {
        return all.stream().map(schedule -> schedule.controls().queue()).filter(queue -> !queues.exists(queue)).distinct().toList();
    }

    /**
     * Makes the job of schedule header {@code Schedule} for the fire time Quartz scheduled (header
     * {@code scheduledFireTime}), unless {@code max_running} of its jobs are unfinished: then records that this fire
     * time made no job, and why. Two fire times of a schedule (a missed one and the next, say, on two of Quartz's
     * threads or two instances) are decided one after the other, each counting the job the other made.
     */
    public void fire(Exchange exchange) {
        Schedule schedule = named(exchange.getMessage().getHeader("Schedule", String.class));
        Instant fireTime = exchange.getMessage().getHeader("scheduledFireTime", Date.class).toInstant();
        if (transactions == null) {
            throw new IllegalStateException("schedule " + schedule.name() + " fired where its jobs are not counted (countingIn)");
        }
        transactions.executeWithoutResult(status -> {
            jdbc.query(LOCK_SCHEDULE, new MapSqlParameterSource("schedule", schedule.name()), (ResultSetExtractor<Void>) rows -> null);
            long unfinished = unfinished(schedule);
            if (unfinished >= schedule.maxRunning()) {
                skip(schedule, fireTime, unfinished);
            } else {
                make(schedule, fireTime.toString());
            }
        });
    }

    private void skip(Schedule schedule, Instant fireTime, long unfinished) {
        String reason = unfinished + " of its jobs are still open or running (max_running " + schedule.maxRunning() + ")";
        int recorded = jdbc.update(RECORD_SKIP, new MapSqlParameterSource("schedule", schedule.name())
                .addValue("fireTime", java.sql.Timestamp.from(fireTime)).addValue("reason", reason));
        if (recorded > 0) {
            skipped.accept(schedule.name());
            LOG.warn("Schedule {} made no job for {}: {}", schedule.name(), fireTime, reason);
        }
    }

    private long unfinished(Schedule schedule) {
        return jdbc.queryForObject(UNFINISHED_JOBS, new MapSqlParameterSource("prefix",
                schedule.keyPrefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"), Long.class);
    }

    /** Makes the job of one-off schedule header {@code Schedule}, unless it was made before. */
    public void runOnce(Exchange exchange) {
        make(named(exchange.getMessage().getHeader("Schedule", String.class)), null);
    }

    private void make(Schedule schedule, String fireTime) {
        String key = schedule.idempotencyKey(fireTime);
        JobStore.Created created = jobs.create(new NewJob(schedule.jobType(), schedule.jobData().deepCopy(),
                schedule.retryCount(), schedule.retryInterval(), key, schedule.controls()));
        if (created.isNew()) {
            LOG.info("Schedule {} made job {} ({}){}", schedule.name(), created.job().uuid(), schedule.jobType(),
                    fireTime == null ? ", once" : " for " + fireTime);
        } else {
            LOG.info("Schedule {}: job {} was made already ({})", schedule.name(), created.job().uuid(), key);
        }
    }

    /** The schedule of that name; IllegalStateException when there is none. */
    public Schedule named(String name) {
        return all.stream().filter(schedule -> schedule.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no schedule named " + name));
    }

    /** The parameters of the route template that runs a schedule. */
    public static Map<String, Object> templateParameters(Schedule schedule) {
        return schedule.isOneOff()
                ? Map.of("name", schedule.name())
                : Map.of("name", schedule.name(), "cron", schedule.cron().trim().replaceAll("\\s+", "+"),
                        "timeZone", schedule.timeZone());
    }
}
