package dev.dromedary.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.SinkContents;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * dataset_statistics over an imported 20,000-row file: every figure of every column, and the reports written to
 * S3, against what the test computes from the file itself.
 */
@ExtendWith(RealServices.class)
class DatasetStatisticsIT {

    private static final int ROWS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TEXT = List.of("first_name", "last_name", "title", "company_name");
    private static final List<String> NUMBERS = List.of("employees_count", "annual_revenue");
    private static final List<String> KEYWORDS = List.of("email", "company_domain", "industry", "country", "state", "city",
            "linkedin_url", "phone", "seniority", "department");

    @Test
    void everyFigureOfEveryColumnIsWhatTheFileHolds() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String csv = ImportFixture.sample("contact", ROWS, 77);
        List<CSVRecord> records = SinkContents.parse(csv);
        try (RunningDromedary dromedary = RunningDromedary.named("statistics", database).start()) {
            ImportFixture fixture = new ImportFixture(dromedary, database);
            fixture.upload("statistics/contacts.csv", csv);
            JsonNode imported = fixture.importAndWait("statistics/contacts.csv", "contact");
            assertThat(imported.at("/job_response/rows_imported").asLong()).as("%s", imported).isEqualTo(ROWS);
            org.awaitility.Awaitility.await().until(() -> fixture.searchableDocuments("contacts") == ROWS);

            String uuid = dromedary.api().createJob("dataset_statistics", "{\"service\": \"contact\"}");
            JsonNode job = fixture.awaitFinished(uuid);
            assertThat(job.get("status").asText()).as("%s", job).isEqualTo("completed");
            JsonNode statistics = job.get("job_response");
            assertThat(statistics.get("rows").asLong()).isEqualTo(ROWS);
            Map<String, JsonNode> columns = new TreeMap<>();
            statistics.get("columns").forEach(column -> columns.put(column.get("name").asText(), column));
            assertThat(columns).hasSize(19);

            for (Map.Entry<String, JsonNode> entry : columns.entrySet()) {
                String name = entry.getKey();
                JsonNode figures = entry.getValue();
                List<String> values = records.stream().map(record -> record.get(name)).filter(value -> !value.isEmpty()).toList();
                assertThat(figures.get("count").asLong()).as(name).isEqualTo(values.size());
                assertThat(figures.get("empty").asLong()).as(name).isEqualTo(ROWS - values.size());
                assertThat(figures.get("distinct").asLong()).as(name).isEqualTo(new HashSet<>(values).size());
                assertThat(figures.get("distinct_exact").asBoolean()).as(name).isTrue();
                assertThat(figures.at("/quality/completeness/score").asDouble()).as(name)
                        .isCloseTo((double) values.size() / ROWS, within(1e-6));
                assertThat(figures.at("/quality/validity/score").asDouble()).as(name).isEqualTo(1.0);
                if (NUMBERS.contains(name) || name.equals("created_at")) {
                    List<Double> numbers = values.stream().map(value -> name.equals("created_at")
                            ? (double) ((OffsetDateTime) ColumnType.DATE.parse(value)).toInstant().toEpochMilli()
                            : Double.parseDouble(value)).sorted().toList();
                    double mean = numbers.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                    if (name.equals("created_at")) {
                        assertThat(instant(figures, "min")).isEqualTo(numbers.get(0));
                        assertThat(instant(figures, "max")).isEqualTo(numbers.get(numbers.size() - 1));
                        assertThat(instant(figures, "median")).as(name).isCloseTo(percentile(numbers, 0.5), within(1.0));
                        assertThat(instant(figures, "p90")).as(name).isCloseTo(percentile(numbers, 0.9), within(1.0));
                        assertThat(instant(figures, "mean")).as(name).isCloseTo(mean, within(1.0));
                    } else {
                        assertThat(figures.get("min").asDouble()).as(name).isEqualTo(numbers.get(0));
                        assertThat(figures.get("max").asDouble()).as(name).isEqualTo(numbers.get(numbers.size() - 1));
                        assertThat(figures.get("mean").asDouble()).as(name).isCloseTo(mean, within(1e-3));
                        assertThat(figures.get("median").asDouble()).as(name).isCloseTo(percentile(numbers, 0.5), within(1e-6));
                        assertThat(figures.get("p90").asDouble()).as(name).isCloseTo(percentile(numbers, 0.9), within(1e-6));
                    }
                }
                if (KEYWORDS.contains(name)) {
                    Map<String, Long> counts = values.stream().collect(Collectors.groupingBy(value -> value, Collectors.counting()));
                    List<Map.Entry<String, Long>> top = counts.entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                            .limit(20).toList();
                    List<String> expected = new ArrayList<>();
                    top.forEach(value -> expected.add(value.getKey() + "=" + value.getValue()));
                    List<String> actual = new ArrayList<>();
                    figures.get("top_values").forEach(value -> actual.add(value.get("value").asText() + "=" + value.get("count").asLong()));
                    assertThat(actual).as(name).containsExactlyElementsOf(expected);
                }
                if (TEXT.contains(name) || KEYWORDS.contains(name)) {
                    List<Integer> lengths = values.stream().map(value -> value.codePointCount(0, value.length())).toList();
                    assertThat(figures.at("/length/min").asLong()).as(name).isEqualTo((long) lengths.stream().min(Comparator.naturalOrder()).orElseThrow());
                    assertThat(figures.at("/length/max").asLong()).as(name).isEqualTo((long) lengths.stream().max(Comparator.naturalOrder()).orElseThrow());
                    assertThat(figures.at("/length/mean").asDouble()).as(name)
                            .isCloseTo(lengths.stream().mapToInt(Integer::intValue).average().orElseThrow(), within(1e-6));
                }
            }
            assertThat(statistics.at("/quality/key_uniqueness/score").asDouble()).isEqualTo(1.0);
            assertThat(statistics.at("/quality/score").asDouble()).isCloseTo(columns.values().stream()
                    .mapToDouble(column -> column.at("/quality/score").asDouble()).average().orElseThrow(), within(1e-5));
            assertThat(statistics.at("/quality/rule").asText()).isNotBlank();

            try (var s3 = RealServices.s3Client()) {
                JsonNode report = JSON.readTree(s3.getObjectAsBytes(get -> get.bucket(RealServices.BUCKET)
                        .key(statistics.at("/report/json").asText())).asByteArray());
                assertThat(report.get("rows").asLong()).isEqualTo(ROWS);
                assertThat(report.get("columns")).isEqualTo(statistics.get("columns"));
                var html = s3.getObjectAsBytes(get -> get.bucket(RealServices.BUCKET).key(statistics.at("/report/html").asText()));
                assertThat(html.response().contentType()).startsWith("text/html");
                assertThat(html.asUtf8String()).contains("<svg").contains("Top values of country").doesNotContain("<script");
            }

            long usa = records.stream().filter(record -> record.get("country").equals("USA")).count();
            String filtered = dromedary.api().createJob("dataset_statistics", "{\"service\": \"contact\", \"columns\": "
                    + "[\"country\", \"employees_count\"], \"where\": {\"keyword_match\": {\"must\": {\"country\": [\"USA\"]}}}}");
            JsonNode only = fixture.awaitFinished(filtered).get("job_response");
            assertThat(only.get("rows").asLong()).isEqualTo(usa).isPositive();
            assertThat(only.at("/columns/0/top_values/0/value").asText()).isEqualTo("USA");
            assertThat(only.at("/columns/0/distinct").asLong()).isEqualTo(1);
            assertThat(only.get("columns")).hasSize(2);
        }
    }

    /** As PostgreSQL's percentile_cont over sorted values. */
    private static double percentile(List<Double> sorted, double p) {
        double position = (sorted.size() - 1) * p;
        int low = (int) Math.floor(position);
        int high = (int) Math.ceil(position);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (position - low);
    }

    private static double instant(JsonNode figures, String name) {
        return java.time.Instant.parse(figures.get(name).asText()).toEpochMilli();
    }
}
