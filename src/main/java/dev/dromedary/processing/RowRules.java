package dev.dromedary.processing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.datasets.ColumnType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processing rules of a dataset, or of a dataset and a job together: the {@code transform:} steps applied in
 * order to a row's cells, then, once they are typed, the {@code validate:} checks by column and the {@code rows:}
 * checks across columns. {@code unique} columns are checked across batches by {@link UniqueValues}.
 */
public final class RowRules {

    public static final RowRules NONE = new RowRules(List.of(), Map.of(), Set.of(), List.of(), List.of());

    private final List<TransformRule> transforms;
    private final Map<String, List<ValueRule>> checks;
    private final Set<String> required;
    private final List<String> unique;
    private final List<List<String>> atLeastOneOf;

    RowRules(List<TransformRule> transforms, Map<String, List<ValueRule>> checks, Set<String> required, List<String> unique,
             List<List<String>> atLeastOneOf) {
        this.transforms = List.copyOf(transforms);
        this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        this.required = Collections.unmodifiableSet(new LinkedHashSet<>(required));
        this.unique = List.copyOf(unique);
        this.atLeastOneOf = List.copyOf(atLeastOneOf);
    }

    /**
     * The rules of {@code transform}, {@code validate} and {@code rows} (any of them null or missing), over the
     * columns a dataset has; {@link InvalidRule} names the first that cannot be used as written.
     */
    public static RowRules parse(JsonNode transform, JsonNode validate, JsonNode rows, Map<String, ColumnType> columns) {
        return new RuleParser(columns).parse(transform, validate, rows);
    }

    /** These rules, then {@code more}'s: a job's rules apply after its dataset's. */
    public RowRules then(RowRules more) {
        if (more.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return more;
        }
        List<TransformRule> allTransforms = new ArrayList<>(transforms);
        allTransforms.addAll(more.transforms);
        Map<String, List<ValueRule>> allChecks = new LinkedHashMap<>(checks);
        more.checks.forEach((column, rules) -> allChecks.merge(column, rules, (a, b) -> {
            List<ValueRule> both = new ArrayList<>(a);
            both.addAll(b);
            return both;
        }));
        Set<String> allRequired = new LinkedHashSet<>(required);
        allRequired.addAll(more.required);
        Set<String> allUnique = new LinkedHashSet<>(unique);
        allUnique.addAll(more.unique);
        List<List<String>> allRows = new ArrayList<>(atLeastOneOf);
        allRows.addAll(more.atLeastOneOf);
        return new RowRules(allTransforms, allChecks, allRequired, List.copyOf(allUnique), allRows);
    }

    public boolean isEmpty() {
        return transforms.isEmpty() && checks.isEmpty() && required.isEmpty() && unique.isEmpty() && atLeastOneOf.isEmpty();
    }

    public boolean hasTransforms() {
        return !transforms.isEmpty();
    }

    /**
     * Each rule a row can break, as a dead letter's reason names it ({@code email on email}, {@code parse_date on
     * signed_up}): what a dataset's quality score counts by.
     */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (TransformRule rule : transforms) {
            if (rule instanceof TransformRule.ParseDate date) {
                names.add("parse_date on " + date.column());
            } else if (rule instanceof TransformRule.Cast cast) {
                names.add("cast on " + cast.column());
            } else if (rule instanceof TransformRule.MapValues map && map.otherwise().equals("reject")) {
                names.add("map on " + map.column());
            }
        }
        required.forEach(column -> names.add("required on " + column));
        checks.forEach((column, rules) -> rules.forEach(rule -> names.add(rule.name() + " on " + column)));
        unique.forEach(column -> names.add("unique on " + column));
        atLeastOneOf.forEach(columns -> names.add("at_least_one_of on " + String.join(", ", columns)));
        return names.stream().distinct().toList();
    }

    /** The columns whose values must differ from every earlier row's. */
    public List<String> unique() {
        return unique;
    }

    /**
     * Applies the transform steps to a row's cells (column to text, an empty cell absent); false when a step drops
     * the row. {@link RuleBroken} when a step cannot take a value.
     */
    public boolean transform(Map<String, String> cells) {
        for (TransformRule rule : transforms) {
            if (!rule.apply(cells)) {
                return false;
            }
        }
        return true;
    }

    /** Checks a typed row (column to value, an empty cell absent) against the column and row rules; {@link RuleBroken} for the first it breaks. */
    public void check(Map<String, Object> row) {
        for (String column : required) {
            Object value = row.get(column);
            if (value == null || value instanceof List<?> list && list.isEmpty()) {
                throw new RuleBroken("required", column, null);
            }
        }
        for (Map.Entry<String, List<ValueRule>> columnRules : checks.entrySet()) {
            Object value = row.get(columnRules.getKey());
            if (value == null) {
                continue;
            }
            for (ValueRule rule : columnRules.getValue()) {
                if (value instanceof List<?> values) {
                    for (Object each : values) {
                        if (!rule.holds(each)) {
                            throw new RuleBroken(rule.name(), columnRules.getKey(), each.toString());
                        }
                    }
                } else if (!rule.holds(value)) {
                    throw new RuleBroken(rule.name(), columnRules.getKey(), value.toString());
                }
            }
        }
        for (List<String> columns : atLeastOneOf) {
            if (columns.stream().allMatch(column -> row.get(column) == null)) {
                throw new RuleBroken("at_least_one_of", String.join(", ", columns), null);
            }
        }
    }
}
