package dev.dromedary.sinks;

import dev.dromedary.processing.RuleBroken;
import dev.dromedary.rows.RowBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows for the {@code dead_letters} table, as the named parameters of its insert statement. */
public final class DeadLetterRows {

    private DeadLetterRows() {
    }

    /** The rows a batch's validation rejected. */
    public static List<Map<String, Object>> rejected(RowBatch batch) {
        return batch.rejected().stream()
                .map(rejected -> row(batch, rejected.rowNumber(), rejected.payload(), rejected.error()))
                .toList();
    }

    public static Map<String, Object> row(RowBatch batch, long rowNumber, String payload, String error) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("job_uuid", batch.jobUuid());
        row.put("dataset", batch.dataset().name());
        row.put("header", batch.header());
        row.put("batch", batch.number());
        row.put("row_number", rowNumber);
        row.put("payload", payload);
        row.put("error", error);
        row.put("rule", RuleBroken.ruleOf(error));
        return row;
    }

    /** The rows of count-by-rule.sql as {@code {"email": 3, "min": 1}}. */
    public static Map<String, Long> countsByRule(List<Map<String, Object>> rows) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (rows != null) {
            rows.forEach(row -> counts.put((String) row.get("rule"), ((Number) row.get("dead_letters")).longValue()));
        }
        return counts;
    }
}
