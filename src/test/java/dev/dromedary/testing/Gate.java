package dev.dromedary.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Header;

/** Holds the jobs of the {@code test_gated} type in their route until the test opens it. */
public final class Gate {

    private final CountDownLatch open = new CountDownLatch(1);

    public void pass(@Header("JobUuid") String uuid) throws InterruptedException {
        if (!open.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the test never opened the gate for job " + uuid);
        }
    }

    public void open() {
        open.countDown();
    }
}
