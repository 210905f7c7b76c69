package dev.dromedary.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.NewJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedules of {@code SCHEDULES_FILE}, and the jobs they make. A fire time makes its job with the
 * idempotency key {@code schedule:<name>:<fire time>}, so that it is one job whichever instance fires it;
 * a one-off makes its job with {@code once:<name>:<key>}, once ever.
 */
public final class Schedules {

    private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Set<String> FIELDS = Set.of("name", "cron", "time_zone", "once", "job_type", "job_data",
            "retry_count", "retry_interval");

    private final List<Schedule> all;
    private final JobStore jobs;

    Schedules(List<Schedule> all, JobStore jobs) {
        this.all = List.copyOf(all);
        this.jobs = jobs;
    }

    /** No schedules, for a process that runs none. */
    public static Schedules none(JobStore jobs) {
        return new Schedules(List.of(), jobs);
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
        String once = entry.hasNonNull("once") ? entry.get("once").asText() : null;
        if ((cron == null) == (once == null)) {
            throw new IllegalArgumentException(where + ": give either 'cron' (recurring) or 'once' (a one-off's key)");
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
        return new Schedule(name, cron, timeZone, once, jobType,
                data.isObject() ? (ObjectNode) data : YAML.createObjectNode(),
                entry.path("retry_count").asInt(0), entry.path("retry_interval").asInt(defaultRetryInterval));
    }

    public List<Schedule> recurring() {
        return all.stream().filter(schedule -> !schedule.isOneOff()).toList();
    }

    public List<Schedule> oneOffs() {
        return all.stream().filter(Schedule::isOneOff).toList();
    }

    public List<String> names() {
        return all.stream().map(Schedule::name).toList();
    }

    /** Every job type a schedule names that is not one of {@code jobTypes}. */
    public List<String> unknownJobTypes(List<String> jobTypes) {
        return all.stream().map(Schedule::jobType).filter(type -> !jobTypes.contains(type)).distinct().toList();
    }

    /** Makes the job of schedule header {@code Schedule} for the fire time Quartz scheduled (header {@code scheduledFireTime}). */
    public void fire(Exchange exchange) {
        Schedule schedule = named(exchange.getMessage().getHeader("Schedule", String.class));
        Date fireTime = exchange.getMessage().getHeader("scheduledFireTime", Date.class);
        make(schedule, fireTime.toInstant().toString());
    }

    /** Makes the job of one-off schedule header {@code Schedule}, unless it was made before. */
    public void runOnce(Exchange exchange) {
        make(named(exchange.getMessage().getHeader("Schedule", String.class)), null);
    }

    private void make(Schedule schedule, String fireTime) {
        String key = schedule.idempotencyKey(fireTime);
        JobStore.Created created = jobs.create(new NewJob(schedule.jobType(), schedule.jobData().deepCopy(),
                schedule.retryCount(), schedule.retryInterval(), key));
        if (created.isNew()) {
            LOG.info("Schedule {} made job {} ({}){}", schedule.name(), created.job().uuid(), schedule.jobType(),
                    fireTime == null ? ", once" : " for " + fireTime);
        } else {
            LOG.info("Schedule {}: job {} was made already ({})", schedule.name(), created.job().uuid(), key);
        }
    }

    private Schedule named(String name) {
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
