package dev.dromedary.watch;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.DeleteDelta;
import com.github.difflib.patch.EqualDelta;
import com.github.difflib.patch.InsertDelta;
import com.github.difflib.patch.Patch;
import java.util.List;

/**
 * How two snapshots' lines differ, as a unified diff (java-diff-utils) with the lines added and removed. Myers'
 * algorithm costs the lines times the differences, so it runs only on what lies between the common first and last
 * lines, and only when that is at most {@value #MAX_COMPARED_LINES} lines on each side; a larger rewrite is one
 * change of all of them, which is what it is.
 */
public record TextDiff(int linesAdded, int linesRemoved, String unified) {

    static final int MAX_COMPARED_LINES = 5_000;
    private static final int CONTEXT_LINES = 3;

    /** The diff of {@code before} into {@code after}, its text cut to {@code maxChars}. */
    public static TextDiff of(List<String> before, List<String> after, String beforeName, String afterName, int maxChars) {
        int prefix = 0;
        while (prefix < before.size() && prefix < after.size() && before.get(prefix).equals(after.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < before.size() - prefix && suffix < after.size() - prefix
                && before.get(before.size() - 1 - suffix).equals(after.get(after.size() - 1 - suffix))) {
            suffix++;
        }
        List<String> removedSpan = before.subList(prefix, before.size() - suffix);
        List<String> addedSpan = after.subList(prefix, after.size() - suffix);
        Patch<String> patch = new Patch<>();
        if (removedSpan.size() <= MAX_COMPARED_LINES && addedSpan.size() <= MAX_COMPARED_LINES) {
            for (AbstractDelta<String> delta : DiffUtils.diff(removedSpan, addedSpan).getDeltas()) {
                patch.addDelta(shifted(delta, prefix));
            }
        } else {
            patch.addDelta(new ChangeDelta<>(new Chunk<>(prefix, removedSpan), new Chunk<>(prefix, addedSpan)));
        }
        int added = 0;
        int removed = 0;
        for (AbstractDelta<String> delta : patch.getDeltas()) {
            added += delta.getTarget().size();
            removed += delta.getSource().size();
        }
        if (patch.getDeltas().isEmpty()) {
            return new TextDiff(0, 0, "");
        }
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, before, patch, CONTEXT_LINES);
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (text.length() + line.length() + 1 > maxChars) {
                text.append("… (the diff is cut at ").append(maxChars).append(" characters)\n");
                break;
            }
            text.append(line).append('\n');
        }
        return new TextDiff(added, removed, text.toString());
    }

    private static AbstractDelta<String> shifted(AbstractDelta<String> delta, int by) {
        Chunk<String> source = new Chunk<>(delta.getSource().getPosition() + by, delta.getSource().getLines());
        Chunk<String> target = new Chunk<>(delta.getTarget().getPosition() + by, delta.getTarget().getLines());
        return switch (delta.getType()) {
            case INSERT -> new InsertDelta<>(source, target);
            case DELETE -> new DeleteDelta<>(source, target);
            case CHANGE -> new ChangeDelta<>(source, target);
            case EQUAL -> new EqualDelta<>(source, target);
        };
    }
}
