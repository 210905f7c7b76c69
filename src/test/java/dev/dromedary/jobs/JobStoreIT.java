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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every status write is checked against the table and guarded by the expected status and owner. */
@ExtendWith(RealServices.class)
class JobStoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RealServices.TestDatabase database;
    private static Database pool;
    private static JobStore mine;
    private static JobStore theirs;

    @BeforeAll
    static void openTwoStores() throws Exception {
        database = RealServices.freshDatabase();
        pool = Database.open(new DatabaseUrl(database.jdbcUrl(), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD), 4);
        mine = new JobStore(pool.dataSource(), JSON, "mine");
        theirs = new JobStore(pool.dataSource(), JSON, "theirs");
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Test
    void anIllegalChangeIsRefusedAndNotWritten() throws Exception {
        Job open = mine.create(newJob()).job();

        assertThatThrownBy(() -> mine.complete(open, JSON.createObjectNode().put("messages", "done")))
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

        assertThat(mine.complete(running, JSON.createObjectNode().put("messages", "done"))).isEmpty();
        assertThat(mine.fail(running, JSON.createObjectNode(), 30L)).isEmpty();

        Job cancelled = mine.find(created.uuid()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.jobResponse().has("messages")).isFalse();
    }

    @Test
    void queuedJobsAreHandedBackForAnyInstance() throws Exception {
        Job created = mine.create(newJob()).job();
        claimOne(mine, created);

        assertThat(mine.handBackQueued()).isGreaterThanOrEqualTo(1);

        Job handedBack = mine.find(created.uuid()).orElseThrow();
        assertThat(handedBack.status()).isEqualTo(JobStatus.OPEN);
        assertThat(handedBack.claimedBy()).isNull();
        assertThat(claimOne(theirs, created).claimedBy()).isEqualTo("theirs");
    }

    /** Claims the open jobs for {@code store} and returns the given one of them. */
    private static Job claimOne(JobStore store, Job wanted) {
        List<Job> claimed = store.claimOpen(1000);
        Job job = claimed.stream().filter(j -> j.uuid().equals(wanted.uuid())).findFirst()
                .orElseThrow(() -> new AssertionError("job " + wanted.uuid() + " was not claimed"));
        assertThat(job.status()).isEqualTo(JobStatus.IN_QUEUE);
        return job;
    }

    private static NewJob newJob() {
        ObjectNode data = JSON.createObjectNode().put("purpose", "guard test");
        return new NewJob("noop", data, 0, 30, null);
    }
}
