package dev.dromedary.jobs;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The named queues of {@code QUEUES} ({@code default:4,bulk:1,fast:8}: each its own workers), and which of
 * them this instance runs ({@code RUN_QUEUES}, empty for all; {@code ./dromedary jobs first_time --queue fast}).
 */
public final class JobQueues {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    private final Map<String, Integer> workers;
    private final List<String> runHere;
    private final int queueSize;
    private final Map<String, BlockingQueue<Exchange>> claimed = new ConcurrentHashMap<>();

    private JobQueues(Map<String, Integer> workers, List<String> runHere, int queueSize) {
        this.workers = workers;
        this.runHere = runHere;
        this.queueSize = queueSize;
        for (String queue : runHere) {
            // claimed jobs wait in priority order, so that a job claimed later may still run first
            claimed.put(queue, new PriorityBlockingQueue<>(64,
                    Comparator.comparing(exchange -> exchange.getMessage().getBody(Job.class), JobStore.CLAIM_ORDER)));
        }
    }

    /**
     * {@code queues} as QUEUES spells them; the default queue has {@code parallelJobs} workers unless QUEUES
     * names it; {@code runHere} empty runs every queue.
     */
    public static JobQueues of(List<String> queues, int parallelJobs, List<String> runHere, int queueSize) {
        Map<String, Integer> workers = new LinkedHashMap<>();
        workers.put(JobControls.DEFAULT_QUEUE, parallelJobs);
        for (String queue : queues) {
            String[] parts = queue.split(":", -1);
            if (parts.length != 2 || !NAME.matcher(parts[0].trim()).matches()) {
                throw new IllegalArgumentException("the setting QUEUES lists name:workers pairs such as "
                        + "default:4,bulk:1,fast:8 (names of lower-case letters, digits, - and _), not '" + queue + "'");
            }
            int count;
            try {
                count = Integer.parseInt(parts[1].trim());
            } catch (NumberFormatException e) {
                count = 0;
            }
            if (count < 1 || count > 256) {
                throw new IllegalArgumentException("the setting QUEUES gives queue " + parts[0].trim()
                        + " 1 to 256 workers, not '" + parts[1].trim() + "'");
            }
            workers.put(parts[0].trim(), count);
        }
        for (String queue : runHere) {
            if (!workers.containsKey(queue)) {
                throw new IllegalArgumentException("RUN_QUEUES (--queue) names the queue '" + queue
                        + "', which QUEUES does not define; the queues are " + String.join(", ", workers.keySet()));
            }
        }
        return new JobQueues(workers, runHere.isEmpty() ? List.copyOf(workers.keySet()) : List.copyOf(runHere), queueSize);
    }

    public List<String> names() {
        return List.copyOf(workers.keySet());
    }

    public boolean exists(String queue) {
        return workers.containsKey(queue);
    }

    /** The queues whose jobs this instance runs. */
    public List<String> runHere() {
        return runHere;
    }

    public boolean runsHere(String queue) {
        return runHere.contains(queue);
    }

    public int workers(String queue) {
        return workers.get(queue);
    }

    /** Where the claimed jobs of a queue run here wait for its workers (the seda queue of its routes). */
    public BlockingQueue<Exchange> claimed(String queue) {
        return claimed.get(queue);
    }

    /** Claimed jobs waiting here, over all queues. */
    public int waitingHere() {
        return claimed.values().stream().mapToInt(BlockingQueue::size).sum();
    }

    /**
     * Whether a queue's claimer should look for more now that a job ended: once half of JOB_IN_QUEUE_SIZE has
     * been started, so that a busy queue claims in batches rather than once per job.
     */
    public boolean runningLow(String queue) {
        return claimed.get(queue).size() <= queueSize / 2;
    }
}
