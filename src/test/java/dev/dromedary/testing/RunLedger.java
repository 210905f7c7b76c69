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

    public void enter(@Header("JobUuid") String uuid) {
        runs.computeIfAbsent(uuid, key -> new AtomicInteger()).incrementAndGet();
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
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
