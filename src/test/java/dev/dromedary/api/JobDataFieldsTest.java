package dev.dromedary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job_data fields each route file declares are the fields the OpenAPI document shows for its job type, no more
 * and no fewer (what the API refuses as ERR_UNKNOWN_FIELD is what the document leaves out).
 */
class JobDataFieldsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<?>> SCHEMAS = Map.of(
            "insert_csv_file", ApiSchemas.InsertCsvFileData.class,
            "export_csv_file", ApiSchemas.ExportCsvFileData.class,
            "ingest_database", ApiSchemas.IngestDatabaseData.class,
            "ingest_http_api", ApiSchemas.IngestHttpApiData.class,
            "watch_url", ApiSchemas.WatchUrlData.class,
            "dataset_statistics", ApiSchemas.DatasetStatisticsData.class,
            "aggregate_dataset", ApiSchemas.AggregateDatasetData.class);

    @Test
    void everyJobTypesDeclaredFieldsAreTheFieldsItsSchemaShows() throws IOException {
        Map<String, Set<String>> declared = declared();
        assertThat(declared.keySet()).containsAll(SCHEMAS.keySet()).contains("noop", "reprocess_dead_letters");
        org.assertj.core.api.SoftAssertions each = new org.assertj.core.api.SoftAssertions();
        for (Map.Entry<String, Class<?>> schema : SCHEMAS.entrySet()) {
            Set<String> shown = Arrays.stream(schema.getValue().getRecordComponents()).map(RecordComponent::getName)
                    .map(JobDataFieldsTest::snake).filter(name -> !name.equals("notify_url")).collect(Collectors.toCollection(TreeSet::new));
            Set<String> fields = new TreeSet<>(declared.get(schema.getKey()));
            fields.remove("partition");
            each.assertThat(fields).as(schema.getKey()).isEqualTo(shown);
        }
        each.assertAll();
    }

    private static Map<String, Set<String>> declared() throws IOException {
        Map<String, Set<String>> declared = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".camel.yaml")).toList()) {
                for (JsonNode element : YAML.readTree(file.toFile())) {
                    for (JsonNode bean : element.path("beans")) {
                        if (bean.path("type").asText().equals("dev.dromedary.jobs.JobDataFields")) {
                            declared.put(bean.at("/properties/jobType").asText(), Arrays.stream(bean.at("/properties/fields").asText()
                                    .split(",")).map(String::strip).collect(Collectors.toSet()));
                        }
                    }
                }
            }
        }
        return declared;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }
}
