package dev.dromedary.testing;

import dev.dromedary.app.DromedaryApplication;
import dev.dromedary.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * A Dromedary instance started in the test JVM the way {@code ./dromedary} starts one, against the
 * {@link RealServices}, with the test job types of {@code src/test/resources/test-routes} loaded too.
 */
public final class RunningDromedary implements AutoCloseable {

    public static final String API_KEY = "test-api-key";
    public static final String SECOND_API_KEY = "another-test-api-key";

    private final DromedaryApplication application;
    private final int port;

    private RunningDromedary(DromedaryApplication application, int port) {
        this.application = application;
        this.port = port;
    }

    /** An instance called {@code instanceId} on {@code database}. */
    public static Builder named(String instanceId, RealServices.TestDatabase database) {
        return new Builder(instanceId, database);
    }

    public JobsApi api() {
        return apiAt("http://localhost:" + port, API_KEY);
    }

    /** The jobs API of a Dromedary that this test did not start in its own JVM. */
    public static JobsApi apiAt(String baseUrl, String apiKey) {
        return new JobsApi(baseUrl, apiKey);
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** Where /observe/health and /observe/metrics answer. */
    /**
     * The resource a test holds while a Dromedary in this JVM runs schedules: Quartz keeps one scheduler per name in a
     * JVM, and every instance's is named dromedary (the name that joins instances into one cluster in the database),
     * so two in one JVM would fire each other's jobs. In production a JVM runs one instance.
     */
    public static final String SCHEDULER = "the Quartz scheduler named dromedary";

    public String managementUrl() {
        return "http://localhost:" + application.context().resolvePropertyPlaceholders("{{MANAGEMENT_PORT}}");
    }

    public CamelContext context() {
        return application.context();
    }

    @Override
    public void close() {
        application.close();
    }

    /**
     * The settings of an instance {@code instanceId} on the test run's PostgreSQL ({@code database}), S3 server
     * and Elasticsearch (with indices named after the database), with the test API keys: for an instance in
     * this JVM and for a {@code ./dromedary} process alike.
     */
    public static Map<String, String> onTestServices(String instanceId, RealServices.TestDatabase database) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("INSTANCE_ID", instanceId);
        settings.put("DATABASE_URL", database.jdbcUrl());
        settings.put("DATABASE_USER", EmbeddedPostgresServer.USER);
        settings.put("DATABASE_PASSWORD", EmbeddedPostgresServer.PASSWORD);
        settings.put("API_KEYS", API_KEY + "," + SECOND_API_KEY);
        settings.put("S3_ENDPOINT", RealServices.s3Endpoint());
        settings.put("AWS_ACCESS_KEY_ID", RealServices.ACCESS_KEY);
        settings.put("AWS_SECRET_ACCESS_KEY", RealServices.SECRET_KEY);
        settings.put("S3_BUCKET", RealServices.BUCKET);
        settings.put("ELASTICSEARCH_URL", RealServices.elasticsearchUrl());
        settings.put("ELASTICSEARCH_INDEX_PREFIX", database.name() + "_");
        // each test database has an inbox of its own in the shared bucket: no instance files another test's objects
        settings.put("INBOX_PREFIX", database.name() + "/incoming/");
        settings.put("INBOX_PROCESSED_PREFIX", database.name() + "/processed/");
        settings.put("INBOX_FAILED_PREFIX", database.name() + "/failed/");
        settings.put("TICKER_INTERVAL_SECONDS", "0.2");
        settings.put("DATA_DIR", "target/test-data/" + instanceId);
        return settings;
    }

    public static final class Builder {

        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, Object> beans = new LinkedHashMap<>();

        private Builder(String instanceId, RealServices.TestDatabase database) {
            settings.putAll(onTestServices(instanceId, database));
            settings.put("camel.main.routes-include-pattern",
                    "file:routes/*.camel.yaml,classpath:test-routes/*.camel.yaml");
            beans.put("gate", new Gate());
            beans.put("runLedger", new RunLedger());
            beans.put("stuckRun", new StuckRun());
        }

        public Builder with(String setting, Object value) {
            settings.put(setting, String.valueOf(value));
            return this;
        }

        public Builder bind(String name, Object bean) {
            beans.put(name, bean);
            return this;
        }

        public RunningDromedary start() throws Exception {
            int port = freePort();
            settings.putIfAbsent("HTTP_PORT", String.valueOf(port));
            settings.putIfAbsent("MANAGEMENT_PORT", String.valueOf(freePort()));
            DromedaryApplication application = new DromedaryApplication(settings);
            beans.forEach(application::bind);
            application.start();
            return new RunningDromedary(application, Integer.parseInt(settings.get("HTTP_PORT")));
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
