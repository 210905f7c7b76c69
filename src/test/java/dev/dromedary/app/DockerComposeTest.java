package dev.dromedary.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docker/compose.yaml as a user's {@code docker compose up} would take it, checked without a Docker engine: every
 * image pinned to a version and pullable by name today (no MinIO, whose images left Docker Hub), S3Proxy at the
 * embedded run's version, every dependency a service, every setting of a Dromedary service one that exists.
 */
class DockerComposeTest {

    private static final Pattern PINNED = Pattern.compile("[a-z0-9./_-]+:[0-9][A-Za-z0-9._-]*");

    /** Read by SnakeYAML, which resolves the merge keys (<<: *dromedary) as Compose does; Jackson's YAML does not. */
    private final JsonNode compose = new ObjectMapper().valueToTree(new org.yaml.snakeyaml.Yaml()
            .<Map<String, Object>>load(Files.readString(Path.of("docker/compose.yaml"))));

    DockerComposeTest() throws IOException {
    }

    @Test
    void everyImageIsPinnedToAVersionAndNoneIsMinio() {
        JsonNode services = compose.get("services");
        assertThat(services.size()).isGreaterThanOrEqualTo(6);
        for (Iterator<Map.Entry<String, JsonNode>> each = services.fields(); each.hasNext(); ) {
            Map.Entry<String, JsonNode> service = each.next();
            String image = service.getValue().path("image").asText();
            if (service.getValue().has("build")) {
                continue;
            }
            assertThat(image).as("the image of %s", service.getKey()).matches(PINNED).doesNotContainIgnoringCase("minio");
        }
    }

    @Test
    void theS3ServerIsS3ProxyAtTheVersionTheEmbeddedRunUses() throws IOException {
        Matcher version = Pattern.compile("<s3proxy.version>([^<]+)</s3proxy.version>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).isTrue();
        assertThat(compose.at("/services/s3/image").asText()).isEqualTo("andrewgaul/s3proxy:" + version.group(1));
        JsonNode api = compose.at("/services/api");
        assertThat(api.at("/environment/S3_ENDPOINT").asText()).isEqualTo("http://s3:9000");
        assertThat(api.at("/environment/S3_CREATE_BUCKET").asText()).isEqualTo("true");
        assertThat(api.at("/environment/AWS_ACCESS_KEY_ID").asText()).isEqualTo(compose.at("/services/s3/environment/S3PROXY_IDENTITY").asText());
        assertThat(api.at("/environment/AWS_SECRET_ACCESS_KEY").asText())
                .isEqualTo(compose.at("/services/s3/environment/S3PROXY_CREDENTIAL").asText());
    }

    @Test
    void everyDependencyIsAServiceAndEverySettingExists() throws IOException {
        Set<String> settings = Files.readAllLines(Path.of("application.properties")).stream()
                .map(String::strip).filter(line -> !line.startsWith("#") && line.contains("="))
                .map(line -> line.substring(0, line.indexOf('=')).strip()).collect(Collectors.toSet());
        JsonNode services = compose.get("services");
        int dromedaries = 0;
        for (Iterator<Map.Entry<String, JsonNode>> each = services.fields(); each.hasNext(); ) {
            Map.Entry<String, JsonNode> service = each.next();
            for (Iterator<String> dependencies = service.getValue().path("depends_on").fieldNames(); dependencies.hasNext(); ) {
                assertThat(services.has(dependencies.next())).as("a dependency of %s", service.getKey()).isTrue();
            }
            if (!service.getValue().has("build")) {
                continue;
            }
            dromedaries++;
            for (Iterator<String> names = service.getValue().path("environment").fieldNames(); names.hasNext(); ) {
                String name = names.next();
                assertThat(settings).as("a setting of %s", service.getKey()).contains(name);
            }
        }
        assertThat(dromedaries).as("api, first-time-runner and retry-runner").isEqualTo(3);
        assertThat(compose.at("/x-dromedary/environment/MANAGEMENT_BIND").asText())
                .as("the containers' health and metrics reach the published port and the healthcheck").isEqualTo("0.0.0.0");
    }
}
