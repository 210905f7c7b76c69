package dev.dromedary.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.Gate;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orchestration a job's create body asks for, on the real services: jobs start in priority order, within their
 * timeout, in their queue, after their dependencies, and in batches (how soon they start: {@link PickupIT}).
 */
@ExtendWith(RealServices.class)
class OrchestrationIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void claimedJobsRunHighestPriorityFirstThenOldest() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Gate gate = new Gate();
        try (RunningDromedary dromedary = instance("priorities", database).bind("gate", gate)
                .with("PARALLEL_JOBS", 1).start()) {
            JobsApi api = dromedary.api();
            String blocker = api.createJob("test_gated", "{}");
            gate.awaitReached();
            int[] priorities = {0, 5, -3, 10, 5, 0};
            List<String> uuids = new ArrayList<>();
            for (int priority : priorities) {
                uuids.add(created(api.create("{\"job_type\":\"test_succeed\",\"job_data\":{},\"priority\":" + priority + "}")));
            }
            await().atMost(WAIT).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'in_queue'") == 6);
            gate.open();
            await().atMost(WAIT).until(() -> database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") == 7);

            List<String> started = database.queryStrings(
                    "SELECT uuid::text FROM jobs WHERE uuid <> CAST(? AS uuid) ORDER BY started_at", blocker);
            assertThat(started).containsExactly(uuids.get(3), uuids.get(1), uuids.get(4), uuids.get(0), uuids.get(5), uuids.get(2));
            assertThat(api.job(uuids.get(3)).get("priority").asInt()).isEqualTo(10);
        }
    }

    @Test
    void aRunPastItsTimeoutFailsWithErrJobTimeoutAndIsRetried() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = instance("timeouts", database)
                .with("JOB_TIMEOUT_SECONDS_TEST_COUNTED", 600).start()) {
            JobsApi api = dromedary.api();
            String uuid = created(api.create("{\"job_type\":\"test_slow_first_attempt\",\"job_data\":{\"slow_ms\":60000},"
                    + "\"timeout_seconds\":1,\"retry_count\":1,\"retry_interval\":0}"));
            await().atMost(WAIT).until(() -> api.status(uuid).equals("completed"));

            JsonNode job = api.job(uuid);
            assertThat(job.get("attempts").asInt()).isEqualTo(2);
            assertThat(job.get("timeout_seconds").asInt()).isEqualTo(1);
            assertThat(database.queryStrings("SELECT reason FROM job_transitions WHERE job_uuid = CAST(? AS uuid) "
                    + "AND to_status = 'failed'", uuid)).singleElement().asString()
                    .startsWith("ERR_JOB_TIMEOUT: the job ran longer than its timeout_seconds (1 s)");
            assertThat(database.queryLong("SELECT extract(epoch FROM completed_at - created_at)::bigint FROM jobs "
                    + "WHERE uuid = CAST(? AS uuid)", uuid)).as("seconds to complete").isLessThan(30);

            String defaulted = api.createJob("test_counted", "{\"work_ms\": 0}");
            assertThat(api.job(defaulted).get("timeout_seconds").asInt()).as("JOB_TIMEOUT_SECONDS_TEST_COUNTED").isEqualTo(600);
        }
    }

    @Test
    void aBusyBulkQueueNeverHoldsUpTheFastQueue() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Gate gate = new Gate();
        try (RunningDromedary dromedary = instance("queues", database).bind("gate", gate)
                .with("QUEUES", "bulk:1,fast:8").start()) {
            JobsApi api = dromedary.api();
            String longBulk = created(api.create("{\"job_type\":\"test_gated\",\"job_data\":{},\"queue\":\"bulk\"}"));
            String nextBulk = created(api.create("{\"job_type\":\"test_succeed\",\"job_data\":{},\"queue\":\"bulk\"}"));
            gate.awaitReached();
            for (int i = 0; i < 50; i++) {
                created(api.create("{\"job_type\":\"test_counted\",\"job_data\":{\"work_ms\":10},\"queue\":\"fast\"}"));
            }
            await().atMost(WAIT).until(() -> database.queryLong(
                    "SELECT count(*) FROM jobs WHERE queue = 'fast' AND status = 'completed'") == 50);
            assertThat(api.status(longBulk)).isEqualTo("processing");
            assertThat(api.status(nextBulk)).as("the bulk queue's one worker is busy").isIn("open", "in_queue");

            gate.open();
            await().atMost(WAIT).until(() -> api.status(nextBulk).equals("completed"));
            assertThat(api.create("{\"job_type\":\"test_succeed\",\"job_data\":{},\"queue\":\"slow\"}").error())
                    .startsWith("ERR_UNKNOWN_QUEUE: 'slow' is not a queue; the queues (QUEUES) are default, bulk, fast");
        }
    }

    @Test
    void aDependencyChainRunsInOrderAndAJobWhoseDependencyFailsForGoodIsCancelled() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = instance("dependencies", database).start()) {
            JobsApi api = dromedary.api();
            JobsApi.Response chain = api.post("/common/jobs/batch", """
                    {"jobs": [
                      {"ref": "d", "job_type": "test_counted", "job_data": {"work_ms": 10}, "depends_on": ["b", "c"]},
                      {"ref": "b", "job_type": "test_counted", "job_data": {"work_ms": 300}, "depends_on": ["a"]},
                      {"ref": "c", "job_type": "test_counted", "job_data": {"work_ms": 100}, "depends_on": ["a"]},
                      {"ref": "a", "job_type": "test_counted", "job_data": {"work_ms": 200}}
                    ]}""");
            assertThat(chain.status()).as(chain.body().toString()).isEqualTo(201);
            List<String> uuids = new ArrayList<>();
            chain.body().get("uuids").forEach(uuid -> uuids.add(uuid.asText()));
            String d = uuids.get(0);
            String b = uuids.get(1);
            String c = uuids.get(2);
            String a = uuids.get(3);
            await().atMost(WAIT).until(() -> api.status(d).equals("completed"));
            assertThat(startedAfterCompletionOf(database, b, a)).isTrue();
            assertThat(startedAfterCompletionOf(database, c, a)).isTrue();
            assertThat(startedAfterCompletionOf(database, d, b)).isTrue();
            assertThat(startedAfterCompletionOf(database, d, c)).isTrue();
            assertThat(api.job(d).get("depends_on")).hasSize(2);

            JobsApi.Response failingChain = api.post("/common/jobs/batch", """
                    {"jobs": [
                      {"ref": "first", "job_type": "test_counted", "job_data": {"work_ms": 100}},
                      {"ref": "failing", "job_type": "test_fail", "job_data": {}, "depends_on": ["first"]},
                      {"ref": "sibling", "job_type": "test_counted", "job_data": {"work_ms": 10}, "depends_on": ["first"]},
                      {"ref": "last", "job_type": "test_succeed", "job_data": {}, "depends_on": ["failing", "sibling"]},
                      {"job_type": "test_succeed", "job_data": {}, "depends_on": ["last"]}
                    ]}""");
            assertThat(failingChain.status()).as(failingChain.body().toString()).isEqualTo(201);
            String failing = failingChain.body().get("uuids").get(1).asText();
            String sibling = failingChain.body().get("uuids").get(2).asText();
            String last = failingChain.body().get("uuids").get(3).asText();
            String afterLast = failingChain.body().get("uuids").get(4).asText();
            await().atMost(WAIT).until(() -> api.status(afterLast).equals("cancelled"));
            // the cancellations follow the failure at once; the sibling may still be finishing its own run
            await().atMost(WAIT).until(() -> !List.of("open", "in_queue", "processing").contains(api.status(sibling)));
            assertThat(api.status(sibling)).isEqualTo("completed");
            assertThat(api.status(last)).isEqualTo("cancelled");
            assertThat(api.job(last).get("job_response").get("messages").asText())
                    .isEqualTo("Cancelled: it depends on job " + failing + " (test_fail), which failed with no retries left");
            assertThat(api.job(last).get("attempts").asInt()).isZero();

            assertThat(api.create("{\"job_type\":\"test_succeed\",\"job_data\":{},\"depends_on\":[\"" + last + "\"]}").error())
                    .isEqualTo("ERR_INVALID_DEPENDENCY: job " + last + " (test_succeed) is cancelled, so a job that depends on it could never run");
            String unknown = UUID.randomUUID().toString();
            assertThat(api.create("{\"job_type\":\"test_succeed\",\"job_data\":{},\"depends_on\":[\"" + unknown + "\"]}").error())
                    .isEqualTo("ERR_INVALID_DEPENDENCY: no job or batch has the uuid " + unknown);
            long before = database.queryLong("SELECT count(*) FROM jobs");
            JobsApi.Response cycle = api.post("/common/jobs/batch", """
                    {"jobs": [
                      {"ref": "x", "job_type": "test_succeed", "job_data": {}, "depends_on": ["y"]},
                      {"ref": "y", "job_type": "test_succeed", "job_data": {}, "depends_on": ["x"]},
                      {"ref": "z", "job_type": "test_succeed", "job_data": {}}
                    ]}""");
            assertThat(cycle.status()).isEqualTo(400);
            assertThat(cycle.error()).isEqualTo("ERR_INVALID_DEPENDENCY: the jobs [x, y] of the batch depend on each other in a cycle, so none could run");
            assertThat(database.queryLong("SELECT count(*) FROM jobs")).as("jobs after a refused batch").isEqualTo(before);
        }
    }

    @Test
    void aBatchOf200JobsIsCreatedAtOnceAndCountedByStatus() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = instance("batches", database).start()) {
            JobsApi api = dromedary.api();
            StringBuilder body = new StringBuilder("{\"jobs\": [");
            for (int i = 0; i < 200; i++) {
                body.append(i == 0 ? "" : ",").append("{\"job_type\":\"test_counted\",\"job_data\":{\"work_ms\":5,\"n\":").append(i).append("}}");
            }
            JobsApi.Response created = api.post("/common/jobs/batch", body.append("]}").toString());
            assertThat(created.status()).isEqualTo(201);
            String batch = created.body().get("batch_uuid").asText();
            assertThat(created.body().get("uuids")).hasSize(200);

            await().atMost(WAIT).until(() -> batchView(api, batch).get("state").asText().equals("completed"));
            JsonNode view = batchView(api, batch);
            assertThat(view.get("jobs").asInt()).isEqualTo(200);
            assertThat(view.get("by_status").get("completed").asInt()).isEqualTo(200);
            assertThat(view.get("by_status").get("failed").asInt()).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE batch_uuid = CAST(? AS uuid) AND status = 'completed'", batch))
                    .isEqualTo(200);

            String afterBatch = created(api.create("{\"job_type\":\"test_succeed\",\"job_data\":{},\"depends_on\":[\"" + batch + "\"]}"));
            await().atMost(WAIT).until(() -> api.status(afterBatch).equals("completed"));
            assertThat(api.job(afterBatch).get("depends_on")).hasSize(200);

            JobsApi.Response failing = api.post("/common/jobs/batch", """
                    {"jobs": [{"job_type": "test_fail", "job_data": {}}, {"job_type": "test_succeed", "job_data": {}}]}""");
            String failingBatch = failing.body().get("batch_uuid").asText();
            await().atMost(WAIT).until(() -> batchView(api, failingBatch).get("state").asText().equals("failed"));
            assertThat(api.send(api.request("/common/batches/" + UUID.randomUUID()).GET()).status()).isEqualTo(404);
            JobsApi.Response keyed = api.post("/common/jobs/batch",
                    "{\"jobs\": [{\"job_type\": \"test_succeed\", \"job_data\": {}, \"idempotency_key\": \"k\"}]}");
            assertThat(keyed.error()).startsWith("ERR_UNKNOWN_FIELD: jobs[0]: 'idempotency_key' is not a field of a batch's job");
        }
    }

    @Test
    void anInstanceWithMaxJobsStopsAfterThatManyJobs() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        RunningDromedary dromedary = instance("max-jobs", database).with("MAX_JOBS", 5).with("PARALLEL_JOBS", 1).start();
        try (RunningDromedary stopping = dromedary) {
            for (int i = 0; i < 8; i++) {
                stopping.api().createJob("test_counted", "{\"work_ms\": 50}");
            }
            await().atMost(WAIT).until(() -> stopping.context().isStopped());
        }
        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'")).isEqualTo(5);
        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE status = 'open' AND claimed_by IS NULL"))
                .as("jobs handed back, for another instance").isEqualTo(3);
    }

    private static boolean startedAfterCompletionOf(RealServices.TestDatabase database, String later, String earlier) throws Exception {
        return database.queryLong("SELECT count(*) FROM jobs l, jobs e WHERE l.uuid = CAST(? AS uuid) AND e.uuid = CAST(? AS uuid) "
                + "AND l.started_at >= e.completed_at", later, earlier) == 1;
    }

    private static JsonNode batchView(JobsApi api, String batch) {
        JobsApi.Response response = api.send(api.request("/common/batches/" + batch).GET());
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response.body().get("data");
    }

    private static String created(JobsApi.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(201);
        return response.body().get("uuid").asText();
    }

    /** An instance whose runners poll every five minutes, as shipped: only the announcements can start jobs soon. */
    private static RunningDromedary.Builder instance(String name, RealServices.TestDatabase database) {
        return RunningDromedary.named(name, database)
                .with("TICKER_INTERVAL_SECONDS", "")
                .with("TICKER_INTERVAL_MINUTES", 5)
                .with("INBOX_ENABLED", false);
    }
}
