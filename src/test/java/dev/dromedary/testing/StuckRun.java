package dev.dromedary.testing;

import dev.dromedary.jobs.JobExecution;
import dev.dromedary.jobs.JobStore;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;

/**
 * The worker of a {@code test_stuck_first_attempt} job: its first attempt records progress once, as an import
 * does after its first batch, then hangs until the test releases it, and then tries to record progress again;
 * a later attempt runs until the test lets it end.
 */
public final class StuckRun {

    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch laterReleased = new CountDownLatch(1);
    /** Whether the write after the hang was taken; null until it was tried. */
    public final AtomicReference<Boolean> lateWriteTaken = new AtomicReference<>();

    public void progressThenHang(Exchange exchange) throws InterruptedException {
        JobStore jobs = exchange.getContext().getRegistry().lookupByNameAndType("jobStore", JobStore.class);
        UUID job = UUID.fromString(exchange.getMessage().getHeader(JobExecution.JOB_UUID, String.class));
        int attempt = exchange.getMessage().getHeader(JobExecution.JOB_ATTEMPT, Integer.class);
        jobs.recordProgress(job, attempt, 10, 10, 0, 100, 1000L, null);
        if (!released.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the test never released job " + job);
        }
        lateWriteTaken.set(jobs.recordProgress(job, attempt, 999, 999, 0, 1000, 1000L, null));
    }

    /** A later attempt runs until the test lets it end: meanwhile the hung first attempt tries to write. */
    public void holdLaterAttempt() throws InterruptedException {
        if (!laterReleased.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the test never released the later attempt");
        }
    }

    public void release() {
        released.countDown();
    }

    public void releaseLaterAttempt() {
        laterReleased.countDown();
    }
}
