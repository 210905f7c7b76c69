package dev.dromedary.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The jobs API as a client sees it over HTTP: every call a real request with {@link java.net.http.HttpClient}. */
public final class JobsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String apiKey;

    JobsApi(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    public JobsApi withKey(String key) {
        return new JobsApi(baseUrl, key);
    }

    public Response create(String body) {
        return post("/common/jobs/create", body);
    }

    /** Creates a job and returns its uuid, failing the test if the API does not answer 201. */
    public String createJob(String jobType, String jobData) {
        Response response = create("{\"job_type\":\"" + jobType + "\",\"job_data\":" + jobData + "}");
        if (response.status() != 201) {
            throw new AssertionError("create answered " + response.status() + ": " + response.body());
        }
        return response.body().get("uuid").asText();
    }

    public Response list(String body) {
        return post("/common/jobs", body);
    }

    public Response get(String uuid) {
        return send(request("/common/jobs/" + uuid).GET());
    }

    /** The job as {@code GET /common/jobs/{uuid}} shows it. */
    public JsonNode job(String uuid) {
        Response response = get(uuid);
        if (response.status() != 200) {
            throw new AssertionError("get answered " + response.status() + ": " + response.body());
        }
        return response.body().get("data");
    }

    public String status(String uuid) {
        return job(uuid).get("status").asText();
    }

    public Response retry(String uuid) {
        return post("/common/jobs/" + uuid + "/retry", "");
    }

    public Response cancel(String uuid) {
        return post("/common/jobs/" + uuid + "/cancel", "");
    }

    public Response post(String path, String body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? null : JSON.readTree(response.body());
            return new Response(response.statusCode(), body, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        return apiKey == null ? builder : builder.header("X-API-Key", apiKey);
    }

    public record Response(int status, JsonNode body, HttpHeaders headers) {

        public String error() {
            return body.get("error").asText();
        }
    }
}
