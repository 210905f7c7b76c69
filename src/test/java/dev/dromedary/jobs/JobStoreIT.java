package dev.dromedary.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.db.Database;
import dev.dromedary.db.DatabaseUrl;
import dev.dromedary.embedded.EmbeddedPostgresServer;
import dev.dromedary.testing.RealServices;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every status write is checked against the table and guarded by the expected status and owner. */
@ExtendWith(RealServices.class)
class JobStoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RealServices.TestDatabase database;
    private Database pool;
    private JobStore mine;
    private JobStore theirs;

    /** Two stores on a database of the test's own: what one claims is only what the test made. */
    @BeforeEach
    void openTwoStores() throws Exception {
        database = RealServices.freshDatabase();
        pool = Database.open(new DatabaseUrl(database.jdbcUrl(), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD), 4);
        mine = new JobStore(pool.dataSource(), JSON, "mine");
        theirs = new JobStore(pool.dataSource(), JSON, "theirs");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void anIllegalChangeIsRefusedAndNotWritten() throws Exception {
        Job open = mine.create(newJob()).job();

        assertThatThrownBy(() -> mine.completeAll(List.of(new JobStore.Completed(open, JSON.createObjectNode().put("messages", "done")))))
                .isInstanceOf(IllegalJobTransition.class)
                .hasMessage("a job cannot go from open to completed");

        Job unchanged = mine.find(open.uuid()).orElseThrow();
        assertThat(unchanged.status()).isEqualTo(JobStatus.OPEN);
        assertThat(unchanged.jobResponse().isEmpty()).isTrue();
        assertThat(unchanged.updatedAt()).isEqualTo(open.updatedAt());
    }

    @Test
    void anotherInstanceCannotStartAJobThatIsNotItsOwn() throws Exception {
        Job created = mine.create(newJob()).job();
        Job claimed = claimOne(mine, created);

        assertThat(theirs.start(claimed)).isEmpty();

        Job stillQueued = mine.find(created.uuid()).orElseThrow();
        assertThat(stillQueued.status()).isEqualTo(JobStatus.IN_QUEUE);
        assertThat(stillQueued.claimedBy()).isEqualTo("mine");
        assertThat(stillQueued.attempts()).isZero();
        assertThat(mine.start(claimed)).get().extracting(Job::status).isEqualTo(JobStatus.PROCESSING);
    }

    @Test
    void aStaleWorkerCannotOverwriteACancellation() throws Exception {
        Job created = mine.create(newJob()).job();
        Job running = mine.start(claimOne(mine, created)).orElseThrow();
        assertThat(mine.cancel(created.uuid())).isPresent();

        assertThat(mine.completeAll(List.of(new JobStore.Completed(running, JSON.createObjectNode().put("messages", "done"))))).isEmpty();
        assertThat(mine.fail(running, JSON.createObjectNode(), 30L)).isEmpty();

        Job cancelled = mine.find(created.uuid()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.jobResponse().has("messages")).isFalse();
    }

    @Test
    void runsThatEndedTogetherAreWrittenInOneStatementEachFencedByItsRun() throws Exception {
        Job first = mine.start(claimOne(mine, mine.create(newJob()).job())).orElseThrow();
        Job second = mine.start(claimOne(mine, mine.create(newJob()).job())).orElseThrow();
        Job cancelled = mine.start(claimOne(mine, mine.create(newJob()).job())).orElseThrow();
        assertThat(mine.cancel(cancelled.uuid())).isPresent();

        Set<UUID> recorded = mine.completeAll(List.of(
                new JobStore.Completed(first, JSON.createObjectNode().put("messages", "first done")),
                new JobStore.Completed(second, JSON.createObjectNode().put("messages", "second done")),
                new JobStore.Completed(cancelled, JSON.createObjectNode().put("messages", "too late"))));

        assertThat(recorded).containsExactlyInAnyOrder(first.uuid(), second.uuid());
        Job firstNow = mine.find(first.uuid()).orElseThrow();
        assertThat(firstNow.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(firstNow.completedAt()).isNotNull();
        assertThat(firstNow.jobResponse().path("messages").asText()).isEqualTo("first done");
        assertThat(mine.find(second.uuid()).orElseThrow().jobResponse().path("messages").asText()).isEqualTo("second done");
        Job stillCancelled = mine.find(cancelled.uuid()).orElseThrow();
        assertThat(stillCancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(stillCancelled.jobResponse().has("messages")).isFalse();
    }

    @Test
    void queuedJobsAreHandedBackForAnyInstance() throws Exception {
        Job created = mine.create(newJob()).job();
        claimOne(mine, created);

        assertThat(mine.handBackQueued()).isEqualTo(1);

        Job handedBack = mine.find(created.uuid()).orElseThrow();
        assertThat(handedBack.status()).isEqualTo(JobStatus.OPEN);
        assertThat(handedBack.claimedBy()).isNull();
        assertThat(claimOne(theirs, created).claimedBy()).isEqualTo("theirs");
    }

    @Test
    void aClaimWhoseAnswerWasLostGoesBackALeaseLaterAndAClaimHeldInMemoryStays() throws Exception {
        database.update("INSERT INTO instances (id, heartbeat_at) VALUES ('mine', now())");
        Job held = mine.create(newJob()).job();
        claimOne(mine, held);
        Job lost = mine.create(newJob()).job();
        // the claim committed, and the connection broke before its answer came: the table says mine, the store knows nothing
        database.update("UPDATE jobs SET status = 'in_queue', claimed_by = 'mine', claimed_at = now() WHERE uuid = ?", lost.uuid());

        assertThat(mine.requeueOrphans(60)).as("claimed less than a lease ago").isEmpty();
        database.update("UPDATE jobs SET claimed_at = now() - interval '2 minutes' WHERE status = 'in_queue'");

        assertThat(theirs.requeueOrphans(60)).as("another instance cannot tell a lost answer from a long queue").isEmpty();
        assertThat(mine.requeueOrphans(60)).extracting(Job::uuid).containsExactly(lost.uuid());
        Job requeued = mine.find(lost.uuid()).orElseThrow();
        assertThat(requeued.status()).isEqualTo(JobStatus.OPEN);
        assertThat(requeued.claimedBy()).isNull();
        assertThat(mine.find(held.uuid()).orElseThrow().status()).isEqualTo(JobStatus.IN_QUEUE);
    }

    @Test
    void aRestartedInstanceOfTheSameIdHandsBackWhatItsKilledRunQueuedAndRetriesGoBackFailedAndDue() throws Exception {
        Job first = mine.create(newJob()).job();
        claimOne(mine, first);
        Job retried = mine.create(new NewJob("noop", JSON.createObjectNode(), 1, 30, null)).job();
        Job running = mine.start(claimOne(mine, retried)).orElseThrow();
        mine.fail(running, JSON.createObjectNode().put("messages", "failed"), 0L);
        assertThat(mine.claimDueRetries(10)).extracting(Job::uuid).containsExactly(retried.uuid());

        // the same INSTANCE_ID after a kill: a new store, as a new process makes at start
        JobStore restarted = new JobStore(pool.dataSource(), JSON, "mine");
        assertThat(restarted.handBackQueued()).isEqualTo(2);

        assertThat(restarted.find(first.uuid()).orElseThrow().status()).isEqualTo(JobStatus.OPEN);
        Job failedAgain = restarted.find(retried.uuid()).orElseThrow();
        assertThat(failedAgain.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failedAgain.attempts()).isEqualTo(1);
        assertThat(restarted.retryDue()).as("the handed-back retry is due at once").isTrue();
        assertThat(theirs.claimDueRetries(10)).extracting(Job::uuid).containsExactly(retried.uuid());
    }

    @Test
    void lostRunsAreResumedWhileAttemptsAreAtMostRetriesPlusOneAndThenTheJobFails() throws Exception {
        Job created = mine.create(new NewJob("noop", JSON.createObjectNode(), 0, 30, null)).job();
        mine.start(claimOne(mine, created)).orElseThrow();
        makeHeartbeatStale(created);

        assertThat(theirs.expireLeases(60)).extracting(Job::uuid).containsExactly(created.uuid());
        Job lostOnce = theirs.find(created.uuid()).orElseThrow();
        assertThat(lostOnce.status()).isEqualTo(JobStatus.FAILED);
        assertThat(lostOnce.runAfter()).as("due at once: a crash is rarely the job's fault").isNotNull();
        assertThat(lostOnce.jobResponse().get("messages").asText()).isEqualTo("Job put back to be resumed by any instance");

        Job resumed = theirs.start(theirs.claimDueRetries(10).get(0)).orElseThrow();
        assertThat(resumed.attempts()).isEqualTo(2);
        makeHeartbeatStale(created);
        assertThat(mine.expireLeases(60)).hasSize(1);

        Job lostTwice = mine.find(created.uuid()).orElseThrow();
        assertThat(lostTwice.status()).isEqualTo(JobStatus.FAILED);
        assertThat(lostTwice.runAfter()).as("no attempt is left").isNull();
        assertThat(lostTwice.jobResponse().get("messages").asText())
                .isEqualTo("Job failed: its instance stopped, and no retries are left");
        assertThat(mine.claimDueRetries(10)).isEmpty();
    }

    @Test
    void aFailureWithARetryLeftIsDueAtItsRunAfterAndTheNextDueTimeIsReadFromTheTable() throws Exception {
        Job created = mine.create(new NewJob("noop", JSON.createObjectNode(), 1, 30, null)).job();
        Job running = mine.start(claimOne(mine, created)).orElseThrow();
        mine.fail(running, JSON.createObjectNode().put("messages", "failed"), 1L);

        assertThat(mine.retryDue()).isFalse();
        assertThat(theirs.retryDue()).as("another instance learns of it from the table only").isFalse();
        theirs.refreshNextRetry();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> mine.retryDue() && theirs.retryDue());
        assertThat(theirs.claimDueRetries(10)).extracting(Job::uuid).containsExactly(created.uuid());
        theirs.refreshNextRetry();
        assertThat(theirs.retryDue()).as("nothing else is due").isFalse();
    }

    private void makeHeartbeatStale(Job job) throws Exception {
        database.update("UPDATE jobs SET heartbeat_at = now() - interval '10 minutes' WHERE uuid = ?", job.uuid());
    }

    /** Claims the one open job, {@code wanted}, for {@code store}. */
    private static Job claimOne(JobStore store, Job wanted) {
        List<Job> claimed = store.claimOpen("default", 1000);
        assertThat(claimed).extracting(Job::uuid).containsExactly(wanted.uuid());
        assertThat(claimed.get(0).status()).isEqualTo(JobStatus.IN_QUEUE);
        return claimed.get(0);
    }

    private static NewJob newJob() {
        ObjectNode data = JSON.createObjectNode().put("purpose", "guard test");
        return new NewJob("noop", data, 0, 30, null);
    }
}
