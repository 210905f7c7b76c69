package dev.dromedary.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dromedary.datasets.ColumnType;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each transform and validation rule as a dataset file writes it, over one row, and each way a rule is refused. */
class RowRulesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, ColumnType> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("uuid", ColumnType.UUID_VALUE);
        COLUMNS.put("first_name", ColumnType.TEXT);
        COLUMNS.put("last_name", ColumnType.TEXT);
        COLUMNS.put("email", ColumnType.KEYWORD);
        COLUMNS.put("phone", ColumnType.KEYWORD);
        COLUMNS.put("title", ColumnType.TEXT);
        COLUMNS.put("country", ColumnType.KEYWORD);
        COLUMNS.put("company_name", ColumnType.TEXT);
        COLUMNS.put("company_domain", ColumnType.KEYWORD);
        COLUMNS.put("seniority", ColumnType.KEYWORD);
        COLUMNS.put("employees_count", ColumnType.LONG);
        COLUMNS.put("created_at", ColumnType.DATE);
        COLUMNS.put("linkedin_url", ColumnType.KEYWORD);
        COLUMNS.put("keywords", ColumnType.KEYWORDS);
    }

    @Test
    void theIssuesExampleTransformsARowStepByStep() {
        RowRules rules = rules("""
                transform:
                  - trim: [first_name, last_name, email]
                  - lower: [email]
                  - null_if: {columns: [phone, title], values: ["N/A", "-"]}
                  - map: {column: country, values: {usa: USA, "united states": USA, deutschland: Germany}, otherwise: keep}
                  - default: {column: seniority, value: unknown}
                  - regex_replace: {column: phone, pattern: "[^0-9+]", with: ""}
                  - derive: {column: company_name, template: "{company_domain} ({country})", when_empty: true}
                """);
        Map<String, String> row = cells("first_name", "  Ada ", "email", " Ada@Example.COM ", "phone", "N/A", "title", "-",
                "country", "United States", "company_domain", "example.com");

        assertThat(rules.transform(row)).isTrue();

        assertThat(row).containsOnly(Map.entry("first_name", "Ada"), Map.entry("email", "ada@example.com"),
                Map.entry("country", "USA"), Map.entry("seniority", "unknown"), Map.entry("company_domain", "example.com"),
                Map.entry("company_name", "example.com (USA)"));
    }

    @Test
    void textRulesChangeCaseAndSpaces() {
        Map<String, String> row = cells("first_name", "  mary   ann\t o'neil ", "last_name", "van DER berg", "title", "cto");
        rules("transform: [{collapse_spaces: [first_name]}, {title: [first_name, last_name]}, {upper: title}]").transform(row);
        assertThat(row).containsEntry("first_name", "Mary Ann O'Neil").containsEntry("last_name", "Van Der Berg")
                .containsEntry("title", "CTO");
    }

    @Test
    void replaceIsLiteralAndRegexReplaceTakesGroups() {
        Map<String, String> row = cells("phone", "+1 (555) 010-9999", "company_domain", "www.example.com", "title", "a.b.c");
        rules("""
                transform:
                  - replace: {column: title, from: ".", to: "/"}
                  - regex_replace: {column: phone, pattern: "[^0-9+]", with: ""}
                  - regex_replace: {column: company_domain, pattern: "^www\\\\.(.*)$", with: "$1"}
                """).transform(row);
        assertThat(row).containsEntry("title", "a/b/c").containsEntry("phone", "+15550109999")
                .containsEntry("company_domain", "example.com");
    }

    @Test
    void mapKeepsEmptiesOrRejectsWhatItsTableLacks() {
        Map<String, String> kept = cells("country", "Narnia");
        rules("transform: [{map: {column: country, values: {usa: USA}}}]").transform(kept);
        assertThat(kept).containsEntry("country", "Narnia");

        Map<String, String> emptied = cells("country", "Narnia");
        rules("transform: [{map: {column: country, values: {usa: USA}, otherwise: 'null'}}]").transform(emptied);
        assertThat(emptied).doesNotContainKey("country");

        assertThatThrownBy(() -> rules("transform: [{map: {column: country, values: {usa: USA}, otherwise: reject}}]")
                .transform(cells("country", "Narnia")))
                .isInstanceOf(RuleBroken.class).hasMessage("rule map on country: Narnia");
    }

    @Test
    void splitMakesAKeywordsCellAndConcatJoinsColumns() {
        Map<String, String> row = cells("keywords", "saas, b2b,,fintech ", "first_name", "Ada", "last_name", "Lovelace");
        rules("""
                transform:
                  - split: {column: keywords, separator: ","}
                  - concat: {column: title, template: "{first_name} {last_name}"}
                """).transform(row);
        assertThat(row).containsEntry("keywords", "saas;b2b;fintech").containsEntry("title", "Ada Lovelace");
        assertThat(ColumnType.KEYWORDS.parse(row.get("keywords"))).isEqualTo(java.util.List.of("saas", "b2b", "fintech"));
    }

    @Test
    void deriveWhenEmptyLeavesAValueAloneAndGivesNothingWhenItsColumnsAreEmpty() {
        RowRules rules = rules("transform: [{derive: {column: company_name, template: '{company_domain}', when_empty: true}}]");
        Map<String, String> given = cells("company_name", "Acme", "company_domain", "acme.io");
        rules.transform(given);
        assertThat(given).containsEntry("company_name", "Acme");
        Map<String, String> none = cells();
        rules.transform(none);
        assertThat(none).doesNotContainKey("company_name");
    }

    @Test
    void parseDateReadsTheGivenFormatsIntoIsoAndRejectsAValueNoneReads() {
        RowRules rules = rules("transform: [{parse_date: {column: created_at, formats: [dd/MM/yyyy, 'MM-dd-yyyy HH:mm']}}]");
        Map<String, String> dayFirst = cells("created_at", "31/01/2024");
        rules.transform(dayFirst);
        assertThat(ColumnType.DATE.parse(dayFirst.get("created_at")).toString()).isEqualTo("2024-01-31T00:00Z");
        Map<String, String> withTime = cells("created_at", "01-31-2024 13:45");
        rules.transform(withTime);
        assertThat(withTime.get("created_at")).isEqualTo("2024-01-31T13:45Z");
        assertThatThrownBy(() -> rules.transform(cells("created_at", "31/02/2024")))
                .isInstanceOf(RuleBroken.class).hasMessage("rule parse_date on created_at: 31/02/2024");
    }

    @Test
    void castReadsDecimalsIntoWholeNumbersAndEpochSecondsIntoDates() {
        Map<String, String> row = cells("employees_count", "1 234.5", "created_at", "1700000000");
        rules("transform: [{cast: {column: employees_count, to: long}}, {cast: {column: created_at, to: date}}]").transform(row);
        assertThat(row).containsEntry("employees_count", "1235").containsEntry("created_at", "2023-11-14T22:13:20Z");
        assertThatThrownBy(() -> rules("transform: [{cast: {column: employees_count, to: long}}]").transform(cells("employees_count", "many")))
                .isInstanceOf(RuleBroken.class).hasMessage("rule cast on employees_count: many");
    }

    @Test
    void dropRowIfLeavesOutRowsByValueOrEmptiness() {
        assertThat(rules("transform: [{drop_row_if: {column: title, equals: test}}]").transform(cells("title", "test"))).isFalse();
        assertThat(rules("transform: [{drop_row_if: {column: title, in: [a, b]}}]").transform(cells("title", "c"))).isTrue();
        assertThat(rules("transform: [{drop_row_if: {column: email, empty: true}}]").transform(cells("title", "c"))).isFalse();
    }

    @Test
    void eachColumnRuleNamesItselfTheColumnAndTheValueWhenBroken() {
        RowRules rules = rules("""
                validate:
                  email: {required: true, email: true}
                  employees_count: {min: 0, max: 10000000}
                  country: {one_of: [USA, Germany]}
                  first_name: {min_length: 2, max_length: 5}
                  phone: {pattern: "\\\\+?[0-9]{6,15}"}
                  linkedin_url: {url: true}
                  created_at: {min: 2000-01-01}
                rows:
                  - at_least_one_of: [email, phone]
                """);
        rules.check(typed("email", "ada@example.com", "employees_count", 10L, "country", "USA", "first_name", "Ada"));

        assertBroken(rules, typed("first_name", "Ada"), "rule required on email: (empty)");
        assertBroken(rules, typed("email", "not-an-address"), "rule email on email: not-an-address");
        assertBroken(rules, typed("email", "a@b.co", "employees_count", -1L), "rule min on employees_count: -1");
        assertBroken(rules, typed("email", "a@b.co", "employees_count", 20_000_000L), "rule max on employees_count: 20000000");
        assertBroken(rules, typed("email", "a@b.co", "country", "France"), "rule one_of on country: France");
        assertBroken(rules, typed("email", "a@b.co", "first_name", "A"), "rule min_length on first_name: A");
        assertBroken(rules, typed("email", "a@b.co", "first_name", "Adalbert"), "rule max_length on first_name: Adalbert");
        assertBroken(rules, typed("email", "a@b.co", "phone", "call me"), "rule pattern on phone: call me");
        assertBroken(rules, typed("email", "a@b.co", "linkedin_url", "javascript:alert(1)"), "rule url on linkedin_url: javascript:alert(1)");
        assertBroken(rules, typed("email", "a@b.co", "created_at", ColumnType.DATE.parse("1999-12-31")),
                "rule min on created_at: 1999-12-31T00:00Z");
    }

    @Test
    void atLeastOneOfNeedsOneOfItsColumns() {
        RowRules rules = rules("rows: [{at_least_one_of: [email, phone]}]");
        rules.check(typed("phone", "+4712345678"));
        assertBroken(rules, typed("title", "CEO"), "rule at_least_one_of on email, phone: (empty)");
    }

    @Test
    void aLongValueIsCutInTheReason() {
        RowRules rules = rules("validate: {email: {email: true}}");
        String reason = brokenReason(rules, typed("email", "x".repeat(5000)));
        assertThat(reason).startsWith("rule email on email: xxx").hasSizeLessThan(140);
    }

    @Test
    void uniqueValuesKeepTheFirstRowInTheOrderBatchesWereReadWhateverOrderTheyArriveIn() throws Exception {
        UniqueValues unique = new UniqueValues(java.util.List.of("email"), 1);
        java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread second = new Thread(() -> {
            try {
                unique.awaitTurn(2);
                order.add("2:" + unique.heldBefore(new Object[] {"a@b.co"}));
                unique.done(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        second.join(200);
        assertThat(order).as("batch 2 waits for batch 1").isEmpty();
        unique.awaitTurn(1);
        order.add("1:" + unique.heldBefore(new Object[] {"a@b.co"}));
        unique.done(1);
        second.join(Duration.ofSeconds(10).toMillis());
        assertThat(order).containsExactly("1:null", "2:email");
    }

    @Test
    void theRulesOfAJobComeAfterItsDatasets() {
        RowRules dataset = rules("transform: [{trim: [email]}]\nvalidate: {email: {email: true}}");
        RowRules job = rules("transform: [{lower: [email]}]\nvalidate: {email: {max_length: 10}}");
        RowRules both = dataset.then(job);
        Map<String, String> row = cells("email", " A@B.CO ");
        both.transform(row);
        assertThat(row).containsEntry("email", "a@b.co");
        assertBroken(both, typed("email", "abcdefghijk@b.co"), "rule max_length on email: abcdefghijk@b.co");
    }

    @Test
    void aRuleThatCannotBeUsedAsWrittenIsRefusedNamingIt() {
        assertInvalid("transform: [{shout: [email]}]", "transform[0]: 'shout' is not a transform rule");
        assertInvalid("transform: [{trim: [emial]}]", "transform[0].trim names the column 'emial', which the dataset does not have");
        assertInvalid("transform: [{derive: {column: title, template: '{first_name} {middle_name}'}}]",
                "transform[0].derive.template names the column 'middle_name'");
        assertInvalid("transform: [{regex_replace: {column: phone, pattern: '(a)\\1', with: ''}}]",
                "transform[0].regex_replace.pattern is not a regular expression RE2 reads");
        assertInvalid("transform: [{regex_replace: {column: phone, pattern: '" + "a".repeat(501) + "', with: ''}}]",
                "pattern is a regular expression of 1 to 500 characters");
        assertInvalid("transform: [{parse_date: {column: created_at, formats: ['dd/MM/yyyy pp{']}}]", "is not a date format");
        assertInvalid("transform: [{parse_date: {column: email, formats: [dd/MM/yyyy]}}]", "parse_date is for a date column");
        assertInvalid("transform: [{map: {column: country, values: {usa: USA}, otherwise: drop}}]", "otherwise is keep");
        assertInvalid("transform: [{default: {column: seniority, value: x, colour: red}}]", "'colour' is not one of its settings");
        assertInvalid("transform: [{cast: {column: email, to: long}}]", "cast takes a long column to long");
        assertInvalid("validate: {country: {one_off: [USA]}}", "validate.country: 'one_off' is not a validation rule");
        assertInvalid("validate: {email: {min: 3}}", "min and max check long and date columns");
        assertInvalid("validate: {created_at: {min: yesterday}}", "is a date such as 2024-01-31");
        assertInvalid("rows: [{at_least_one_of: [email]}]", "names two columns or more");

        StringBuilder bigMap = new StringBuilder("transform: [{map: {column: country, values: {");
        for (int i = 0; i < 20_000; i++) {
            bigMap.append(i == 0 ? "" : ", ").append("k").append(i).append(": v");
        }
        assertInvalid(bigMap.append("}}}]").toString(), "values maps 1 to 1000 values");
    }

    @Test
    void aPatternThatBacktrackingEnginesTakeForeverOnRunsInLinearTime() {
        RowRules rules = rules("validate: {phone: {pattern: '(a+)+$'}}");
        long started = System.nanoTime();
        assertBroken(rules, typed("phone", "a".repeat(50_000) + "!"), null);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    private static RowRules rules(String yaml) {
        try {
            JsonNode node = YAML.readTree(yaml);
            return RowRules.parse(node.get("transform"), node.get("validate"), node.get("rows"), COLUMNS);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void assertInvalid(String yaml, String message) {
        assertThatThrownBy(() -> rules(yaml)).isInstanceOf(InvalidRule.class).hasMessageContaining(message);
    }

    private static void assertBroken(RowRules rules, Map<String, Object> row, String reason) {
        String actual = brokenReason(rules, row);
        if (reason != null) {
            assertThat(actual).isEqualTo(reason);
        }
    }

    private static String brokenReason(RowRules rules, Map<String, Object> row) {
        try {
            rules.check(row);
        } catch (RuleBroken e) {
            return e.getMessage();
        }
        throw new AssertionError("no rule was broken by " + row);
    }

    private static Map<String, String> cells(String... pairs) {
        Map<String, String> cells = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            cells.put(pairs[i], pairs[i + 1]);
        }
        return cells;
    }

    private static Map<String, Object> typed(Object... pairs) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }
}
