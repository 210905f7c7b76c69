package dev.dromedary.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The bodies of the jobs API as the OpenAPI document at /common/openapi.json shows them: the REST DSL of
 * routes/*-api.camel.yaml names these types, and camel-openapi-java makes their schemas. They describe what
 * {@link JobRequests} reads and {@link JobResponses} writes, which check and build the bodies themselves.
 */
public final class ApiSchemas {

    private ApiSchemas() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CreateJob", description = "A job to create. A field not listed here is refused (ERR_UNKNOWN_FIELD).",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record CreateJob(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The job type: a route direct:job-<job_type> "
                    + "(insert_csv_file, export_csv_file, ingest_database, ingest_http_api, watch_url, dataset_statistics, aggregate_dataset, noop, or one "
                    + "of yours). ERR_MISSING_JOB_TYPE, ERR_INVALID_JOB_TYPE, ERR_UNKNOWN_JOB_TYPE", example = "insert_csv_file")
            String jobType,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "What the job works on, by job type. "
                    + "ERR_MISSING_JOB_DATA, ERR_INVALID_JOB_DATA, ERR_BUCKET_NOT_ALLOWED, ERR_SOURCE_NOT_ALLOWED, "
                    + "ERR_NOTIFY_URL_NOT_ALLOWED, ERR_MISSING_SELECT_COLUMNS, ERR_INVALID_RULE, ERR_INVALID_AGGREGATION, "
                    + "ERR_INVALID_TABLE_NAME, ERR_INVALID_SELECTOR, ERR_INVALID_PATTERN, ERR_UNKNOWN_FIELD",
                    type = "object", anyOf = {InsertCsvFileData.class, ExportCsvFileData.class, IngestDatabaseData.class,
                            IngestHttpApiData.class, WatchUrlData.class, DatasetStatisticsData.class, AggregateDatasetData.class})
            Object jobData,
            @Schema(description = "Retries allowed after the first attempt fails (ERR_INVALID_RETRY_COUNT)",
                    minimum = "0", defaultValue = "0") Integer retryCount,
            @Schema(description = "Seconds before a retry, doubled with each (ERR_INVALID_RETRY_INTERVAL)",
                    minimum = "0", defaultValue = "30") Integer retryInterval,
            @Schema(description = "A job created again with the same key answers 200 with the first one "
                    + "(ERR_INVALID_IDEMPOTENCY_KEY, ERR_RESERVED_IDEMPOTENCY_KEY)", minLength = 1, maxLength = 200)
            String idempotencyKey,
            @Schema(description = "Higher is claimed first (ERR_INVALID_PRIORITY)", minimum = "-1000000",
                    maximum = "1000000", defaultValue = "0") Integer priority,
            @Schema(description = "The queue of QUEUES whose workers run it (ERR_UNKNOWN_QUEUE)", defaultValue = "default")
            String queue,
            @Schema(description = "A run longer than this fails with ERR_JOB_TIMEOUT (ERR_INVALID_TIMEOUT)", minimum = "1",
                    maximum = "2592000") Integer timeoutSeconds,
            @ArraySchema(schema = @Schema(format = "uuid"), maxItems = 1000, arraySchema = @Schema(description =
                    "Jobs or batches that must complete first (ERR_INVALID_DEPENDENCY)")) List<String> dependsOn) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "InsertCsvFileData", description = "job_data of insert_csv_file: an object in S3 imported into a dataset")
    public record InsertCsvFileData(
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 1024) String s3Key,
            @Schema(description = "One of S3_ALLOWED_BUCKETS; S3_BUCKET by default") String s3Bucket,
            @Schema(description = "The dataset", defaultValue = "contact") String service,
            @Schema(allowableValues = {"csv", "jsonl", "xlsx"}) String format,
            @Schema(description = "',', ';', '\\t' (tab), '|' or auto") String delimiter,
            String quote,
            String escape,
            @Schema(allowableValues = {"auto", "utf-8", "windows-1252", "iso-8859-1", "utf-16le", "utf-16be"}) String encoding,
            List<String> nullValues,
            @Schema(minimum = "0") Integer skipRows,
            @Schema(minimum = "1", description = "The row the header stands on (a sheet's row as Excel numbers it, a file's "
                    + "line), instead of skip_rows") Integer headerRow,
            Boolean header,
            List<String> columns,
            @Schema(description = "Header to column") Map<String, String> columnMap,
            @Schema(description = "An .xlsx sheet: its name, or its index from 0") Object sheet,
            Boolean dryRun,
            Boolean force,
            @Schema(minimum = "0") Long maxErrors,
            @Schema(minimum = "0", maximum = "1") Double maxErrorRatio,
            @Schema(minimum = "1", maximum = "1000", description = "Parts the object is cut into, each a job any instance "
                    + "runs (1: none); without it, one per PARTITION_MIN_BYTES") Integer partitions,
            @Schema(description = "Transform rules after the dataset's own (ERR_INVALID_RULE)") List<Map<String, Object>> transform,
            @Schema(description = "Validation rules by column, beside the dataset's (ERR_INVALID_RULE)") Map<String, Object> validate,
            @Schema(allowableValues = {"upsert", "mirror"}, defaultValue = "upsert", description = "mirror: the dataset's rows "
                    + "the source lacks are deleted once it has landed") String mode,
            @Schema(description = "A mirror deletes only rows this VQL where matches") VqlWhere mirrorScope,
            @Schema(description = "The most rows a mirror deletes: a count, or a share of its scope such as \"10%\" "
                    + "(ERR_MIRROR_DELETE_LIMIT)", defaultValue = "10%") Object mirrorMaxDelete,
            @Schema(description = "Receives the job's events (a prefix of JOB_WEBHOOK_ALLOWED)") String notifyUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ExportCsvFileData", description = "job_data of export_csv_file: the rows a VQL query selects, as CSV in S3")
    public record ExportCsvFileData(
            String s3Bucket,
            @Schema(defaultValue = "contact") String service,
            @Schema(requiredMode = RequiredMode.REQUIRED) Vql vql,
            String notifyUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Vql", description = "A query of a dataset (ERR_INVALID_VQL, ERR_UNKNOWN_FIELD at run time)")
    public record Vql(
            VqlWhere where,
            @ArraySchema(minItems = 1, arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "The columns of the CSV, in order (ERR_MISSING_SELECT_COLUMNS)")) List<String> selectColumns,
            List<VqlOrder> orderBy,
            @Schema(description = "Rows per page read", minimum = "1", maximum = "10000", defaultValue = "500") Integer limit) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "VqlWhere")
    public record VqlWhere(VqlClauses keywordMatch, VqlClauses rangeQuery) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "VqlClauses", description = "keyword_match: {column: [values]}; range_query: {column: {gte, gt, lte, lt}}")
    public record VqlClauses(Map<String, Object> must, Map<String, Object> mustNot) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "VqlOrder")
    public record VqlOrder(@Schema(requiredMode = RequiredMode.REQUIRED) String orderBy,
                           @Schema(allowableValues = {"asc", "desc"}) String orderDirection) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "IngestDatabaseData", description = "job_data of ingest_database: one SELECT on a configured source")
    public record IngestDatabaseData(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "SOURCE_<NAME>_URL names it (ERR_UNKNOWN_SOURCE)")
            String source,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "One SELECT or WITH statement, its ? from params")
            String query,
            List<Object> params,
            @Schema(defaultValue = "contact") String service,
            @Schema(minimum = "1", maximum = "10000", defaultValue = "1000") Integer fetchSize,
            String checkpointColumn,
            Map<String, String> columnMap,
            Boolean force,
            @Schema(description = "Transform rules after the dataset's own (ERR_INVALID_RULE)") List<Map<String, Object>> transform,
            @Schema(description = "Validation rules by column, beside the dataset's (ERR_INVALID_RULE)") Map<String, Object> validate,
            @Schema(allowableValues = {"upsert", "mirror"}, defaultValue = "upsert", description = "mirror: the dataset's rows "
                    + "the source lacks are deleted once it has landed") String mode,
            @Schema(description = "A mirror deletes only rows this VQL where matches") VqlWhere mirrorScope,
            @Schema(description = "The most rows a mirror deletes: a count, or a share of its scope such as \"10%\" "
                    + "(ERR_MIRROR_DELETE_LIMIT)", defaultValue = "10%") Object mirrorMaxDelete,
            List<String> nullValues,
            @Schema(description = "Read and check the rows, write nothing") Boolean dryRun,
            @Schema(minimum = "0") Long maxErrors,
            @Schema(minimum = "0", maximum = "1") Double maxErrorRatio,
            String notifyUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "IngestHttpApiData", description = "job_data of ingest_http_api: a paged JSON API under HTTP_SOURCES_ALLOWED")
    public record IngestHttpApiData(
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "uri") String url,
            @Schema(allowableValues = {"GET", "POST"}) String method,
            @Schema(description = "Sent with each request; {{secret:NAME}} is the setting SECRET_NAME") Map<String, String> headers,
            @Schema(description = "JSON pointer to the records of an answer", example = "/data") String records,
            @Schema(description = "type: page, offset, cursor or link, with its parameters") Map<String, Object> pagination,
            @Schema(minimum = "1") Integer maxPages,
            @Schema(description = "Requests a second at most") Double rateLimit,
            @Schema(defaultValue = "contact") String service,
            Map<String, String> columnMap,
            Boolean force,
            @Schema(description = "Transform rules after the dataset's own (ERR_INVALID_RULE)") List<Map<String, Object>> transform,
            @Schema(description = "Validation rules by column, beside the dataset's (ERR_INVALID_RULE)") Map<String, Object> validate,
            @Schema(allowableValues = {"upsert", "mirror"}, defaultValue = "upsert", description = "mirror: the dataset's rows "
                    + "the source lacks are deleted once it has landed") String mode,
            @Schema(description = "A mirror deletes only rows this VQL where matches") VqlWhere mirrorScope,
            @Schema(description = "The most rows a mirror deletes: a count, or a share of its scope such as \"10%\" "
                    + "(ERR_MIRROR_DELETE_LIMIT)", defaultValue = "10%") Object mirrorMaxDelete,
            List<String> nullValues,
            @Schema(description = "Read and check the rows, write nothing") Boolean dryRun,
            @Schema(minimum = "0") Long maxErrors,
            @Schema(minimum = "0", maximum = "1") Double maxErrorRatio,
            String notifyUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "WatchUrlData", description = "job_data of watch_url: a page under HTTP_SOURCES_ALLOWED fetched, what it "
            + "selects compared with the watch's newest snapshot (a unified diff); with rows and service, its rows land in a dataset")
    public record WatchUrlData(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The watch's name: its snapshots chain across runs",
                    example = "embassies") String watch,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "uri") String url,
            @Schema(description = "Sent with each request; {{secret:NAME}} is the setting SECRET_NAME") Map<String, String> headers,
            @Schema(description = "One of {\"css\": …} (jsoup), {\"json_path\": …} (Jayway) or {\"text\": true} (the default; "
                    + "ERR_INVALID_SELECTOR)") Map<String, Object> select,
            @Schema(description = "Rows mode: {\"css\": \"table tr\", \"columns\": {\"name\": \"td:nth-child(1)\"}} or a "
                    + "json_path with columns as paths within each element") Map<String, Object> rows,
            @Schema(description = "Lines to leave out before comparing, as RE2 regular expressions (ERR_INVALID_PATTERN)")
            List<String> ignore,
            @Schema(allowableValues = {"changed", "added", "contains", "not_contains"}, defaultValue = "changed") String notifyWhen,
            @Schema(description = "The text notify_when contains or not_contains looks for") String text,
            @Schema(description = "Rows mode: the dataset the rows land in") String service,
            @Schema(allowableValues = {"upsert", "mirror"}, defaultValue = "upsert") String mode,
            VqlWhere mirrorScope,
            Object mirrorMaxDelete,
            List<Map<String, Object>> transform,
            Map<String, Object> validate,
            Boolean dryRun,
            Boolean force,
            @Schema(minimum = "0") Long maxErrors,
            @Schema(minimum = "0", maximum = "1") Double maxErrorRatio,
            String notifyUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Watch", description = "A watch of watch_url jobs and its newest snapshot")
    public record Watch(String name, String url, String createdAt, String runningJob, String changedAt, String checkedAt,
                        Integer lines, Long changes,
                        @Schema(description = "GET /common/watches/{name}: the newest snapshot's text, cut at 100,000 characters")
                        String content, Boolean contentCut, String contentHash, String etag, String lastModified) {
    }

    @Schema(name = "Watches", description = "The watches by name")
    public record Watches(List<Watch> watches) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "WatchChange", description = "A snapshot of a watch: the baseline (changed false) or a change with its unified diff")
    public record WatchChange(Long id, String jobUuid, String url, String takenAt, String checkedAt, Boolean changed, Integer lines,
                              Integer linesAdded, Integer linesRemoved, String diff, Boolean diffCut) {
    }

    @Schema(name = "WatchChanges", description = "A watch's snapshots newest first")
    public record WatchChanges(String watch, List<WatchChange> changes) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AlertRuleView", description = "A rule of ALERTS_FILE: its condition and channels (name and type)")
    public record AlertRuleView(String name, String condition, List<String> channels, Long repeatAfterSeconds) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Alert", description = "An alert: an event of a rule for a subject, firing or resolved, with its notices")
    public record Alert(Long id, String eventId, String rule, String condition, String subject,
                        @Schema(allowableValues = {"firing", "resolved"}) String state, String summary, String startedAt,
                        String notifiedAt, Integer repeats, String resolvedAt, Map<String, Object> details,
                        @Schema(description = "Each notice (firing, repeat, resolved) per channel: state pending, sending, "
                                + "sent or failed, attempts, last_error, sent_at") List<Map<String, Object>> notices) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Alerts", description = "The alert rules and the alerts, firing first")
    public record Alerts(List<AlertRuleView> rules,
                         @Schema(description = "Why ALERTS_FILE's latest change was not taken (its previous rules stay)") String rulesError,
                         List<Alert> alerts) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "DatasetStatisticsData", description = "job_data of dataset_statistics: figures of the rows a VQL where selects")
    public record DatasetStatisticsData(
            @Schema(defaultValue = "contact") String service,
            VqlWhere where,
            List<String> columns,
            String notifyUrl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AggregateDatasetData", description = "job_data of aggregate_dataset: a dataset's rows grouped by columns, "
            + "computed in PostgreSQL (ERR_INVALID_AGGREGATION, ERR_UNKNOWN_FIELD, ERR_INVALID_TABLE_NAME)")
    public record AggregateDatasetData(
            @Schema(defaultValue = "contact") String service,
            @ArraySchema(minItems = 1, maxItems = 8, arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "The group columns")) List<String> groupBy,
            @Schema(description = "\"*\" or a column to its functions: count, count_distinct, sum, avg, min, max",
                    example = "{\"*\": [\"count\"], \"employees_count\": [\"sum\", \"avg\"]}") Map<String, List<String>> aggregations,
            @Schema(description = "Which rows: a VQL where") VqlWhere filter,
            @Schema(description = "Which groups: figure, operator, number", example = "count >= 10") String having,
            @Schema(description = "Group columns or figures, each asc or desc", example = "count desc") Object order,
            @Schema(minimum = "1", maximum = "10000000") Long limit,
            @Schema(description = "Where the groups are written as CSV, in S3_BUCKET") String s3Key,
            @Schema(description = "A result table, named AGGREGATE_TABLE_PREFIX + table, replaced whole", pattern = "^[a-z][a-z0-9_]{0,39}$")
            String table,
            String notifyUrl) {
    }

    @Schema(name = "CreateBatch", description = "Up to 1,000 jobs created in one transaction, all or none (ERR_INVALID_BATCH)",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record CreateBatch(
            @ArraySchema(minItems = 1, maxItems = 1000, arraySchema = @Schema(requiredMode = RequiredMode.REQUIRED))
            List<BatchJob> jobs) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "BatchJob", description = "A job of a batch: a CreateJob without idempotency_key, and a ref other jobs of "
            + "the batch may name in depends_on", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record BatchJob(
            @Schema(requiredMode = RequiredMode.REQUIRED) String jobType,
            @Schema(requiredMode = RequiredMode.REQUIRED, type = "object", anyOf = {InsertCsvFileData.class,
                    ExportCsvFileData.class, IngestDatabaseData.class, IngestHttpApiData.class, WatchUrlData.class,
                    DatasetStatisticsData.class, AggregateDatasetData.class})
            Object jobData,
            @Schema(minimum = "0") Integer retryCount,
            @Schema(minimum = "0") Integer retryInterval,
            @Schema(minimum = "-1000000", maximum = "1000000") Integer priority,
            String queue,
            @Schema(minimum = "1", maximum = "2592000") Integer timeoutSeconds,
            @ArraySchema(maxItems = 1000) List<String> dependsOn,
            @Schema(minLength = 1, maxLength = 100) String ref) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ListJobs", description = "Which jobs to list, newest first", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record ListJobs(
            String jobType,
            @ArraySchema(schema = @Schema(allowableValues = {"open", "in_queue", "processing", "completed", "failed",
                    "retry_in_queued", "retrying", "cancelled"}), arraySchema = @Schema(description = "ERR_INVALID_STATUS"))
            List<String> status,
            @Schema(description = "Jobs importing this object") String s3Key,
            @Schema(minimum = "1", maximum = "100", defaultValue = "25", description = "ERR_INVALID_LIMIT") Integer limit) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ReprocessDeadLetters", description = "Reprocess the waiting dead letters of one job, or of all",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record ReprocessDeadLetters(
            @Schema(format = "uuid") String jobUuid,
            @Schema(minimum = "1", maximum = "10000") Integer limit) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Created")
    public record Created(
            @Schema(example = "Job created successfully") String message,
            @Schema(example = "true") boolean success,
            UUID uuid) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "BatchCreated")
    public record BatchCreated(String message, boolean success, UUID batchUuid, List<UUID> uuids) {
    }

    @Schema(name = "Error", description = "Every refusal: an ERR_ code, a colon and what to do")
    public record Error(
            @Schema(example = "ERR_MISSING_JOB_TYPE: the 'job_type' field is required; specify a valid job type such as "
                    + "'insert_csv_file' or 'export_csv_file'") String error,
            @Schema(example = "false") boolean success) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Job", description = "A job. job_response.runtime_errors holds the errors of its runs: ERR_JOB_TIMEOUT, "
            + "ERR_TOO_MANY_BAD_ROWS, ERR_INVALID_VQL, ERR_UNKNOWN_FIELD, ERR_BUCKET_NOT_ALLOWED, ERR_UNKNOWN_SOURCE, "
            + "ERR_UNKNOWN_SECRET, ERR_SOURCE_FAILED, ERR_QUERY_FAILED, ERR_SOURCE_NOT_ALLOWED, ERR_SOURCE_ANSWERED_<status>, "
            + "ERR_UNEXPECTED_ANSWER, ERR_ANSWER_TOO_LARGE, ERR_PARTITION_FAILED, ERR_TOO_MANY_SHARED_KEYS")
    public record Job(
            long id, UUID uuid, String jobType, Map<String, Object> data,
            @Schema(allowableValues = {"open", "in_queue", "processing", "completed", "failed", "retry_in_queued",
                    "retrying", "cancelled"}) String status,
            Map<String, Object> jobResponse, int retryCount, int retryInterval, OffsetDateTime runAfter,
            OffsetDateTime createdAt, OffsetDateTime updatedAt, int attempts, String claimedBy, OffsetDateTime startedAt,
            OffsetDateTime completedAt, int priority, String queue, Integer timeoutSeconds, List<UUID> dependsOn,
            int waitingOn, UUID batchUuid,
            @Schema(description = "rows_read, rows_written, rows_failed, bytes_read, bytes_total, checkpoint, "
                    + "rows_per_second, seconds_left, percent") Map<String, Object> progress) {
    }

    @Schema(name = "JobList")
    public record JobList(List<Job> data, boolean success) {
    }

    @Schema(name = "OneJob")
    public record OneJob(Job data, boolean success) {
    }

    @Schema(name = "JobChanged", description = "A job cancelled or made due again")
    public record JobChanged(String message, boolean success, Job data) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "BatchState")
    public record BatchState(UUID uuid,
                             @Schema(allowableValues = {"open", "running", "completed", "failed"}) String state,
                             long jobs, Map<String, Long> byStatus, long failedForGood, OffsetDateTime createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "JobEvent", description = "One transition of a job, as routes/job-events.camel.yaml and webhooks get it")
    public record JobEvent(long eventId, @Schema(example = "job.completed") String type, OffsetDateTime at, UUID jobUuid,
                           String jobType, String queue, int priority, UUID batchUuid, String fromStatus, String toStatus,
                           String reason, String instance, int attempts, OffsetDateTime runAfter) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "JobEvents")
    public record JobEvents(List<JobEvent> data, @Schema(description = "The after of the next page") long nextAfter,
                            boolean success) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "DeadLetters", description = "The rows that could not be imported, with their row numbers and reasons")
    public record DeadLetters(List<Map<String, Object>> data, boolean success) {
    }

    @Schema(name = "DeadLetterStats", description = "data: total, waiting, by_job {job uuid: count}, by_reason {reason: count}")
    public record DeadLetterStats(Map<String, Object> data, boolean success) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "UploadUrl", description = "A presigned PUT into the inbox")
    public record UploadUrl(@Schema(description = "PUT the file here, valid UPLOAD_URL_SECONDS") String uploadUrl,
                            @Schema(description = "Where the file lands, under the inbox prefix") String s3Key) {
    }

    @Schema(name = "View", description = "A JSON object whose fields docs/api.md describes")
    public record View(Map<String, Object> data, boolean success) {
    }
}
