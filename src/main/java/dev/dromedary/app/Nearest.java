package dev.dromedary.app;

import java.util.Collection;
import java.util.function.UnaryOperator;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The known name nearest one a user gave, when it is near enough to be a slip: for "did you mean …?" in refusals. */
public final class Nearest {

    /** Longer names get no suggestion: no slip makes one, and the comparison would cost their length times each candidate's. */
    private static final int MAX_CHARS = 1000;

    private Nearest() {
    }

    /**
     * The one of {@code candidates} nearest {@code name} by edit distance, both as {@code key} makes them, when that
     * distance is at most a third of the name's length (or 2); null otherwise.
     */
    public static String of(String name, Collection<String> candidates, UnaryOperator<String> key) {
        String target = key.apply(name);
        if (target.length() > MAX_CHARS) {
            return null;
        }
        // answers -1 past the threshold, and stops comparing there
        LevenshteinDistance withinSlip = new LevenshteinDistance(Math.max(2, target.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = withinSlip.apply(target, key.apply(candidate));
            if (distance >= 0 && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }
}
