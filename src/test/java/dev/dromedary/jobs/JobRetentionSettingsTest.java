package dev.dromedary.jobs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobRetentionSettingsTest {

    @Test
    void aRetentionThatWouldPruneEveryFinishedJobAtOnceOrABatchOutOfRangeIsRefusedAtStart() {
        assertThatThrownBy(() -> retention(-1, 30, 30, 1000)).hasMessage("JOB_RETENTION_DAYS is -1; it must be from 0 to 36500");
        assertThatThrownBy(() -> retention(7, -30, 30, 1000)).hasMessageStartingWith("FAILED_JOB_RETENTION_DAYS is -30");
        assertThatThrownBy(() -> retention(7, 30, -1, 1000)).hasMessageStartingWith("IDEMPOTENCY_KEY_DAYS is -1");
        assertThatThrownBy(() -> retention(7, 30, 30, 0)).hasMessage("PRUNE_BATCH_SIZE is 0; it must be from 1 to 10000");
        assertThatThrownBy(() -> retention(7, 30, 30, 1_000_000)).hasMessageStartingWith("PRUNE_BATCH_SIZE is 1000000");
    }

    private static JobRetention retention(int days, int failedDays, int keyDays, int batch) {
        return new JobRetention(null, days, failedDays, keyDays, batch, () -> false, (status, jobs) -> { });
    }
}
