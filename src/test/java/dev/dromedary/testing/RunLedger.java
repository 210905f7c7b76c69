package dev.dromedary.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Header;

/** Counts the runs of {@code test_counted} jobs in one instance: how often each job ran, and how many at once. */
public final class RunLedger {

    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final long extraWorkMillis;

    public RunLedger() {
        this(0);
    }

    /** A ledger whose instance works {@code extraWorkMillis} longer on each job than the job asks: a slower machine. */
    public RunLedger(long extraWorkMillis) {
        this.extraWorkMillis = extraWorkMillis;
    }

    public void enter(@Header("JobUuid") String uuid) throws InterruptedException {
        runs.computeIfAbsent(uuid, key -> new AtomicInteger()).incrementAndGet();
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        if (extraWorkMillis > 0) {
            Thread.sleep(extraWorkMillis);
        }
    }

    public void exit() {
        running.decrementAndGet();
    }

    public int runsOf(String uuid) {
        AtomicInteger count = runs.get(uuid);
        return count == null ? 0 : count.get();
    }

    public int jobsRun() {
        return runs.size();
    }

    public int mostAtOnce() {
        return mostAtOnce.get();
    }
}
