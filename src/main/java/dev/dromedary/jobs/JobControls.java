package dev.dromedary.jobs;

import java.util.List;

/**
 * How a job is scheduled: {@code priority} (higher is claimed first), the {@code queue} whose workers run it,
 * {@code timeoutSeconds} (null: the job type's default, if any) and the jobs or batches it waits for, by uuid
 * or, inside a batch request, by the {@code ref} of another job of the batch.
 */
public record JobControls(int priority, String queue, Integer timeoutSeconds, List<String> dependsOn) {

    public static final String DEFAULT_QUEUE = "default";
    public static final JobControls DEFAULT = new JobControls(0, DEFAULT_QUEUE, null, List.of());

    public JobControls {
        dependsOn = List.copyOf(dependsOn);
    }

    public JobControls withTimeout(Integer seconds) {
        return new JobControls(priority, queue, seconds, dependsOn);
    }
}
