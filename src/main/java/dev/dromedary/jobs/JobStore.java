package dev.dromedary.jobs;

import static dev.dromedary.jobs.JobStatus.CANCELLED;
import static dev.dromedary.jobs.JobStatus.FAILED;
import static dev.dromedary.jobs.JobStatus.IN_QUEUE;
import static dev.dromedary.jobs.JobStatus.OPEN;
import static dev.dromedary.jobs.JobStatus.RETRY_IN_QUEUED;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The jobs table. Every status change is checked against {@link JobTransitions} and written with the
 * expected previous status (and, for a claimed job, its owner) in the WHERE clause, so a stale worker
 * cannot overwrite a newer truth: such a write changes no row and the method says so.
 */
public final class JobStore {

    private static final String INSERT = SqlFile.load("sql/jobs/insert.sql");
    private static final String FIND = SqlFile.load("sql/jobs/find.sql");
    private static final String FIND_BY_IDEMPOTENCY_KEY = SqlFile.load("sql/jobs/find-by-idempotency-key.sql");
    private static final String LIST = SqlFile.load("sql/jobs/list.sql");
    private static final String CLAIM_OPEN = SqlFile.load("sql/jobs/claim-open.sql");
    private static final String CLAIM_SPREAD = SqlFile.load("sql/jobs/claim-spread.sql");
    private static final String CLAIM_DUE_RETRIES = SqlFile.load("sql/jobs/claim-due-retries.sql");
    private static final String START = SqlFile.load("sql/jobs/start.sql");
    private static final String COMPLETE_ALL = SqlFile.load("sql/jobs/complete-all.sql");
    private static final String FAIL = SqlFile.load("sql/jobs/fail.sql");
    private static final String CANCEL = SqlFile.load("sql/jobs/cancel.sql");
    private static final String RETRY_NOW = SqlFile.load("sql/jobs/retry-now.sql");
    private static final String HAND_BACK = SqlFile.load("sql/jobs/hand-back.sql");
    private static final String HAND_BACK_RUNNING = SqlFile.load("sql/jobs/hand-back-running.sql");
    private static final String RUNNING_HERE = SqlFile.load("sql/jobs/running-here.sql");
    private static final String PROGRESS = SqlFile.load("sql/jobs/progress.sql");
    private static final String HEARTBEAT = SqlFile.load("sql/jobs/heartbeat.sql");
    private static final String EXPIRE_LEASES = SqlFile.load("sql/jobs/expire-leases.sql");
    private static final String REQUEUE_ORPHANS = SqlFile.load("sql/jobs/requeue-orphans.sql");
    private static final String NEXT_RETRY_DUE = SqlFile.load("sql/jobs/next-retry-due.sql");
    private static final String OVERDUE_HERE = SqlFile.load("sql/jobs/overdue-here.sql");
    private static final String DEPENDENCIES = SqlFile.load("sql/jobs/dependencies.sql");
    private static final String BATCH_COUNTS = SqlFile.load("sql/jobs/batch-counts.sql");
    private static final String OF_BATCH = SqlFile.load("sql/jobs/of-batch.sql");
    private static final String CLAIM_OPEN_OF_BATCH = SqlFile.load("sql/jobs/claim-open-of-batch.sql");
    private static final String RUNNING = SqlFile.load("sql/jobs/running.sql");
    public static final int MAX_BATCH_JOBS = 1000;

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final String owner;
    private final LiveRuns runs = new LiveRuns();
    /** The jobs this instance claimed and has not started; a claim of its own in the table but not here lost its answer. */
    private final Set<UUID> queuedHere = ConcurrentHashMap.newKeySet();
    private final DueRetries dueRetries = new DueRetries();
    private final RowMapper<Job> rows;
    private final TransactionTemplate transactions;
    private BiConsumer<String, Duration> claimTimes = (runner, took) -> { };
    private Function<String, Integer> defaultTimeouts = jobType -> null;
    private volatile boolean claiming = true;

    /** {@code owner} is this instance's id, written as the claim owner of the jobs it takes. */
    public JobStore(DataSource dataSource, ObjectMapper json, String owner) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.json = json;
        this.owner = owner;
        this.rows = this::job;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    private volatile double sampleSeconds = 1;
    private volatile int leaseSeconds = 60;

    /** The timeout_seconds of a job created without one, by job type (null: none). */
    public void defaultTimeouts(Function<String, Integer> byJobType) {
        this.defaultTimeouts = byJobType;
    }

    /** How long an instance counts as alive after its last heartbeat, when partitions are shared among those alive. */
    public void instanceLease(Duration lease) {
        this.leaseSeconds = (int) lease.toSeconds();
    }

    /** Tells {@code listener} how long each claim statement took, by runner (first_time or retry). */
    public void timeClaims(BiConsumer<String, Duration> listener) {
        this.claimTimes = listener;
    }

    public String owner() {
        return owner;
    }

    /**
     * Creates the job, or returns the job created before with the same idempotency key (see {@link Created});
     * {@link InvalidDependency} when it depends on a job or batch that does not exist or can no longer complete.
     */
    public Created create(NewJob job) {
        return transactions.execute(status -> insertAll(List.of(job), List.of(resolveDependencies(job.controls().dependsOn(),
                Map.of())), null, false).get(0));
    }

    /**
     * Creates the jobs of a batch in one transaction, all or none, with one batch uuid; a job may depend on
     * another of the batch by its ref. Refs that form a cycle or name nothing are an {@link InvalidDependency}.
     */
    public Batch createBatch(List<BatchItem> items) {
        return createBatch(UUID.randomUUID(), items, false);
    }

    /**
     * The partitions of an import: a batch under the parent job's uuid, claimed in fair shares by the instances that
     * run their queue (claim-spread.sql).
     */
    public Batch createPartitions(UUID parent, List<BatchItem> items) {
        return createBatch(parent, items, true);
    }

    private Batch createBatch(UUID batch, List<BatchItem> items, boolean spread) {
        if (items.isEmpty() || items.size() > MAX_BATCH_JOBS) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH_JOBS + " jobs");
        }
        List<List<BatchItem>> layers = dependenciesFirst(items);
        return transactions.execute(status -> {
            Map<String, UUID> byRef = new HashMap<>();
            Map<BatchItem, Job> created = new IdentityHashMap<>();
            for (List<BatchItem> layer : layers) {
                List<List<UUID>> dependsOn = layer.stream()
                        .map(item -> resolveDependencies(item.job().controls().dependsOn(), byRef)).toList();
                List<Created> inserted = insertAll(layer.stream().map(BatchItem::job).toList(), dependsOn, batch, spread);
                for (int i = 0; i < layer.size(); i++) {
                    BatchItem item = layer.get(i);
                    Job job = inserted.get(i).job();
                    if (item.ref() != null) {
                        byRef.put(item.ref(), job.uuid());
                    }
                    created.put(item, job);
                }
            }
            return new Batch(batch, items.stream().map(created::get).toList());
        });
    }

    /** One job of a batch request: {@code ref} (may be null) is how the batch's other jobs name it in depends_on. */
    public record BatchItem(String ref, NewJob job) {
    }

    /** The jobs a batch request created, in the order of the request. */
    public record Batch(UUID uuid, List<Job> jobs) {
    }

    /** A batch's jobs by status; empty when no job has this batch uuid. */
    public Optional<BatchCounts> batch(UUID uuid) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        long[] failedForGood = {0};
        OffsetDateTime[] created = {null};
        jdbc.query(BATCH_COUNTS, new MapSqlParameterSource("batch", uuid), row -> {
            byStatus.put(row.getString("status"), row.getLong("jobs"));
            failedForGood[0] += row.getLong("failed_for_good");
            OffsetDateTime at = row.getObject("created_at", OffsetDateTime.class);
            if (created[0] == null || at.isBefore(created[0])) {
                created[0] = at;
            }
        });
        if (byStatus.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BatchCounts(uuid, byStatus, failedForGood[0], created[0]));
    }

    /** The jobs of a batch, oldest first. */
    public List<Job> ofBatch(UUID batch) {
        return jdbc.query(OF_BATCH, new MapSqlParameterSource("batch", batch), rows);
    }

    /**
     * One partition of the import for its own thread to run here at once (claim-open-of-batch.sql): one claimed here
     * and not started, else an open one within this instance's share; empty when there is none.
     */
    public Optional<Job> claimOpenOf(UUID batch) {
        JobTransitions.require(OPEN, IN_QUEUE);
        if (!claiming) {
            return Optional.empty();
        }
        Optional<Job> claimed = jdbc.query(CLAIM_OPEN_OF_BATCH, new MapSqlParameterSource()
                .addValue("from", OPEN.wireName())
                .addValue("to", IN_QUEUE.wireName())
                .addValue("owner", owner)
                .addValue("leaseSeconds", leaseSeconds)
                .addValue("batch", batch), rows).stream().findFirst();
        claimed.ifPresent(job -> queuedHere.add(job.uuid()));
        return claimed;
    }

    /** What {@code GET /common/batches/{uuid}} answers: counts by status, and the state they come to. */
    public record BatchCounts(UUID uuid, Map<String, Long> byStatus, long failedForGood, OffsetDateTime createdAt) {

        public long total() {
            return byStatus.values().stream().mapToLong(Long::longValue).sum();
        }

        /** completed when every job has; failed when one failed for good or was cancelled; open before any started. */
        public String state() {
            long completed = byStatus.getOrDefault(JobStatus.COMPLETED.wireName(), 0L);
            if (completed == total()) {
                return "completed";
            }
            if (failedForGood > 0 || byStatus.getOrDefault(CANCELLED.wireName(), 0L) > 0) {
                return "failed";
            }
            long waiting = byStatus.getOrDefault(OPEN.wireName(), 0L) + byStatus.getOrDefault(IN_QUEUE.wireName(), 0L);
            return waiting == total() ? "open" : "running";
        }
    }

    /**
     * Inserts the jobs in one statement (a statement a job held a batch to about 1,000 jobs a second, docs/performance.md),
     * answering each in the order given; the uuids are made here so that each answer is found among the rows inserted.
     */
    private List<Created> insertAll(List<NewJob> jobs, List<List<UUID>> dependsOn, UUID batch, boolean spread) {
        ArrayNode rows = json.createArrayNode();
        List<UUID> uuids = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = jobs.get(i);
            UUID uuid = UUID.randomUUID();
            uuids.add(uuid);
            Integer timeout = job.controls().timeoutSeconds() != null ? job.controls().timeoutSeconds()
                    : defaultTimeouts.apply(job.jobType());
            ArrayNode depends = json.createArrayNode();
            dependsOn.get(i).forEach(dependency -> depends.add(dependency.toString()));
            rows.addObject()
                    .put("uuid", uuid.toString())
                    .put("job_type", job.jobType())
                    .<ObjectNode>set("data", job.data())
                    .put("retry_count", job.retryCount())
                    .put("retry_interval", job.retryInterval())
                    .put("idempotency_key", job.idempotencyKey())
                    .put("priority", job.controls().priority())
                    .put("queue", job.controls().queue())
                    .put("timeout_seconds", timeout)
                    .set("depends_on", depends);
        }
        Map<UUID, Job> inserted = new HashMap<>();
        for (Job job : jdbc.query(INSERT, new MapSqlParameterSource()
                .addValue("jobs", toJson(rows))
                .addValue("batchUuid", batch == null ? null : batch.toString())
                .addValue("spread", spread), this.rows)) {
            inserted.put(job.uuid(), job);
        }
        List<Created> created = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            Job job = inserted.get(uuids.get(i));
            created.add(job != null ? new Created(job, true) : new Created(jdbc.queryForObject(FIND_BY_IDEMPOTENCY_KEY,
                    new MapSqlParameterSource("idempotencyKey", jobs.get(i).idempotencyKey()), this.rows), false));
        }
        return created;
    }

    /**
     * The job uuids that {@code dependsOn} names (a batch uuid stands for its jobs; a ref for the job of this
     * batch request made under it), each one that can still complete.
     */
    private List<UUID> resolveDependencies(List<String> dependsOn, Map<String, UUID> byRef) {
        if (dependsOn.isEmpty()) {
            return List.of();
        }
        Set<UUID> named = new LinkedHashSet<>();
        for (String dependency : dependsOn) {
            UUID ref = byRef.get(dependency);
            if (ref != null) {
                named.add(ref);
            } else {
                try {
                    named.add(UUID.fromString(dependency));
                } catch (IllegalArgumentException e) {
                    throw new InvalidDependency("'" + dependency + "' is neither a job or batch uuid nor the ref of "
                            + "another job of this batch");
                }
            }
        }
        Set<UUID> found = new HashSet<>();
        Set<UUID> jobs = new LinkedHashSet<>();
        jdbc.query(DEPENDENCIES, new MapSqlParameterSource("uuids", uuidArray(named)), row -> {
            UUID uuid = row.getObject("uuid", UUID.class);
            UUID batch = row.getObject("batch_uuid", UUID.class);
            found.add(named.contains(uuid) ? uuid : batch);
            JobStatus status = JobStatus.fromWireName(row.getString("status")).orElseThrow();
            if (status == CANCELLED || (status == FAILED && row.getObject("run_after") == null)) {
                throw new InvalidDependency("job " + uuid + " (" + row.getString("job_type") + ") is "
                        + (status == CANCELLED ? "cancelled" : "failed with no retries left")
                        + ", so a job that depends on it could never run");
            }
            jobs.add(uuid);
        });
        named.removeAll(found);
        if (!named.isEmpty()) {
            throw new InvalidDependency("no job or batch has the uuid " + named.iterator().next());
        }
        if (jobs.size() > MAX_BATCH_JOBS) {
            throw new InvalidDependency("a job depends on at most " + MAX_BATCH_JOBS + " jobs; these name " + jobs.size());
        }
        return List.copyOf(jobs);
    }

    /**
     * The batch's items in layers, each item in a layer after every item whose ref it names (Kahn's algorithm), in
     * the request's order within a layer; a cycle is refused.
     */
    private static List<List<BatchItem>> dependenciesFirst(List<BatchItem> items) {
        Map<String, BatchItem> byRef = new LinkedHashMap<>();
        for (BatchItem item : items) {
            if (item.ref() != null && byRef.put(item.ref(), item) != null) {
                throw new InvalidDependency("two jobs of the batch have the ref '" + item.ref() + "'");
            }
        }
        List<List<BatchItem>> layers = new ArrayList<>();
        Set<BatchItem> placed = Collections.newSetFromMap(new IdentityHashMap<>());
        while (placed.size() < items.size()) {
            List<BatchItem> layer = items.stream().filter(item -> !placed.contains(item) && item.job().controls().dependsOn()
                    .stream().map(byRef::get).allMatch(ref -> ref == null || placed.contains(ref))).toList();
            if (layer.isEmpty()) {
                List<String> cycle = items.stream().filter(item -> !placed.contains(item)).map(BatchItem::ref).toList();
                throw new InvalidDependency("the jobs " + cycle + " of the batch depend on each other in a cycle, so none could run");
            }
            placed.addAll(layer);
            layers.add(layer);
        }
        return layers;
    }

    private static String uuidArray(Collection<UUID> uuids) {
        return uuids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    }

    /** A job that a create request names: {@code isNew} is false when its idempotency key had made it already. */
    public record Created(Job job, boolean isNew) {
    }

    public Optional<Job> find(UUID uuid) {
        return jdbc.query(FIND, new MapSqlParameterSource("uuid", uuid), rows).stream().findFirst();
    }

    public List<Job> list(JobQuery query) {
        String statuses = query.statuses().stream().map(JobStatus::wireName).collect(Collectors.joining(","));
        return jdbc.query(LIST, new MapSqlParameterSource()
                .addValue("jobType", query.jobType())
                .addValue("statuses", statuses)
                .addValue("s3Key", query.s3Key())
                .addValue("limit", query.limit()), rows);
    }

    /**
     * Takes claimable open jobs of {@code queue}, highest priority and then oldest first, and marks them
     * in_queue for this instance: first the partitions of imports up to its share of each, then other jobs, as many
     * as bring the jobs of the queue it holds in_queue up to {@code queueSize}.
     */
    public List<Job> claimOpen(String queue, int queueSize) {
        List<Job> claimed = new ArrayList<>();
        List<Job> partitions;
        do {
            partitions = claim(CLAIM_SPREAD, OPEN, IN_QUEUE, queueSize, queue);
            claimed.addAll(partitions);
        } while (!partitions.isEmpty() && claimed.size() < queueSize);
        claimed.addAll(claim(CLAIM_OPEN, OPEN, IN_QUEUE, queueSize, queue));
        return claimed.stream().sorted(CLAIM_ORDER).toList();
    }

    /**
     * Takes failed jobs whose {@code run_after} has passed and marks them retry_in_queued for this instance:
     * as many as bring the jobs it holds retry_in_queued up to {@code queueSize}.
     */
    public List<Job> claimDueRetries(int queueSize) {
        return claim(CLAIM_DUE_RETRIES, FAILED, RETRY_IN_QUEUED, queueSize, null);
    }

    /**
     * Marks a job this instance claimed as running (processing, or retrying for a retry) and counts the
     * attempt; empty when it is no longer ours to run, for example because it was cancelled meanwhile.
     */
    public Optional<Job> start(Job claimed) {
        queuedHere.remove(claimed.uuid());
        JobStatus running = claimed.status() == RETRY_IN_QUEUED ? JobStatus.RETRYING : JobStatus.PROCESSING;
        // the claim read the whole row: the start answers only what it wrote (reading the row again was an eighth of a worker's CPU)
        Optional<Job> started = guardedUpdate(START, claimed.uuid(), claimed.status(), running, new MapSqlParameterSource(),
                (rs, row) -> claimed.started(running, rs.getInt("attempts"), rs.getObject("started_at", OffsetDateTime.class),
                        rs.getObject("heartbeat_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class)));
        started.ifPresent(runs::started);
        return started;
    }

    /**
     * Records runs that ended well, in one statement; each outcome is fenced by its run: owner, status and
     * attempt, as the job was when it started. Answers the jobs it recorded: a job missing was changed
     * meanwhile (cancelled, timed out or taken back).
     */
    public Set<UUID> completeAll(List<Completed> completed) {
        ArrayNode rows = json.createArrayNode();
        for (Completed run : completed) {
            JobTransitions.require(run.job().status(), JobStatus.COMPLETED);
            rows.addObject()
                    .put("uuid", run.job().uuid().toString())
                    .put("from_status", run.job().status().wireName())
                    .put("attempts", run.job().attempts())
                    .set("response", run.response());
        }
        return new HashSet<>(jdbc.queryForList(COMPLETE_ALL, new MapSqlParameterSource()
                .addValue("completed", toJson(rows))
                .addValue("to", JobStatus.COMPLETED.wireName())
                .addValue("owner", owner), UUID.class));
    }

    /** The run's work is over here (its outcome is on its way): its heartbeat stops, whether or not the outcome gets written. */
    public void ended(Job running) {
        runs.ended(running);
    }

    /** A run that ended well, and the response it answers. */
    public record Completed(Job job, JsonNode response) {
    }

    /** Records a failure, fenced by the run (owner, status and attempt, as the job was when it started); {@code retryDelaySeconds} is null when the job has no retry left. */
    public Optional<Job> fail(Job running, JsonNode response, Long retryDelaySeconds) {
        runs.ended(running);
        return noteDue(guardedUpdate(FAIL, running.uuid(), running.status(), FAILED, new MapSqlParameterSource()
                .addValue("response", toJson(response))
                .addValue("retryDelaySeconds", retryDelaySeconds)
                .addValue("attempts", running.attempts())));
    }

    /**
     * Gives back a running job that this instance stops before it ends, for any instance to go on with: a
     * first run becomes open again, a retry failed and due at once; the attempt is not counted.
     */
    public Optional<Job> handBack(Job running, JsonNode response) {
        JobStatus to = running.status() == JobStatus.RETRYING ? FAILED : OPEN;
        runs.ended(running);
        return noteDue(guardedUpdate(HAND_BACK_RUNNING, running.uuid(), running.status(), to,
                new MapSqlParameterSource("response", toJson(response)).addValue("attempts", running.attempts())));
    }

    /** The jobs running on any instance, the longest running first, at most {@code limit}. */
    public List<Job> running(int limit) {
        return jdbc.query(RUNNING, new MapSqlParameterSource().addValue("running", JobStatus.RUNNING).addValue("limit", limit), rows);
    }

    /** The jobs this instance runs now. */
    public List<Job> runningHere() {
        return jdbc.query(RUNNING_HERE, new MapSqlParameterSource().addValue("owner", owner).addValue("running", JobStatus.RUNNING), rows);
    }

    /**
     * Writes the counts of a running job of this instance, and where it would resume ({@code checkpoint},
     * JSON, or null), and refreshes its heartbeat; false when this run ({@code attempt}) is no longer the
     * job's (cancelled, or taken over), so that its work should stop. A run that records progress is alive
     * while it does: once it has recorded none for a lease, its heartbeat stops.
     */
    public boolean recordProgress(UUID uuid, int attempt, long rowsRead, long rowsWritten, long rowsFailed,
                                  long bytesRead, Long bytesTotal, String checkpoint) {
        runs.progressed(uuid, attempt);
        return jdbc.update(PROGRESS, new MapSqlParameterSource()
                .addValue("checkpoint", checkpoint)
                .addValue("uuid", uuid)
                .addValue("attempts", attempt)
                .addValue("owner", owner)
                .addValue("running", JobStatus.RUNNING)
                .addValue("rowsRead", rowsRead)
                .addValue("rowsWritten", rowsWritten)
                .addValue("rowsFailed", rowsFailed)
                .addValue("bytesRead", bytesRead)
                .addValue("bytesTotal", bytesTotal)
                .addValue("sampleSeconds", sampleSeconds)) == 1;
    }

    /** How often at most a running job's progress is sampled for its report (JOB_SAMPLE_SECONDS; 0: at every write). */
    public void sampleEvery(double seconds) {
        this.sampleSeconds = seconds;
    }

    /** Whether this run of the job has recorded progress (so it stops by itself once the job is not its own). */
    public boolean recordsProgress(Job running) {
        return runs.hasProgressed(running.uuid(), running.attempts());
    }

    /**
     * Runs {@code work} in the thread of a run of job {@code uuid}, which waits for it (an import runs one of its
     * partitions): meanwhile the run stays alive without recording progress of its own.
     */
    public void whileWaiting(UUID uuid, Runnable work) {
        runs.waiting(uuid);
        try {
            work.run();
        } finally {
            runs.resumed(uuid);
        }
    }

    /** A run of this job waits on a service that is slow (a busy cluster), not stuck: it stays alive. */
    public void stillWorking(String jobUuid) {
        runs.stillWorking(UUID.fromString(jobUuid));
    }

    /**
     * Tells the table which runs of this instance are alive: those that record no progress, and those that
     * recorded some within {@code leaseSeconds}; a run whose worker is stuck is left for the reaper. Returns
     * how many were refreshed.
     */
    public int heartbeat(int leaseSeconds) {
        List<String> alive = runs.alive(Duration.ofSeconds(leaseSeconds));
        if (alive.isEmpty()) {
            return 0;
        }
        return jdbc.update(HEARTBEAT, new MapSqlParameterSource().addValue("owner", owner).addValue("running", JobStatus.RUNNING)
                .addValue("runs", String.join(",", alive)));
    }

    /**
     * Fails the running jobs of any instance whose heartbeat is older than {@code leaseSeconds}: their
     * instance died. While attempts are left they are due at once, for a retry runner to resume.
     */
    public List<Job> expireLeases(int leaseSeconds) {
        JobTransitions.require(JobStatus.PROCESSING, FAILED);
        JobTransitions.require(JobStatus.RETRYING, FAILED);
        List<Job> expired = jdbc.query(EXPIRE_LEASES, new MapSqlParameterSource()
                .addValue("to", FAILED.wireName())
                .addValue("running", JobStatus.RUNNING)
                .addValue("leaseSeconds", leaseSeconds), rows);
        expired.forEach(job -> noteDue(Optional.of(job)));
        return expired;
    }

    /**
     * Gives back the jobs queued (claimed, not started) by instances that sent no heartbeat for {@code leaseSeconds}:
     * killed with claimed jobs in memory, they would hold them for ever. So too this instance's own claims of a
     * lease ago that it does not hold: the claim committed, but its answer was lost with the connection.
     */
    public List<Job> requeueOrphans(int leaseSeconds) {
        JobTransitions.require(IN_QUEUE, OPEN);
        JobTransitions.require(RETRY_IN_QUEUED, FAILED);
        List<Job> requeued = jdbc.query(REQUEUE_ORPHANS, new MapSqlParameterSource()
                .addValue("inQueue", IN_QUEUE.wireName())
                .addValue("retryInQueued", RETRY_IN_QUEUED.wireName())
                .addValue("open", OPEN.wireName())
                .addValue("failed", FAILED.wireName())
                .addValue("owner", owner)
                .addValue("queuedHere", queuedHere.stream().map(UUID::toString).collect(Collectors.joining(",")))
                .addValue("leaseSeconds", leaseSeconds), rows);
        requeued.forEach(job -> noteDue(Optional.of(job)));
        return requeued;
    }

    /** Whether a failed job this instance knows of is due to run again now (no query: the wake-up asks each second). */
    public boolean retryDue() {
        return dueRetries.due();
    }

    /** Learns from the table when the next failed job is due, which may be one another instance failed. */
    public void refreshNextRetry() {
        dueRetries.refresh(() -> {
            OffsetDateTime next = jdbc.queryForObject(NEXT_RETRY_DUE,
                    new MapSqlParameterSource("failed", FAILED.wireName()), OffsetDateTime.class);
            return next == null ? null : next.toInstant();
        });
    }

    /** Cancels a job in any state that allows it; empty when there is no such job or it cannot be cancelled. */
    public Optional<Job> cancel(UUID uuid) {
        List<String> cancellable = JobTransitions.sourcesOf(CANCELLED).stream().map(JobStatus::wireName).toList();
        return jdbc.query(CANCEL, new MapSqlParameterSource()
                .addValue("uuid", uuid)
                .addValue("to", CANCELLED.wireName())
                .addValue("from", cancellable), rows).stream().findFirst();
    }

    /** Makes a failed job due for the retry runner now; empty when there is no such failed job. */
    public Optional<Job> retryNow(UUID uuid) {
        return noteDue(jdbc.query(RETRY_NOW, new MapSqlParameterSource()
                .addValue("uuid", uuid)
                .addValue("status", FAILED.wireName()), rows).stream().findFirst());
    }

    /**
     * Gives back the jobs this instance queued but never started, for any instance to claim: when it stops,
     * and when it starts (a process killed before it could stop left them behind).
     */
    public int handBackQueued() {
        int retries = transitionAllOwned(RETRY_IN_QUEUED, FAILED);
        if (retries > 0) {
            dueRetries.dueAt(Instant.now());
        }
        int handedBack = transitionAllOwned(IN_QUEUE, OPEN) + retries;
        queuedHere.clear();
        return handedBack;
    }

    private Optional<Job> noteDue(Optional<Job> job) {
        job.filter(failed -> failed.status() == FAILED && failed.runAfter() != null)
                .ifPresent(failed -> dueRetries.dueAt(failed.runAfter().toInstant()));
        return job;
    }

    /** From now on this instance claims nothing: it is stopping, and would only hand the jobs back. */
    public void stopClaiming() {
        claiming = false;
    }

    private List<Job> claim(String sql, JobStatus from, JobStatus to, int queueSize, String queue) {
        JobTransitions.require(from, to);
        if (!claiming) {
            return List.of();
        }
        long start = System.nanoTime();
        List<Job> claimed = jdbc.query(sql, new MapSqlParameterSource()
                .addValue("from", from.wireName())
                .addValue("to", to.wireName())
                .addValue("owner", owner)
                .addValue("queue", queue)
                .addValue("queueSize", queueSize)
                .addValue("leaseSeconds", leaseSeconds), rows);
        claimTimes.accept(from == OPEN ? "first_time" : "retry", Duration.ofNanos(System.nanoTime() - start));
        claimed.forEach(job -> queuedHere.add(job.uuid()));
        return claimed.stream().sorted(CLAIM_ORDER).toList();
    }

    /** The order in which claimed jobs are run: highest priority first, then oldest. */
    public static final Comparator<Job> CLAIM_ORDER = Comparator.comparing(Job::priority, Comparator.reverseOrder())
            .thenComparing(Job::createdAt).thenComparing(Job::id);

    /** The runs of this instance past their timeout_seconds. */
    public List<Job> overdueHere() {
        return jdbc.query(OVERDUE_HERE, new MapSqlParameterSource().addValue("owner", owner)
                .addValue("running", JobStatus.RUNNING), rows);
    }

    /** A notification said a failed job is due at {@code at}: the retry wake-up claims it then. */
    public void retryDueAt(Instant at) {
        dueRetries.dueAt(at);
    }

    private int transitionAllOwned(JobStatus from, JobStatus to) {
        JobTransitions.require(from, to);
        return jdbc.query(HAND_BACK, new MapSqlParameterSource()
                .addValue("from", from.wireName())
                .addValue("to", to.wireName())
                .addValue("owner", owner), rows).size();
    }

    private Optional<Job> guardedUpdate(String sql, UUID uuid, JobStatus from, JobStatus to,
                                        MapSqlParameterSource parameters) {
        return guardedUpdate(sql, uuid, from, to, parameters, rows);
    }

    /** The same, answering the job as {@code answer} reads it from the statement's RETURNING. */
    private Optional<Job> guardedUpdate(String sql, UUID uuid, JobStatus from, JobStatus to,
                                        MapSqlParameterSource parameters, RowMapper<Job> answer) {
        JobTransitions.require(from, to);
        parameters.addValue("uuid", uuid)
                .addValue("from", from.wireName())
                .addValue("to", to.wireName())
                .addValue("owner", owner);
        return jdbc.query(sql, parameters, answer).stream().findFirst();
    }

    private Job job(ResultSet rs, int rowNumber) throws SQLException {
        return new Job(
                rs.getLong("id"),
                rs.getObject("uuid", UUID.class),
                rs.getString("job_type"),
                readJson(rs.getString("data")),
                JobStatus.fromWireName(rs.getString("status")).orElseThrow(),
                readJson(rs.getString("job_response")),
                rs.getInt("retry_count"),
                rs.getInt("retry_interval"),
                rs.getObject("run_after", OffsetDateTime.class),
                rs.getInt("attempts"),
                rs.getString("idempotency_key"),
                rs.getString("claimed_by"),
                rs.getObject("heartbeat_at", OffsetDateTime.class),
                new Job.Progress(
                        rs.getLong("rows_read"),
                        rs.getLong("rows_written"),
                        rs.getLong("rows_failed"),
                        rs.getLong("bytes_read"),
                        rs.getObject("bytes_total", Long.class)),
                rs.getString("checkpoint") == null ? null : readJson(rs.getString("checkpoint")),
                rs.getObject("started_at", OffsetDateTime.class),
                rs.getObject("completed_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getInt("priority"),
                rs.getString("queue"),
                rs.getObject("timeout_seconds", Integer.class),
                uuids(rs.getArray("depends_on")),
                rs.getInt("waiting_on"),
                rs.getObject("batch_uuid", UUID.class));
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return List.of((UUID[]) array.getArray());
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the jobs table holds JSON that does not parse", e);
        }
    }

    private String toJson(JsonNode node) {
        return node.toString();
    }
}
