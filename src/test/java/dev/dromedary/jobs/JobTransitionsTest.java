package dev.dromedary.jobs;

import static dev.dromedary.jobs.JobStatus.CANCELLED;
import static dev.dromedary.jobs.JobStatus.COMPLETED;
import static dev.dromedary.jobs.JobStatus.FAILED;
import static dev.dromedary.jobs.JobStatus.IN_QUEUE;
import static dev.dromedary.jobs.JobStatus.OPEN;
import static dev.dromedary.jobs.JobStatus.PROCESSING;
import static dev.dromedary.jobs.JobStatus.RETRYING;
import static dev.dromedary.jobs.JobStatus.RETRY_IN_QUEUED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobTransitionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "OPEN, IN_QUEUE", "IN_QUEUE, PROCESSING", "PROCESSING, COMPLETED", "PROCESSING, FAILED",
            "FAILED, RETRY_IN_QUEUED", "RETRY_IN_QUEUED, RETRYING", "RETRYING, COMPLETED", "RETRYING, FAILED",
            "IN_QUEUE, OPEN", "RETRY_IN_QUEUED, FAILED", "PROCESSING, OPEN", "RETRYING, FAILED"})
    void theLifecycleOfTheSpecIsAllowed(JobStatus from, JobStatus to) {
        assertThat(JobTransitions.isAllowed(from, to)).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "OPEN, PROCESSING", "OPEN, COMPLETED", "IN_QUEUE, COMPLETED", "COMPLETED, PROCESSING",
            "COMPLETED, FAILED", "FAILED, PROCESSING", "FAILED, COMPLETED", "CANCELLED, OPEN",
            "PROCESSING, RETRYING", "RETRYING, PROCESSING"})
    void aChangeOutsideTheTableIsRefused(JobStatus from, JobStatus to) {
        assertThat(JobTransitions.isAllowed(from, to)).isFalse();
        assertThatThrownBy(() -> JobTransitions.require(from, to))
                .isInstanceOf(IllegalJobTransition.class)
                .hasMessage("a job cannot go from " + from + " to " + to);
    }

    @Test
    void everyStateButTheFinalOnesCanBeCancelled() {
        assertThat(JobTransitions.sourcesOf(CANCELLED))
                .isEqualTo(EnumSet.of(OPEN, IN_QUEUE, PROCESSING, FAILED, RETRY_IN_QUEUED, RETRYING));
        assertThat(JobTransitions.isFinal(COMPLETED)).isTrue();
        assertThat(JobTransitions.isFinal(CANCELLED)).isTrue();
        assertThat(JobTransitions.isFinal(FAILED)).isFalse();
    }
}
