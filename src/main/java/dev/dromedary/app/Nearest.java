package dev.dromedary.app;

import java.util.Collection;
import java.util.function.UnaryOperator;

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
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(target, key.apply(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, target.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
