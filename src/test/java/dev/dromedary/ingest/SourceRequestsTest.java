package dev.dromedary.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dromedary.jobs.AllowedUrls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ingest_database and ingest_http_api jobs may ask for, checked before anything runs. */
class SourceRequestsTest {

    @Test
    void aQueryIsOneSelectOrWithStatement() {
        assertThat(SelectStatement.check("SELECT * FROM people;")).isEqualTo("SELECT * FROM people");
        assertThat(SelectStatement.check("  -- the people\n with p AS (SELECT 1) SELECT * FROM p")).startsWith("-- the people");
        assertThat(SelectStatement.check("(SELECT 1)")).isEqualTo("(SELECT 1)");
        assertThat(SelectStatement.check("SELECT ';' AS a, \"x;y\" FROM t WHERE b = $q$;$q$ /* ; */")).contains("/* ; */");
        assertThatThrownBy(() -> SelectStatement.check("SELECT 1; DROP TABLE people")).hasMessageContaining("more than one statement");
        assertThatThrownBy(() -> SelectStatement.check("DELETE FROM people")).hasMessageContaining("not DELETE");
        assertThatThrownBy(() -> SelectStatement.check("/* SELECT */ UPDATE t SET a = 1")).hasMessageContaining("not UPDATE");
        assertThatThrownBy(() -> SelectStatement.check("SELECT 'never closed")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> SelectStatement.check(" ")).hasMessageContaining("required");
    }

    @Test
    void aDatabaseJobNamesASourceOfTheSettingsAndBoundedSizes() {
        DatabaseIngest.check(Map.of("source", "crm", "query", "SELECT 1", "fetch_size", 500, "params", List.of(1, "a")));
        assertThatThrownBy(() -> DatabaseIngest.check(Map.of("source", "../crm", "query", "SELECT 1")))
                .hasMessageContaining("job_data.source");
        assertThatThrownBy(() -> DatabaseIngest.check(Map.of("source", "crm", "query", "SELECT 1", "fetch_size", 1_000_000)))
                .hasMessageContaining("fetch_size");
        assertThatThrownBy(() -> DatabaseIngest.check(Map.of("source", "crm", "query", "SELECT 1", "params", List.of(Map.of()))))
                .hasMessageContaining("a parameter is");
    }

    @Test
    void anApiJobMayNameSecretsButNoOtherSettingAndNoHeaderTheServerSets() {
        ApiJob job = ApiJob.of(Map.of("url", "https://api.example.com/v1/contacts", "headers",
                Map.of("Authorization", "Bearer {{secret:CRM_TOKEN}}"), "pagination", Map.of("type", "offset", "page_size", 50)), 10);
        assertThat(job.method()).isEqualTo("GET");
        assertThat(job.rateLimit()).isEqualTo(10);
        assertThat(job.pagination().sizeParam()).isEqualTo("limit");
        assertThatThrownBy(() -> ApiJob.of(Map.of("url", "https://api.example.com/?k={{env:AWS_SECRET_ACCESS_KEY}}"), 10))
                .hasMessageContaining("{{");
        assertThatThrownBy(() -> ApiJob.of(Map.of("url", "https://api.example.com/", "headers",
                Map.of("X-Key", "{{DATABASE_PASSWORD}}")), 10)).hasMessageContaining("no other setting");
        assertThatThrownBy(() -> ApiJob.of(Map.of("url", "https://api.example.com/", "headers", Map.of("Host", "internal")), 10))
                .hasMessageContaining("may not set 'Host'");
        assertThatThrownBy(() -> ApiJob.of(Map.of("url", "https://api.example.com/", "headers", Map.of("X-A", "a\r\nX-B: b")), 10))
                .hasMessageContaining("on one line");
        assertThatThrownBy(() -> ApiJob.of(Map.of("url", "https://api.example.com/", "rate_limit", 1000), 10))
                .hasMessageContaining("rate_limit");
        assertThatThrownBy(() -> ApiJob.of(Map.of("url", "https://api.example.com/", "pagination", Map.of("type", "scroll")), 10))
                .hasMessageContaining("page, offset, cursor or link");
    }

    @Test
    void onlyAddressesUnderAnAllowedPrefixAreFetched() {
        AllowedUrls allowed = new AllowedUrls("HTTP_SOURCES_ALLOWED", List.of("https://api.example.com/v1/"));
        assertThat(allowed.allows("https://api.example.com/v1/contacts?page=2")).isTrue();
        assertThat(allowed.allows("https://API.example.com:443/v1/contacts")).isTrue();
        assertThat(allowed.allows("https://api.example.com/v1/../admin")).isFalse();
        assertThat(allowed.allows("https://api.example.com/v2/contacts")).isFalse();
        assertThat(allowed.allows("https://api.example.com.evil.net/v1/")).isFalse();
        assertThat(allowed.allows("https://user@api.example.com/v1/")).isFalse();
        assertThat(allowed.allows("http://api.example.com/v1/")).isFalse();
        assertThat(allowed.allows("http://169.254.169.254/latest/meta-data/")).isFalse();
        assertThat(new AllowedUrls("HTTP_SOURCES_ALLOWED", List.of()).refusal("job_data.url", "https://a.example/"))
                .contains("HTTP_SOURCES_ALLOWED is empty");
    }

    @Test
    void theNextPageOfALinkHeaderAndTheWaitOfARetryAfter() {
        assertThat(HttpApiIngest.nextLink("<https://api.example.com/v1/c?page=1>; rel=\"prev\", </v1/c?page=3>; rel=\"next\"",
                "https://api.example.com/v1/c?page=2")).isEqualTo("https://api.example.com/v1/c?page=3");
        assertThat(HttpApiIngest.nextLink("<https://api.example.com/v1/c?page=1>; rel=\"prev\"", "https://api.example.com/")).isNull();
        assertThat(HttpApiIngest.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(HttpApiIngest.retryAfter(null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(HttpApiIngest.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(HttpApiIngest.retryAfter("soon")).isEqualTo(Duration.ofSeconds(1));
    }
}
