package dev.dromedary.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.ServiceOutage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Health and Prometheus metrics on the management port, as an operator's probes and scraper see them. */
@ExtendWith(RealServices.class)
class ObservabilityIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void readinessFailsNamingEachServiceWhileItIsDownAndRecoversWhenItReturns() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String databaseName = URI.create(database.jdbcUrl().substring("jdbc:".length())).getPath();
        try (ServiceOutage elasticsearch = ServiceOutage.inFrontOf(RealServices.elasticsearchUrl());
             ServiceOutage s3 = ServiceOutage.inFrontOf(RealServices.s3Endpoint());
             ServiceOutage postgres = ServiceOutage.inFrontOf(database.jdbcUrl());
             RunningDromedary dromedary = RunningDromedary.named("health", database)
                     .with("ELASTICSEARCH_URL", elasticsearch.url())
                     .with("S3_ENDPOINT", s3.url())
                     .with("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + postgres.port() + databaseName)
                     .with("DATABASE_CONNECTION_TIMEOUT_SECONDS", 2)
                     .start()) {
            HttpResponse<String> ready = get(dromedary.managementUrl() + "/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(get(dromedary.managementUrl() + "/observe/health?exposureLevel=full").body())
                    .contains("{\"name\":\"postgresql\",\"status\":\"UP\"").contains("{\"name\":\"s3\",\"status\":\"UP\"")
                    .contains("{\"name\":\"elasticsearch\",\"status\":\"UP\"");

            for (var outage : List.of(Map.entry("elasticsearch", elasticsearch), Map.entry("s3", s3),
                    Map.entry("postgresql", postgres))) {
                outage.getValue().cut();
                // a connection from the pool waits DATABASE_CONNECTION_TIMEOUT_SECONDS for PostgreSQL before it says so
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        get(dromedary.managementUrl() + "/observe/health/ready").statusCode() == 503);
                HttpResponse<String> which = get(dromedary.managementUrl() + "/observe/health?exposureLevel=full");
                assertThat(which.statusCode()).isEqualTo(503);
                assertThat(which.body()).as(outage.getKey())
                        .contains("{\"name\":\"" + outage.getKey() + "\",\"status\":\"DOWN\"")
                        .contains(outage.getKey() + " does not answer");
                for (String other : List.of("elasticsearch", "s3", "postgresql")) {
                    if (!other.equals(outage.getKey())) {
                        assertThat(which.body()).contains("{\"name\":\"" + other + "\",\"status\":\"UP\"");
                    }
                }
                assertThat(get(dromedary.managementUrl() + "/observe/health/live").statusCode()).isEqualTo(200);

                outage.getValue().restore();
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        get(dromedary.managementUrl() + "/observe/health/ready").statusCode() == 200);
            }
        }
    }

    @Test
    void theJobAndRowCountersMoveDuringAnImport() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("metrics", database)
                .with("BATCH_SIZE_FOR_INSERTION", 200).with("METRICS_REFRESH_SECONDS", 1).start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("metrics/contacts.csv", ImportFixture.sample("contact", 12_000, 3));
            String metricsUrl = dromedary.managementUrl() + "/observe/metrics";
            String postgresRows = "dromedary_rows_written_total{dataset=\"contact\",sink=\"postgresql\"}";

            String uuid = dromedary.api().createJob("insert_csv_file", "{\"s3_key\": \"metrics/contacts.csv\"}");
            List<Double> seen = new ArrayList<>();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                double rows = value(get(metricsUrl).body(), postgresRows);
                if (seen.isEmpty() || rows != seen.get(seen.size() - 1)) {
                    seen.add(rows);
                }
                return rows == 12_000;
            });
            imports.awaitSettled(uuid);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    value(get(metricsUrl).body(), "dromedary_jobs{status=\"completed\"}") == 1);

            assertThat(seen).as("the row counter while the import ran").hasSizeGreaterThan(2).isSorted();
            String metrics = get(metricsUrl).body();
            assertThat(value(metrics, "dromedary_rows_written_total{dataset=\"contact\",sink=\"elasticsearch\"}")).isEqualTo(12_000);
            assertThat(value(metrics, "dromedary_jobs_started_total{job_type=\"insert_csv_file\"}")).isEqualTo(1);
            assertThat(value(metrics, "dromedary_jobs_completed_total{job_type=\"insert_csv_file\"}")).isEqualTo(1);
            assertThat(value(metrics, "dromedary_batch_seconds_count{dataset=\"contact\"}")).isEqualTo(60);
            assertThat(value(metrics, "dromedary_claim_seconds_count{runner=\"first_time\"}")).isPositive();
            // the import's time by stage: each stage that ran counted some (its sums are of the whole JVM: others' imports too)
            for (String stage : List.of("read", "map", "compare", "elasticsearch", "postgresql", "facets", "checkpoint")) {
                assertThat(value(metrics, "dromedary_import_stage_seconds_total{stage=\"" + stage + "\"}")).as(stage).isPositive();
            }
            // the queue is drained and no row failed: the gauges say so, rather than merely being there
            assertThat(metrics).containsPattern("(?m)^dromedary_queue_depth\\{runner=\"first_time\"\\} 0\\.0$")
                    .containsPattern("(?m)^dromedary_dead_letters_waiting(\\{[^}]*\\})? 0\\.0$")
                    .containsPattern("(?m)^camel_exchanges_total\\{[^}]*routeId=\"job-insert_csv_file\"[^}]*\\} 1\\.0$");
        }
    }

    /** The value of one sample line of a Prometheus scrape; 0 when there is none yet. */
    private static double value(String scrape, String series) {
        Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    /** A GET of the management port; the health checks' details need the key, and it is sent to every URL. */
    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", RunningDromedary.API_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
