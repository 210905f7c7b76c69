package dev.dromedary.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given contacts landed (some with no country), when an aggregation groups them by country with a filter and a
 * having, then the CSV in S3, the result table and the answer's groups all equal the test's own SQL over the same
 * rows, NULL group included; an aggregation that cannot run is a 400 that writes nothing.
 */
@ExtendWith(RealServices.class)
class AggregationIT {

    private static final String EXPECTED = """
            SELECT country, count(*) AS count, count(DISTINCT industry) AS industries, sum(employees_count) AS sum,
                   round(avg(employees_count), 6) AS avg, max(created_at) AS latest
            FROM contacts WHERE employees_count >= 100 AND NOT COALESCE(seniority = 'intern', false)
            GROUP BY country HAVING count(*) >= 2 ORDER BY count(*) DESC, country ASC""";

    @Test
    void anAggregationToS3AndATableEqualsTheSameSqlOverTheSameRows() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("aggregate", database).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            String sample = ImportFixture.sample("contact", 2000, 5);
            List<String> lines = new ArrayList<>(sample.lines().toList());
            int country = List.of(lines.get(0).split(",")).indexOf("country");
            for (int i = 1; i <= 40; i++) {
                List<String> cells = new ArrayList<>(List.of(lines.get(i).split(",", -1)));
                cells.set(country, "");
                lines.set(i, String.join(",", cells));
            }
            imports.upload("aggregate/contacts.csv", String.join("\n", lines) + "\n");
            assertThat(imports.importAndWait("aggregate/contacts.csv", "contact").get("status").asText()).isEqualTo("completed");

            JobsApi api = dromedary.api();
            String uuid = api.createJob("aggregate_dataset", """
                    {"service": "contact", "group_by": ["country"],
                     "aggregations": {"*": ["count"], "employees_count": ["sum", "avg"], "industry": ["count_distinct"],
                                      "created_at": ["max"]},
                     "filter": {"range_query": {"must": {"employees_count": {"gte": 100}}},
                                "keyword_match": {"must_not": {"seniority": ["intern"]}}},
                     "having": "count >= 2", "order": "count desc",
                     "s3_key": "reports/by-country.csv", "table": "contacts_by_country"}""");
            JsonNode job = imports.awaitFinished(uuid);

            assertThat(job.get("status").asText()).as("%s", job).isEqualTo("completed");
            List<String> expected = database.queryStrings("SELECT concat_ws(',', coalesce(country, ''), count, industries, sum, avg, "
                    + "to_char(latest AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) FROM (" + EXPECTED + ") e");
            assertThat(expected).hasSizeGreaterThan(3).anyMatch(line -> line.startsWith(","));

            String csv;
            try (var s3 = RealServices.s3Client()) {
                csv = s3.getObjectAsBytes(get -> get.bucket(RealServices.BUCKET).key("reports/by-country.csv"))
                        .asString(StandardCharsets.UTF_8);
            }
            List<String> csvLines = csv.lines().toList();
            assertThat(csvLines.get(0)).as("the group columns, count, then the figures in the dataset's column order")
                    .isEqualTo("country,count,industry_count_distinct,employees_count_sum,employees_count_avg,created_at_max");
            assertThat(csvLines.subList(1, csvLines.size())).containsExactlyElementsOf(expected.stream()
                    .map(AggregationIT::plainDecimals).toList());

            List<String> table = database.queryStrings("SELECT concat_ws(',', coalesce(country, ''), count, industry_count_distinct, "
                    + "employees_count_sum, round(employees_count_avg, 6), to_char(created_at_max AT TIME ZONE 'UTC', "
                    + "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')) FROM agg_contacts_by_country ORDER BY count DESC, country ASC");
            assertThat(table).containsExactlyElementsOf(expected);

            JsonNode response = job.get("job_response");
            assertThat(response.get("group_count").asLong()).isEqualTo(expected.size());
            assertThat(response.get("groups")).hasSize(expected.size());
            JsonNode first = response.get("groups").get(0);
            assertThat(first.get("count").asLong()).isEqualTo(Long.parseLong(expected.get(0).split(",")[1]));

            // no filter, no having, the answer alone: every contact counted once, in the NULL group too
            JsonNode everything = imports.awaitFinished(api.createJob("aggregate_dataset", "{\"group_by\": [\"country\"]}"));
            List<String> counted = new ArrayList<>();
            everything.at("/job_response/groups").forEach(group -> counted.add(group.path("country").asText("") + " "
                    + group.get("count").asLong()));
            assertThat(counted).containsExactlyElementsOf(database.queryStrings(
                    "SELECT coalesce(country, '') || ' ' || count(*) FROM contacts GROUP BY country ORDER BY country NULLS LAST"));
            assertThat(everything.at("/job_response/group_count").asLong()).isEqualTo(counted.size());

            // run again with another filter: the table is replaced whole
            String largest = expected.get(0).split(",")[0];
            String again = api.createJob("aggregate_dataset", "{\"group_by\": [\"country\"], \"filter\": {\"keyword_match\": "
                    + "{\"must\": {\"country\": [\"" + largest + "\"]}}}, \"table\": \"contacts_by_country\"}");
            assertThat(imports.awaitFinished(again).get("status").asText()).isEqualTo("completed");
            assertThat(database.queryStrings("SELECT country || ' ' || count FROM agg_contacts_by_country"))
                    .containsExactly(largest + " " + database.queryLong("SELECT count(*) FROM contacts WHERE country = ?", largest));
        }
    }

    @Test
    void anAggregationThatCannotRunIsRefusedAtCreateAndNothingIsWritten() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("aggregate-bad", database).start()) {
            JobsApi api = dromedary.api();
            StringBuilder hundred = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                hundred.append(i == 0 ? "" : ",").append("\"country\"");
            }
            List<List<String>> refusals = List.of(
                    List.of("{\"group_by\": [\"salary\"]}", "ERR_UNKNOWN_FIELD"),
                    List.of("{\"group_by\": [" + hundred + "]}", "ERR_INVALID_AGGREGATION"),
                    List.of("{\"group_by\": [\"country\"], \"aggregations\": {\"password\": [\"sum\"]}}", "ERR_UNKNOWN_FIELD"),
                    List.of("{\"group_by\": [\"country\"], \"aggregations\": {\"email\": [\"sum\"]}}", "ERR_INVALID_AGGREGATION"),
                    List.of("{\"group_by\": [\"country\"], \"table\": \"x\\\"; DROP TABLE jobs; --\"}", "ERR_INVALID_TABLE_NAME"),
                    List.of("{\"group_by\": [\"country\"], \"table\": \"public.jobs\"}", "ERR_INVALID_TABLE_NAME"),
                    List.of("{\"group_by\": [\"country\"], \"having\": \"count >= 1; DROP TABLE jobs\"}", "ERR_INVALID_AGGREGATION"),
                    List.of("{\"group_by\": [\"country\"], \"order\": \"(SELECT 1)\"}", "ERR_INVALID_AGGREGATION"),
                    List.of("{\"group_by\": [\"country\"], \"filter\": {\"range_query\": {\"must\": {\"secret\": {\"gte\": 1}}}}}",
                            "ERR_UNKNOWN_FIELD"),
                    List.of("{\"group_by\": [\"country\"], \"servise\": \"contact\"}", "ERR_UNKNOWN_FIELD"));
            for (List<String> refusal : refusals) {
                JobsApi.Response answer = api.create("{\"job_type\": \"aggregate_dataset\", \"job_data\": " + refusal.get(0) + "}");
                assertThat(answer.status()).as(refusal.get(0)).isEqualTo(400);
                assertThat(answer.error()).as(refusal.get(0)).startsWith(refusal.get(1) + ": ");
            }
            assertThat(database.queryLong("SELECT count(*) FROM jobs")).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'agg_%'")).isZero();
        }
    }

    /** The CSV writes a decimal as PostgreSQL's plain form without trailing zeros: 12.500000 is 12.5. */
    private static String plainDecimals(String line) {
        List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
        cells.set(4, new java.math.BigDecimal(cells.get(4)).stripTrailingZeros().toPlainString());
        return String.join(",", cells);
    }
}
