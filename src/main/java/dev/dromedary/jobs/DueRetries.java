package dev.dromedary.jobs;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * The earliest time a failed job is due to run again, as far as this instance knows: what the retry runner's
 * one-second wake-up checks, so that a retry starts within a second of its {@code run_after} whatever the
 * ticker. This instance learns of its own failures, reaped leases and manual retries at once, and of every
 * other instance's at each tick.
 */
public final class DueRetries {

    private Instant earliest;

    /** A failed job becomes due at {@code at}. */
    public synchronized void dueAt(Instant at) {
        if (at != null && (earliest == null || at.isBefore(earliest))) {
            earliest = at;
        }
    }

    /** Whether a retry this instance knows of is due now. */
    public synchronized boolean due() {
        return earliest != null && !earliest.isAfter(Instant.now());
    }

    /**
     * Replaces what this instance knows with the earliest due time in the table ({@code lookUp}), run inside
     * the lock, so that a failure noted while the table is read is not overwritten by the older answer.
     */
    public synchronized void refresh(Supplier<Instant> lookUp) {
        earliest = lookUp.get();
    }
}
