package dev.dromedary.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * What a job asks of a mirror import ({@code job_data.mode: "mirror"}): once every row of the source has landed,
 * the dataset's rows in {@code scope} (a VQL {@code where}; null: all of them) whose keys the source did not hold
 * are deleted, unless there are more than {@code mirror_max_delete} (a count, or a share of the scope's rows:
 * "10%", the default).
 */
public record Mirror(JsonNode scope, Long maxCount, Double maxShare) {

    static final double DEFAULT_MAX_SHARE = 0.10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The mirror a job's data asks for, or null for an import that deletes nothing (mode "upsert", the default). */
    static Mirror of(Map<?, ?> data) {
        Object mode = data.get("mode");
        if (mode == null || "upsert".equals(mode)) {
            if (data.get("mirror_scope") != null || data.get("mirror_max_delete") != null) {
                throw new IllegalArgumentException("job_data.mirror_scope and mirror_max_delete go with job_data.mode \"mirror\"");
            }
            return null;
        }
        if (!"mirror".equals(mode)) {
            throw new IllegalArgumentException("job_data.mode is \"upsert\" (the default: rows are added and updated) or "
                    + "\"mirror\" (then the dataset's rows the source does not hold are deleted)");
        }
        Object scope = data.get("mirror_scope");
        if (scope != null && !(scope instanceof Map)) {
            throw new IllegalArgumentException("job_data.mirror_scope is a VQL where, e.g. {\"keyword_match\": {\"must\": "
                    + "{\"country\": [\"Norway\"]}}}: only rows it matches may be deleted");
        }
        Object max = data.get("mirror_max_delete");
        Long maxCount = null;
        Double maxShare = DEFAULT_MAX_SHARE;
        if (max instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue()) && number.longValue() >= 0) {
            maxCount = number.longValue();
            maxShare = null;
        } else if (max instanceof String text && text.matches("\\d{1,3}(\\.\\d{1,4})?%") && Double.parseDouble(text.replace("%", "")) <= 100) {
            maxShare = Double.parseDouble(text.replace("%", "")) / 100;
        } else if (max != null) {
            throw new IllegalArgumentException("job_data.mirror_max_delete is how many rows a mirror may delete at most: a whole "
                    + "number, or a share of the rows in its scope such as \"10%\" (the default)");
        }
        return new Mirror(scope == null ? null : JSON.valueToTree(scope), maxCount, maxShare);
    }

    /** The most rows this mirror may delete of a scope of {@code scopeRows}. */
    long limit(long scopeRows) {
        return maxCount != null ? maxCount : (long) Math.floor(maxShare * scopeRows);
    }

    String limitDescribed() {
        return maxCount != null ? String.valueOf(maxCount) : Math.round(maxShare * 10000) / 100.0 + "% of the rows in its scope";
    }
}
