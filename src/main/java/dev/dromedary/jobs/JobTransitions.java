package dev.dromedary.jobs;

import static dev.dromedary.jobs.JobStatus.CANCELLED;
import static dev.dromedary.jobs.JobStatus.COMPLETED;
import static dev.dromedary.jobs.JobStatus.FAILED;
import static dev.dromedary.jobs.JobStatus.IN_QUEUE;
import static dev.dromedary.jobs.JobStatus.OPEN;
import static dev.dromedary.jobs.JobStatus.PROCESSING;
import static dev.dromedary.jobs.JobStatus.RETRYING;
import static dev.dromedary.jobs.JobStatus.RETRY_IN_QUEUED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The one table of allowed status changes. {@link JobStore} checks every status write against it. */
public final class JobTransitions {

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(Map.of(
            OPEN, EnumSet.of(IN_QUEUE, CANCELLED),
            // back to open: the instance that queued it stopped before a worker took it
            IN_QUEUE, EnumSet.of(PROCESSING, OPEN, CANCELLED),
            // back to open: the instance running it stopped, at a checkpoint where another instance goes on
            PROCESSING, EnumSet.of(COMPLETED, FAILED, OPEN, CANCELLED),
            FAILED, EnumSet.of(RETRY_IN_QUEUED, CANCELLED),
            // back to failed: the instance that queued the retry stopped before running it
            RETRY_IN_QUEUED, EnumSet.of(RETRYING, FAILED, CANCELLED),
            RETRYING, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class)));

    private JobTransitions() {
    }

    public static boolean isAllowed(JobStatus from, JobStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    public static void require(JobStatus from, JobStatus to) {
        if (!isAllowed(from, to)) {
            throw new IllegalJobTransition(from, to);
        }
    }

    /** The states a job can be in for a change to {@code to} to be allowed. */
    public static Set<JobStatus> sourcesOf(JobStatus to) {
        Set<JobStatus> sources = EnumSet.noneOf(JobStatus.class);
        ALLOWED.forEach((from, targets) -> {
            if (targets.contains(to)) {
                sources.add(from);
            }
        });
        return sources;
    }

    public static boolean isFinal(JobStatus status) {
        return ALLOWED.get(status).isEmpty();
    }
}
