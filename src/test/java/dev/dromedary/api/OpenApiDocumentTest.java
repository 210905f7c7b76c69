package dev.dromedary.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.dromedary.testing.RouteFiles;
import dev.dromedary.testing.RouteTest;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.openapi.RestOpenApiProcessor;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document made from routes/*-api.camel.yaml: every endpoint with its answers and the ERR_ codes the
 * API can answer, and the guide's example requests valid against its schemas (and a bad one not).
 */
class OpenApiDocumentTest extends RouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ERR_CODE = Pattern.compile("\"(ERR_[A-Z0-9_]*[A-Z0-9])[:\"]");

    private String document;
    private OpenAPI api;

    @BeforeEach
    void render() throws Exception {
        RestOpenApiProcessor renderer = OpenApiDocument.renderer(context);
        ServiceHelper.startService(renderer);
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/common/openapi.json");
        renderer.process(exchange);
        document = exchange.getMessage().getBody(String.class);
        ParseOptions resolveAll = new ParseOptions();
        resolveAll.setResolveFully(true);
        api = new OpenAPIV3Parser().readContents(document, null, resolveAll).getOpenAPI();
    }

    @Test
    void everyEndpointOfTheRouteFilesIsDescribedWithItsAnswersAndTheKey() {
        assertThat(api.getInfo().getTitle()).isEqualTo("Dromedary jobs API");
        assertThat(api.getComponents().getSecuritySchemes().get("ApiKey").getName()).isEqualTo("X-API-Key");
        assertThat(api.getSecurity()).anyMatch(requirement -> requirement.containsKey("ApiKey"));
        int verbs = 0;
        for (RestDefinition rest : ((ModelCamelContext) context).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                verbs++;
                String path = rest.getPath() + (verb.getPath() == null ? "" : verb.getPath());
                PathItem item = api.getPaths().get(path);
                assertThat(item).as(path).isNotNull();
                Operation operation = item.readOperationsMap().get(PathItem.HttpMethod.valueOf(verb.asVerb().toUpperCase()));
                assertThat(operation).as(verb.asVerb() + " " + path).isNotNull();
                assertThat(operation.getSummary()).as(path).isNotBlank();
                assertThat(operation.getResponses()).as(path).containsKey("401");
                assertThat(operation.getResponses().keySet()).as(path).anyMatch(code -> code.startsWith("2"));
            }
        }
        assertThat(verbs).isGreaterThanOrEqualTo(16);
        assertThat(api.getPaths().get("/common/jobs/create").getPost().getRequestBody().getContent()
                .get("application/json").getSchema().getProperties()).containsKeys("job_type", "job_data", "retry_count",
                "idempotency_key", "priority", "queue", "timeout_seconds", "depends_on");
    }

    @Test
    void everyErrorCodeTheApiAnswersIsInTheDocument() throws IOException {
        Set<String> codes = new TreeSet<>();
        try (Stream<Path> sources = Stream.concat(Files.list(Path.of("src/main/java/dev/dromedary/api")),
                Stream.of(Path.of("src/main/java/dev/dromedary/inbox/S3Inbox.java"),
                        Path.of("src/main/java/dev/dromedary/processing/InvalidRule.java"),
                        Path.of("src/main/java/dev/dromedary/analysis/AggregationPlan.java"),
                        Path.of("src/main/java/dev/dromedary/watch/WatchJob.java"),
                        Path.of("src/main/java/dev/dromedary/watch/Selector.java")))) {
            for (Path source : sources.toList()) {
                Matcher code = ERR_CODE.matcher(Files.readString(source));
                while (code.find()) {
                    codes.add(code.group(1));
                }
            }
        }
        assertThat(codes).contains("ERR_MISSING_JOB_TYPE", "ERR_UNAUTHORIZED", "ERR_INVALID_DEPENDENCY", "ERR_INVALID_RULE",
                "ERR_INVALID_AGGREGATION", "ERR_INVALID_TABLE_NAME");
        assertThat(codes).allSatisfy(code -> assertThat(document).as(code).contains(code));
    }

    @Test
    void theGuidesExampleRequestsFitTheDocumentAndABadOneDoesNot() throws IOException {
        JsonNode examples = JSON.readTree(Path.of("src/test/resources/openapi/guide-requests.json").toFile());
        assertThat(examples).hasSizeGreaterThanOrEqualTo(9);
        for (JsonNode example : examples) {
            String where = example.get("method").asText() + " " + example.get("path").asText() + " (guide line "
                    + example.get("guide_line") + ")";
            PathItem item = api.getPaths().get(example.get("path").asText());
            assertThat(item).as(where).isNotNull();
            Operation operation = item.readOperationsMap().get(PathItem.HttpMethod.valueOf(example.get("method").asText()));
            assertThat(operation).as(where).isNotNull();
            if (example.has("body")) {
                assertThat(violations(operation, example.get("body"))).as(where).isEmpty();
            }
            if (example.has("query")) {
                for (String pair : example.get("query").asText().split("&")) {
                    String name = pair.split("=")[0];
                    assertThat(operation.getParameters()).as(where).anyMatch(parameter -> parameter.getName().equals(name));
                }
            }
        }

        Operation create = api.getPaths().get("/common/jobs/create").getPost();
        assertThat(violations(create, JSON.readTree("{\"job_type\": \"insert_csv_file\", \"job_data\": {\"s3_key\": \"a.csv\"}, "
                + "\"retry_count\": -1, \"owner\": \"me\"}")))
                .anyMatch(message -> message.contains("retry_count")).anyMatch(message -> message.contains("owner"));
        Operation list = api.getPaths().get("/common/jobs").getPost();
        assertThat(violations(list, JSON.readTree("{\"status\": [\"done\"], \"limit\": 500}")))
                .anyMatch(message -> message.contains("status")).anyMatch(message -> message.contains("limit"));
    }

    private static Set<String> violations(Operation operation, JsonNode body) {
        JsonNode schema = Json.mapper().valueToTree(operation.getRequestBody().getContent().get("application/json").getSchema());
        Set<String> messages = new TreeSet<>();
        for (ValidationMessage message : JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema).validate(body)) {
            messages.add(message.getMessage());
        }
        return messages;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("API_MAX_BODY_BYTES", "1000000");
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("routes"))) {
            return RouteFiles.load(context, files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith("-api.camel.yaml")).sorted().toArray(String[]::new)).toArray(RoutesBuilder[]::new);
        }
    }
}
