package dev.dromedary.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/prometheus/alerts.yml: every rule is whole, and every metric it names is one Dromedary registers. */
class PrometheusRulesTest {

    private static final Pattern METRIC_IN_RULE = Pattern.compile("\\b(dromedary_[a-z_]+)");
    private static final Pattern METRIC_IN_CODE = Pattern.compile("builder\\(\"(dromedary\\.[a-z.]+)\"");

    @Test
    void everyRuleNamesMetricsDromedaryServes() throws Exception {
        Set<String> served = new TreeSet<>();
        Matcher registered = METRIC_IN_CODE.matcher(Files.readString(Path.of("src/main/java/dev/dromedary/observe/JobMetrics.java"))
                .replace("counter(\"", "Counter.builder(\""));
        while (registered.find()) {
            String name = registered.group(1).replace('.', '_');
            served.add(name);
            served.add(name + "_total");
        }
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker/prometheus/alerts.yml").toFile())
                .at("/groups/0/rules");

        assertThat(rules).hasSizeGreaterThanOrEqualTo(5);
        for (JsonNode rule : rules) {
            assertThat(rule.path("alert").asText()).startsWith("Dromedary");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
            Matcher named = METRIC_IN_RULE.matcher(rule.path("expr").asText());
            while (named.find()) {
                assertThat(served).as("%s in %s", named.group(1), rule.path("alert").asText()).contains(named.group(1));
            }
        }
    }
}
