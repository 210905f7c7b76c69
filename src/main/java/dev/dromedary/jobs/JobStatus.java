package dev.dromedary.jobs;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A job's state, named as the API and the {@code jobs.status} column spell it. */
public enum JobStatus {
    OPEN("open"),
    IN_QUEUE("in_queue"),
    PROCESSING("processing"),
    COMPLETED("completed"),
    FAILED("failed"),
    RETRY_IN_QUEUED("retry_in_queued"),
    RETRYING("retrying"),
    CANCELLED("cancelled");

    private final String wireName;

    JobStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The wire names of the states in which a job's route is running (a first attempt or a retry). */
    public static final List<String> RUNNING = List.of(PROCESSING.wireName(), RETRYING.wireName());

    public String wireName() {
        return wireName;
    }

    public static Optional<JobStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
