package dev.dromedary.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.events.JobEventFeed;
import dev.dromedary.analysis.AggregationPlan;
import dev.dromedary.analysis.DatasetAggregation;
import dev.dromedary.datasets.Datasets;
import dev.dromedary.imports.ImportOptions;
import dev.dromedary.processing.InvalidRule;
import dev.dromedary.watch.WatchRefused;
import dev.dromedary.ingest.SourceNotAllowed;
import dev.dromedary.jobs.AllowedBuckets;
import dev.dromedary.jobs.AllowedUrls;
import dev.dromedary.jobs.JobControls;
import dev.dromedary.jobs.JobQuery;
import dev.dromedary.jobs.JobQueues;
import dev.dromedary.jobs.JobStatus;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.jobs.JobTypes;
import dev.dromedary.jobs.NewJob;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** Reads and checks the bodies of job requests; anything it cannot accept is an {@link ApiError} that says why. */
public final class JobRequests {

    static final String MISSING_JOB_TYPE = "ERR_MISSING_JOB_TYPE: the 'job_type' field is required; specify a valid "
            + "job type such as 'insert_csv_file' or 'export_csv_file'";
    static final String MISSING_JOB_DATA = "ERR_MISSING_JOB_DATA: the 'job_data' field is required; include the "
            + "necessary payload for job execution";
    static final String INVALID_RETRY_COUNT = "ERR_INVALID_RETRY_COUNT: 'retry_count' must be a non-negative integer; "
            + "use 0 for no retries or a positive number for retry attempts";

    private static final List<String> CREATE_FIELDS = List.of("job_type", "job_data", "retry_count", "retry_interval",
            "idempotency_key", "priority", "queue", "timeout_seconds", "depends_on");
    private static final List<String> BATCH_ITEM_FIELDS = List.of("job_type", "job_data", "retry_count", "retry_interval",
            "priority", "queue", "timeout_seconds", "depends_on", "ref");
    static final int MAX_PRIORITY = 1_000_000;
    static final int MAX_TIMEOUT_SECONDS = 30 * 24 * 3600;
    private static final int MAX_REF_LENGTH = 100;
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    private static final List<String> LIST_FIELDS = List.of("job_type", "status", "s3_key", "limit");
    private static final int DEFAULT_LIMIT = 25;
    private static final int DEFAULT_EVENT_LIMIT = 100;
    private static final int DEFAULT_DEAD_LETTER_LIMIT = 100;
    private static final int MAX_DEAD_LETTER_LIMIT = 1000;
    private static final int MAX_REPROCESS_LIMIT = 10_000;
    private static final int MAX_LIMIT = 100;
    /** Dromedary's own idempotency keys: the inbox's imports, the schedules' runs. */
    private static final List<String> RESERVED_KEY_PREFIXES = List.of("inbox:", "schedule:", "once:");
    static final int MAX_JSON_DEPTH = 64;
    static final int MAX_NUMBER_DIGITS = 100;

    private final ObjectMapper json;
    private final JobTypes jobTypes;
    private final int maxBodyBytes;
    private final int defaultRetryInterval;
    private final AllowedBuckets buckets;
    private final JobQueues queues;
    private final AllowedUrls notifyUrls;
    private final Map<String, Consumer<Map<?, ?>>> sourceChecks;
    private final Datasets datasets;
    private final DatasetAggregation aggregations;

    public JobRequests(JobTypes jobTypes, int maxBodyBytes, int defaultRetryInterval, AllowedBuckets buckets,
                       JobQueues queues, AllowedUrls notifyUrls, Map<String, Consumer<Map<?, ?>>> sourceChecks, Datasets datasets,
                       DatasetAggregation aggregations) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_JSON_DEPTH).maxNumberLength(MAX_NUMBER_DIGITS).build()).build();
        this.json = new ObjectMapper(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.jobTypes = jobTypes;
        this.maxBodyBytes = maxBodyBytes;
        this.defaultRetryInterval = defaultRetryInterval;
        this.buckets = buckets;
        this.queues = queues;
        this.notifyUrls = notifyUrls;
        this.sourceChecks = sourceChecks;
        this.datasets = datasets;
        this.aggregations = aggregations;
    }

    /** The body of {@code POST /common/jobs/create}. */
    public NewJob newJob(Exchange exchange) {
        ObjectNode request = object(exchange, true);
        rejectUnknownFields(request, CREATE_FIELDS);
        NewJob job = job(request, "");
        for (String dependency : job.controls().dependsOn()) {
            if (!isUuid(dependency)) {
                throw ApiError.badRequest("ERR_INVALID_DEPENDENCY: depends_on holds '" + dependency + "', which is not "
                        + "a job or batch uuid");
            }
        }
        return job;
    }

    /**
     * The body of {@code POST /common/jobs/batch}: {@code {"jobs": [...]}}, each a create body without an
     * idempotency key, with an optional {@code ref} by which the batch's other jobs name it in depends_on.
     */
    public List<JobStore.BatchItem> batch(Exchange exchange) {
        ObjectNode request = object(exchange, true);
        rejectUnknownFields(request, List.of("jobs"));
        JsonNode jobs = request.get("jobs");
        if (jobs == null || !jobs.isArray() || jobs.isEmpty() || jobs.size() > JobStore.MAX_BATCH_JOBS) {
            throw ApiError.badRequest("ERR_INVALID_BATCH: 'jobs' must be an array of 1 to " + JobStore.MAX_BATCH_JOBS
                    + " job bodies, as POST /common/jobs/create takes them");
        }
        List<JobStore.BatchItem> items = new java.util.ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            String where = "jobs[" + i + "]: ";
            JsonNode item = jobs.get(i);
            if (!item.isObject()) {
                throw ApiError.badRequest("ERR_INVALID_BATCH: " + where + "each job must be a JSON object");
            }
            for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!BATCH_ITEM_FIELDS.contains(name)) {
                    throw ApiError.badRequest("ERR_UNKNOWN_FIELD: " + where + "'" + name + "' is not a field of a batch's job"
                            + (name.equals("idempotency_key") ? " (a batch is created once, all or none)" : "")
                            + "; the fields are " + String.join(", ", BATCH_ITEM_FIELDS));
                }
            }
            JsonNode ref = item.get("ref");
            if (!isAbsent(ref) && (!ref.isTextual() || ref.asText().isBlank() || ref.asText().length() > MAX_REF_LENGTH)) {
                throw ApiError.badRequest("ERR_INVALID_BATCH: " + where + "'ref' must be a string of 1 to " + MAX_REF_LENGTH
                        + " characters");
            }
            items.add(new JobStore.BatchItem(isAbsent(ref) ? null : ref.asText(), job((ObjectNode) item, where)));
        }
        return items;
    }

    /** A job of a create or batch body; {@code where} names it in errors ("" for a create body). */
    private NewJob job(ObjectNode request, String where) {
        try {
            return readJob(request);
        } catch (ApiError e) {
            if (where.isEmpty()) {
                throw e;
            }
            int colon = e.getMessage().indexOf(": ");
            throw new ApiError(e.getStatus(), e.getMessage().substring(0, colon + 2) + where + e.getMessage().substring(colon + 2));
        }
    }

    private NewJob readJob(ObjectNode request) {
        JsonNode jobType = request.get("job_type");
        if (isAbsent(jobType) || (jobType.isTextual() && jobType.asText().isBlank())) {
            throw ApiError.badRequest(MISSING_JOB_TYPE);
        }
        if (!jobType.isTextual()) {
            throw ApiError.badRequest("ERR_INVALID_JOB_TYPE: 'job_type' must be a string");
        }
        if (!jobTypes.exists(jobType.asText())) {
            throw ApiError.badRequest("ERR_UNKNOWN_JOB_TYPE: '" + jobType.asText() + "' is not a job type; the job "
                    + "types are " + String.join(", ", jobTypes.names()));
        }

        JsonNode jobData = request.get("job_data");
        if (isAbsent(jobData)) {
            throw ApiError.badRequest(MISSING_JOB_DATA);
        }
        if (!jobData.isObject()) {
            throw ApiError.badRequest("ERR_INVALID_JOB_DATA: 'job_data' must be a JSON object");
        }
        String nul = nulAt(jobData, "");
        if (nul != null) {
            throw ApiError.badRequest("ERR_INVALID_JOB_DATA: job_data" + nul + " holds a NUL character (\\u0000), "
                    + "which a job cannot store");
        }
        String unknown = jobTypes.fields(jobType.asText()).map(fields -> fields.refusal(() -> jobData.fieldNames())).orElse(null);
        if (unknown != null) {
            throw ApiError.badRequest(unknown);
        }
        try {
            switch (jobType.asText()) {
                case "insert_csv_file" -> {
                    if (jobData.has("partition")) {
                        throw new IllegalArgumentException("job_data.partition is Dromedary's own, set on the partitions of a "
                                + "cut import; job_data.partitions (1 to " + ImportOptions.MAX_PARTITIONS + ") asks for a cut");
                    }
                    checkRules(ImportOptions.of(json.convertValue(jobData, Map.class)), jobData, "contact");
                }
                case "aggregate_dataset" -> aggregations.plan(jobData);
                default -> {
                    Consumer<Map<?, ?>> check = sourceChecks.get(jobType.asText());
                    if (check != null) {
                        check.accept(json.convertValue(jobData, Map.class));
                        checkRules(ImportOptions.of(json.convertValue(jobData, Map.class)), jobData, null);
                    }
                }
            }
        } catch (AggregationPlan.AggregationRefused | WatchRefused e) {
            throw ApiError.badRequest(e.getMessage());
        } catch (InvalidRule e) {
            throw ApiError.badRequest(InvalidRule.CODE + ": job_data." + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("ERR_INVALID_JOB_DATA: " + e.getMessage());
        } catch (SourceNotAllowed e) {
            throw ApiError.badRequest("ERR_SOURCE_NOT_ALLOWED: " + e.getMessage());
        }
        JsonNode notifyUrl = jobData.get("notify_url");
        if (notifyUrl != null && !notifyUrl.isNull() && !(notifyUrl.isTextual() && notifyUrls.allows(notifyUrl.asText()))) {
            throw ApiError.badRequest("ERR_NOTIFY_URL_NOT_ALLOWED: " + notifyUrls.refusal("job_data.notify_url", notifyUrl.isTextual()
                    ? notifyUrl.asText() : notifyUrl.toString()));
        }
        JsonNode bucket = jobData.get("s3_bucket");
        if (bucket != null && !bucket.isNull() && !(bucket.isTextual() && buckets.allows(bucket.asText()))) {
            throw ApiError.badRequest("ERR_BUCKET_NOT_ALLOWED: " + buckets.refusal(bucket.isTextual() ? bucket.asText() : bucket.toString()));
        }

        int retryCount = nonNegativeInt(request.get("retry_count"), 0, INVALID_RETRY_COUNT);
        int retryInterval = nonNegativeInt(request.get("retry_interval"), defaultRetryInterval,
                "ERR_INVALID_RETRY_INTERVAL: 'retry_interval' must be a non-negative integer number of seconds");
        JsonNode idempotencyKey = request.get("idempotency_key");
        if (!isAbsent(idempotencyKey) && (!idempotencyKey.isTextual() || idempotencyKey.asText().isBlank()
                || idempotencyKey.asText().length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || idempotencyKey.asText().chars().anyMatch(Character::isISOControl))) {
            throw ApiError.badRequest("ERR_INVALID_IDEMPOTENCY_KEY: 'idempotency_key' must be a string of 1 to "
                    + MAX_IDEMPOTENCY_KEY_LENGTH + " characters, none of them a control character");
        }
        if (!isAbsent(idempotencyKey)) {
            for (String prefix : RESERVED_KEY_PREFIXES) {
                if (idempotencyKey.asText().startsWith(prefix)) {
                    throw ApiError.badRequest("ERR_RESERVED_IDEMPOTENCY_KEY: idempotency keys starting with "
                            + String.join(", ", RESERVED_KEY_PREFIXES) + " are Dromedary's own (the inbox's and the "
                            + "schedules' jobs); choose another");
                }
            }
        }
        return new NewJob(jobType.asText(), (ObjectNode) jobData, retryCount, retryInterval,
                isAbsent(idempotencyKey) ? null : idempotencyKey.asText(), controls(request));
    }

    /** priority, queue, timeout_seconds and depends_on of a create body. */
    private JobControls controls(ObjectNode request) {
        JsonNode priority = request.get("priority");
        if (!isAbsent(priority) && (!priority.isIntegralNumber() || !priority.canConvertToInt()
                || Math.abs(priority.intValue()) > MAX_PRIORITY)) {
            throw ApiError.badRequest("ERR_INVALID_PRIORITY: 'priority' must be an integer from -" + MAX_PRIORITY + " to "
                    + MAX_PRIORITY + " (higher runs first; 0 by default)");
        }
        JsonNode queue = request.get("queue");
        if (!isAbsent(queue) && !(queue.isTextual() && queues.exists(queue.asText()))) {
            throw ApiError.badRequest("ERR_UNKNOWN_QUEUE: " + (queue.isTextual() ? "'" + queue.asText() + "'" : queue)
                    + " is not a queue; the queues (QUEUES) are " + String.join(", ", queues.names()));
        }
        JsonNode timeout = request.get("timeout_seconds");
        if (!isAbsent(timeout) && (!timeout.isIntegralNumber() || !timeout.canConvertToInt() || timeout.intValue() < 1
                || timeout.intValue() > MAX_TIMEOUT_SECONDS)) {
            throw ApiError.badRequest("ERR_INVALID_TIMEOUT: 'timeout_seconds' must be an integer from 1 to "
                    + MAX_TIMEOUT_SECONDS + " (30 days)");
        }
        JsonNode dependsOn = request.get("depends_on");
        List<String> dependencies = new java.util.ArrayList<>();
        if (!isAbsent(dependsOn)) {
            if (!dependsOn.isArray() || dependsOn.size() > JobStore.MAX_BATCH_JOBS) {
                throw ApiError.badRequest("ERR_INVALID_DEPENDENCY: 'depends_on' must be an array of at most "
                        + JobStore.MAX_BATCH_JOBS + " job or batch uuids");
            }
            for (JsonNode dependency : dependsOn) {
                if (!dependency.isTextual() || dependency.asText().isBlank() || dependency.asText().length() > MAX_REF_LENGTH) {
                    throw ApiError.badRequest("ERR_INVALID_DEPENDENCY: depends_on holds " + dependency
                            + ", which is not a job or batch uuid");
                }
                dependencies.add(dependency.asText());
            }
        }
        return new JobControls(isAbsent(priority) ? 0 : priority.intValue(),
                isAbsent(queue) ? JobControls.DEFAULT_QUEUE : queue.asText(),
                isAbsent(timeout) ? null : timeout.intValue(), dependencies);
    }

    /** The rules a job adds to its dataset's must fit that dataset: its columns, their types. */
    private void checkRules(ImportOptions options, JsonNode jobData, String defaultDataset) {
        if (options.transform().isNull() && options.validate().isNull()) {
            return;
        }
        JsonNode service = jobData.get("service");
        String name = service != null && service.isTextual() ? service.asText() : defaultDataset;
        if (name == null || !datasets.has(name)) {
            throw new IllegalArgumentException("job_data.service names the dataset whose columns the rules name; the datasets are "
                    + String.join(", ", datasets.names()));
        }
        options.jobRules(datasets.get(name));
    }

    private static boolean isUuid(String text) {
        try {
            return text.length() == 36 && UUID.fromString(text) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The body of {@code POST /common/jobs}; an empty body lists the newest jobs of every type and status. */
    public JobQuery query(Exchange exchange) {
        ObjectNode request = object(exchange, false);
        rejectUnknownFields(request, LIST_FIELDS);

        JsonNode jobType = request.get("job_type");
        if (!isAbsent(jobType) && !jobType.isTextual()) {
            throw ApiError.badRequest("ERR_INVALID_JOB_TYPE: 'job_type' must be a string");
        }

        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        JsonNode status = request.get("status");
        if (!isAbsent(status)) {
            if (!status.isArray()) {
                throw ApiError.badRequest("ERR_INVALID_STATUS: 'status' must be an array of job states such as "
                        + "[\"open\", \"processing\"]");
            }
            for (JsonNode element : status) {
                statuses.add(JobStatus.fromWireName(element.isTextual() ? element.asText() : null)
                        .orElseThrow(() -> ApiError.badRequest("ERR_INVALID_STATUS: " + element + " is not a job "
                                + "state; the states are " + Arrays.stream(JobStatus.values())
                                .map(JobStatus::wireName).collect(Collectors.joining(", ")))));
            }
        }

        JsonNode s3Key = request.get("s3_key");
        if (!isAbsent(s3Key) && (!s3Key.isTextual() || s3Key.asText().isEmpty() || s3Key.asText().length() > 1024
                || s3Key.asText().indexOf('\u0000') >= 0)) {
            throw ApiError.badRequest("ERR_INVALID_S3_KEY: 's3_key' must be a string of 1 to 1024 characters "
                    + "without a NUL, as S3 keys are");
        }

        String invalidLimit = "ERR_INVALID_LIMIT: 'limit' must be an integer from 1 to " + MAX_LIMIT;
        int limit = nonNegativeInt(request.get("limit"), DEFAULT_LIMIT, invalidLimit);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiError.badRequest(invalidLimit);
        }
        return new JobQuery(isAbsent(jobType) ? null : jobType.asText(), statuses,
                isAbsent(s3Key) ? null : s3Key.asText(), limit);
    }

    /** The query parameters of the dead-letter endpoints ({@code job_uuid}, {@code limit}), as SQL parameters. */
    public Map<String, Object> deadLetterQuery(@Header("job_uuid") String jobUuid, @Header("limit") String limit,
                                               @Header("id") String id, @Header("full") String full) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("job_uuid", jobUuid == null || jobUuid.isBlank() ? null : uuid(jobUuid).toString());
        boolean whole = "true".equals(full);
        if (full != null && !whole && !"false".equals(full)) {
            throw ApiError.badRequest("ERR_INVALID_FULL: 'full' is true or false");
        }
        Long letter = null;
        if (id != null) {
            try {
                letter = Long.parseLong(id);
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("ERR_INVALID_ID: 'id' must be the id of a dead letter (a whole number)");
            }
        }
        if (whole && letter == null) {
            throw ApiError.badRequest("ERR_INVALID_FULL: full=true answers one dead letter in full: give its id too");
        }
        parameters.put("id", letter);
        parameters.put("full", whole);
        parameters.put("limit", QueryLimit.of(limit, DEFAULT_DEAD_LETTER_LIMIT, MAX_DEAD_LETTER_LIMIT));
        return parameters;
    }

    /**
     * The body of {@code POST /common/dead-letters/reprocess} ({@code job_uuid} and {@code limit}, both
     * optional) as a reprocess_dead_letters job.
     */
    public NewJob reprocessJob(Exchange exchange) {
        ObjectNode request = object(exchange, false);
        rejectUnknownFields(request, List.of("job_uuid", "limit"));
        JsonNode job = request.get("job_uuid");
        if (!isAbsent(job)) {
            uuid(job.isTextual() ? job.asText() : job.toString());
        }
        JsonNode limit = request.get("limit");
        if (!isAbsent(limit) && (!limit.isIntegralNumber() || !limit.canConvertToInt() || limit.intValue() < 1
                || limit.intValue() > MAX_REPROCESS_LIMIT)) {
            throw ApiError.badRequest("ERR_INVALID_LIMIT: 'limit' must be an integer from 1 to " + MAX_REPROCESS_LIMIT);
        }
        return new NewJob("reprocess_dead_letters", request, 0, defaultRetryInterval, null);
    }

    /** The query of {@code GET /common/jobs/events}: {@code after} (an event id, 0 by default) and {@code limit}. */
    public EventQuery eventQuery(@Header("after") String after, @Header("limit") String limit) {
        long afterId = 0;
        if (after != null) {
            try {
                afterId = Long.parseLong(after);
            } catch (NumberFormatException e) {
                afterId = -1;
            }
            if (afterId < 0) {
                throw ApiError.badRequest("ERR_INVALID_AFTER: 'after' must be the event_id of an event (a whole number), or 0");
            }
        }
        return new EventQuery(afterId, QueryLimit.of(limit, DEFAULT_EVENT_LIMIT, JobEventFeed.MAX_PAGE));
    }

    /** Which events {@code GET /common/jobs/events} answers. */
    public record EventQuery(long after, int limit) {
    }

    /** The {@code {uuid}} of a job's path. */
    public UUID uuid(@Header("uuid") String uuid) {
        try {
            if (uuid != null && uuid.length() == 36) {
                return UUID.fromString(uuid);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiError.badRequest("ERR_INVALID_UUID: '" + uuid + "' is not a job uuid");
    }

    private ObjectNode object(Exchange exchange, boolean required) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !contentType.isBlank() && !contentType.toLowerCase().contains("json")) {
            throw ApiError.badRequest("ERR_INVALID_CONTENT_TYPE: the body must be JSON, sent with "
                    + "'Content-Type: application/json' (not " + contentType + ")");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > maxBodyBytes) {
            throw new ApiError(413, "ERR_BODY_TOO_LARGE: the request body is larger than the limit of " + maxBodyBytes
                    + " bytes");
        }
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (required) {
                throw ApiError.badRequest("ERR_INVALID_BODY: the request body must be a JSON object");
            }
            return json.createObjectNode();
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiError.badRequest("ERR_MALFORMED_JSON: the request body is beyond what the API reads: JSON nested "
                    + "at most " + MAX_JSON_DEPTH + " deep, numbers of at most " + MAX_NUMBER_DIGITS + " digits ("
                    + e.getOriginalMessage().split("\\(")[0].strip() + ")");
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("ERR_MALFORMED_JSON: the request body is not valid JSON: "
                    + e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("ERR_MALFORMED_JSON: the request body could not be read: " + e.getMessage());
        }
        if (!parsed.isObject()) {
            throw ApiError.badRequest("ERR_INVALID_BODY: the request body must be a JSON object");
        }
        return (ObjectNode) parsed;
    }

    /** The path of the first string or field name under {@code node} that holds a NUL, or null when none does. */
    private static String nulAt(JsonNode node, String path) {
        if (node.isTextual()) {
            return node.asText().indexOf('\u0000') >= 0 ? path : null;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = field.getKey().indexOf('\u0000') >= 0 ? path + "." + field.getKey().replace('\u0000', '?')
                        : nulAt(field.getValue(), path + "." + field.getKey());
                if (at != null) {
                    return at;
                }
            }
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = nulAt(node.get(i), path + "[" + i + "]");
                if (at != null) {
                    return at;
                }
            }
        }
        return null;
    }

    private static void rejectUnknownFields(ObjectNode request, List<String> known) {
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiError.badRequest("ERR_UNKNOWN_FIELD: '" + name + "' is not a field of this request; "
                        + "the fields are " + String.join(", ", known));
            }
        }
    }

    private static int nonNegativeInt(JsonNode value, int absent, String error) {
        if (isAbsent(value)) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw ApiError.badRequest(error);
        }
        return value.intValue();
    }

    private static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull();
    }
}
