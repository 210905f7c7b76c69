package dev.dromedary.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When a run asks for a notice, by job_data.notify_when: a condition that begins to hold at this run. */
class NotifyWhenTest {

    private static boolean notify(Map<String, Object> data, List<String> before, List<String> after) {
        WatchJob job = WatchJob.of(data);
        WatchSnapshots.Snapshot previous = before == null ? null : new WatchSnapshots.Snapshot(1, Instant.EPOCH,
                String.valueOf(String.join("\n", before).hashCode()), String.join("\n", before), null, null);
        WatchRun run = new WatchRun(job, data, UUID.randomUUID(), Map.of(), previous);
        run.lines = after;
        run.hash = String.valueOf(String.join("\n", after).hashCode());
        if (previous != null && !run.hash.equals(previous.hash())) {
            run.diff = TextDiff.of(before, after, "before", "after", 10_000);
        }
        return UrlWatch.notify(run);
    }

    @Test
    void eachConditionAsksOnceWhenItBeginsToHold() {
        Map<String, Object> changed = Map.of("watch", "w", "url", "https://e.org/");
        assertThat(notify(changed, null, List.of("a"))).as("the baseline is no change").isFalse();
        assertThat(notify(changed, List.of("a"), List.of("a"))).isFalse();
        assertThat(notify(changed, List.of("a"), List.of("b"))).isTrue();

        Map<String, Object> added = Map.of("watch", "w", "url", "https://e.org/", "notify_when", "added");
        assertThat(notify(added, List.of("a", "b"), List.of("a"))).as("a line only went").isFalse();
        assertThat(notify(added, List.of("a"), List.of("a", "b"))).isTrue();

        Map<String, Object> contains = Map.of("watch", "w", "url", "https://e.org/", "notify_when", "contains",
                "text", "Tickets available");
        assertThat(notify(contains, null, List.of("tickets AVAILABLE now"))).as("holds on the first run").isTrue();
        assertThat(notify(contains, List.of("sold out"), List.of("Tickets available"))).isTrue();
        assertThat(notify(contains, List.of("Tickets available"), List.of("Tickets available", "2 left"))).as("held before").isFalse();
        assertThat(notify(contains, List.of("Tickets available"), List.of("sold out"))).isFalse();

        Map<String, Object> gone = Map.of("watch", "w", "url", "https://e.org/", "notify_when", "not_contains", "text", "Norway");
        assertThat(notify(gone, List.of("Norway | Dublin 2"), List.of("Japan | Dublin 4"))).isTrue();
        assertThat(notify(gone, List.of("Japan"), List.of("France"))).as("it was gone before").isFalse();
    }
}
