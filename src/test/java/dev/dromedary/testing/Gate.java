package dev.dromedary.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Header;

/** Holds the jobs of the {@code test_gated} type (or a step a test weaves it into) until the test opens it. */
public final class Gate {

    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);

    public void pass(@Header("JobUuid") String uuid) throws InterruptedException {
        reached.countDown();
        if (!open.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the test never opened the gate for job " + uuid);
        }
    }

    /** Waits until a job has come to the gate. */
    public void awaitReached() throws InterruptedException {
        if (!reached.await(2, TimeUnit.MINUTES)) {
            throw new AssertionError("no job came to the gate within two minutes");
        }
    }

    public void open() {
        open.countDown();
    }
}
