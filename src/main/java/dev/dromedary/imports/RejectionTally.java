package dev.dromedary.imports;

import dev.dromedary.processing.RuleBroken;
import dev.dromedary.rows.RowBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows an import rejected, counted by reason (the reason without the value it quotes), with the first
 * {@value #EXAMPLES} of them: what a dry run answers, and what an error budget names when it is spent.
 * Bounded: at most {@value #MAX_REASONS} reasons are told apart, the rest are counted as "other reasons".
 */
final class RejectionTally {

    static final int EXAMPLES = 20;
    static final int MAX_REASONS = 100;
    private static final Pattern COLUMN_AND_VALUE = Pattern.compile("^'([^']+)' (.*?): '(.*)'$", Pattern.DOTALL);

    private final Map<String, Long> byReason = new LinkedHashMap<>();
    private final Map<String, Long> byRule = new LinkedHashMap<>();
    private final List<Map<String, Object>> examples = new ArrayList<>();

    synchronized void add(RowBatch batch) {
        for (RowBatch.Rejected rejected : batch.rejected()) {
            Matcher parts = COLUMN_AND_VALUE.matcher(rejected.error());
            String rule = RuleBroken.ruleOf(rejected.error());
            String reason = parts.matches() ? "'" + parts.group(1) + "' " + parts.group(2)
                    : rule != null ? rejected.error().substring(0, rejected.error().indexOf(": ")) : rejected.error();
            if (rule != null) {
                byRule.merge(rule, 1L, Long::sum);
            }
            if (!byReason.containsKey(reason) && byReason.size() >= MAX_REASONS) {
                reason = "other reasons";
            }
            byReason.merge(reason, 1L, Long::sum);
            if (examples.size() < EXAMPLES) {
                Map<String, Object> example = new LinkedHashMap<>();
                example.put("row", rejected.rowNumber());
                if (parts.matches()) {
                    example.put("column", parts.group(1));
                    example.put("value", parts.group(3));
                }
                example.put("reason", rejected.error());
                examples.add(example);
            }
        }
    }

    /** The reasons, the most frequent first. */
    synchronized Map<String, Long> byReason() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        byReason.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    /** The rows rejected by each rule they broke, the most frequent first. */
    synchronized Map<String, Long> byRule() {
        Map<String, Long> sorted = new LinkedHashMap<>();
        byRule.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    synchronized List<Map<String, Object>> examples() {
        return List.copyOf(examples);
    }

    /** The three most frequent reasons with their counts, for a message. */
    String topReasons() {
        return String.join("; ", byReason().entrySet().stream().limit(3)
                .map(entry -> entry.getValue() + " × " + entry.getKey()).toList());
    }
}
