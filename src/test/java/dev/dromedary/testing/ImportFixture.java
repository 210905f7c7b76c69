package dev.dromedary.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.samples.SampleCsv;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;

/** Puts CSV files into the test S3 server, runs insert_csv_file jobs, and reads what landed in Elasticsearch. */
public final class ImportFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final JobsApi api;
    private final String indexPrefix;

    /** For {@code dromedary} (null: only Elasticsearch is looked at) on {@code database} and its indices. */
    public ImportFixture(RunningDromedary dromedary, RealServices.TestDatabase database) {
        this.api = dromedary == null ? null : dromedary.api();
        this.indexPrefix = database.name() + "_";
    }

    public static String sample(String dataset, int rows, long seed) {
        StringWriter csv = new StringWriter();
        try {
            new SampleCsv(seed).write(dataset, rows, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return csv.toString();
    }

    public void upload(String key, String content) {
        upload(key, content.getBytes(StandardCharsets.UTF_8));
    }

    public void upload(String key, byte[] content) {
        try (var s3 = RealServices.s3Client()) {
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(key), RequestBody.fromBytes(content));
        }
    }

    /** Creates an insert_csv_file job for {@code key} and waits until it has finished; returns the job. */
    public JsonNode importAndWait(String key, String dataset) {
        return importAndWait(key, dataset, false);
    }

    /** As {@link #importAndWait(String, String)}; {@code force} imports an object imported unchanged before. */
    public JsonNode importAndWait(String key, String dataset, boolean force) {
        String uuid = api.createJob("insert_csv_file", "{\"s3_key\": \"" + key + "\", \"service\": \"" + dataset
                + "\", \"force\": " + force + "}");
        return awaitFinished(uuid);
    }

    public JsonNode awaitFinished(String uuid) {
        await().atMost(Duration.ofMinutes(3)).until(() -> List.of("completed", "failed").contains(api.status(uuid)));
        return api.job(uuid);
    }

    /** Waits until the job has ended for good: completed, cancelled, or failed with no retry to come. */
    public JsonNode awaitSettled(String uuid) {
        await().atMost(Duration.ofMinutes(5)).until(() -> {
            JsonNode job = api.job(uuid);
            String status = job.get("status").asText();
            return List.of("completed", "cancelled").contains(status) || status.equals("failed") && job.get("run_after").isNull();
        });
        return api.job(uuid);
    }

    public JobsApi api() {
        return api;
    }

    /** The name of the dataset's index in this test's cluster. */
    public String indexOf(String index) {
        return indexPrefix + index;
    }

    /** Documents in the dataset's index, once everything indexed so far is searchable. */
    public long documents(String index) {
        elasticsearch("POST", "/" + indexPrefix + index + "/_refresh");
        return elasticsearch("GET", "/" + indexPrefix + index + "/_count").get("count").asLong();
    }

    /** Documents in the dataset's index that a search finds now, without asking for a refresh first. */
    public long searchableDocuments(String index) {
        return elasticsearch("GET", "/" + indexPrefix + index + "/_count").get("count").asLong();
    }

    /** The refresh interval set on the dataset's index, or null when it has Elasticsearch's default. */
    public String refreshInterval(String index) {
        JsonNode settings = elasticsearch("GET", "/" + indexPrefix + index + "/_settings?flat_settings=true");
        JsonNode interval = settings.path(indexPrefix + index).path("settings").path("index.refresh_interval");
        return interval.isMissingNode() ? null : interval.asText();
    }

    /** The ids of the documents in the dataset's index (at most 10,000), once everything indexed is searchable. */
    public java.util.Set<String> documentIds(String index) {
        elasticsearch("POST", "/" + indexPrefix + index + "/_refresh");
        JsonNode hits = elasticsearch("POST", "/" + indexPrefix + index + "/_search",
                "{\"size\": 10000, \"_source\": false, \"track_total_hits\": true}").path("hits");
        if (hits.path("total").path("value").asLong() > 10_000) {
            throw new IllegalStateException(index + " holds more than 10,000 documents");
        }
        java.util.Set<String> ids = new java.util.TreeSet<>();
        hits.path("hits").forEach(hit -> ids.add(hit.path("_id").asText()));
        return ids;
    }

    /** The stored fields of one document, or null when there is none. */
    public JsonNode document(String index, String id) {
        JsonNode found = elasticsearch("GET", "/" + indexPrefix + index + "/_doc/" + id);
        return found.path("found").asBoolean() ? found.get("_source") : null;
    }

    /** Deletes these documents of the dataset's index (the test cluster has no delete-by-query). */
    public void deleteDocuments(String index, List<String> ids) {
        StringBuilder bulk = new StringBuilder();
        ids.forEach(id -> bulk.append("{\"delete\": {\"_id\": \"").append(id).append("\"}}\n"));
        JsonNode answer = elasticsearch("POST", "/" + indexPrefix + index + "/_bulk?refresh=true", bulk.toString());
        if (!answer.has("items")) {
            throw new IllegalStateException("documents of " + index + " not deleted: " + answer);
        }
    }

    private static JsonNode elasticsearch(String method, String path) {
        return elasticsearch(method, path, null);
    }

    /** A request to the test run's Elasticsearch, its answer as JSON. */
    public static JsonNode elasticsearch(String method, String path, String json) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(RealServices.elasticsearchUrl() + path));
            if (json == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
