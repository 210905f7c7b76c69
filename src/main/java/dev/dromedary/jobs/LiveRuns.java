package dev.dromedary.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs of jobs this instance has started and not yet ended, and when each last recorded progress: the
 * heartbeat is per run, so that a run whose worker is stuck loses its lease while its instance lives.
 */
final class LiveRuns {

    /** When a run last recorded progress (System.nanoTime), or {@link #NEVER}. */
    private final Map<String, Long> lastProgress = new ConcurrentHashMap<>();
    private static final long NEVER = Long.MIN_VALUE;
    /** Jobs whose runs here wait on work done in their own thread (an import running one of its partitions). */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    void started(Job job) {
        lastProgress.put(run(job.uuid(), job.attempts()), NEVER);
    }

    void progressed(UUID uuid, int attempt) {
        lastProgress.replace(run(uuid, attempt), System.nanoTime());
    }

    /** Every run of the job here counts as having progressed now (only the current one can still write). */
    void stillWorking(UUID uuid) {
        String prefix = uuid + "/";
        long now = System.nanoTime();
        lastProgress.replaceAll((run, at) -> run.startsWith(prefix) && at != NEVER ? now : at);
    }

    /** The job's runs here wait on work done in their own thread: until {@link #resumed}, they are alive whatever they record. */
    void waiting(UUID uuid) {
        waiting.add(uuid.toString());
    }

    /** The job's runs here go on after {@link #waiting}: as having progressed now. */
    void resumed(UUID uuid) {
        waiting.remove(uuid.toString());
        stillWorking(uuid);
    }

    boolean hasProgressed(UUID uuid, int attempt) {
        Long at = lastProgress.get(run(uuid, attempt));
        return at != null && at != NEVER;
    }

    void ended(Job job) {
        lastProgress.remove(run(job.uuid(), job.attempts()));
    }

    /** The runs (uuid/attempt) to keep alive: those that never record progress, and those that did lately. */
    List<String> alive(Duration lease) {
        long now = System.nanoTime();
        List<String> alive = new ArrayList<>();
        lastProgress.forEach((run, at) -> {
            if (at == NEVER || now - at < lease.toNanos() || waiting.contains(run.substring(0, run.indexOf('/')))) {
                alive.add(run);
            }
        });
        return alive;
    }

    private static String run(UUID uuid, int attempt) {
        return uuid + "/" + attempt;
    }
}
