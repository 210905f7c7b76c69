package dev.dromedary.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.AlertReceiver;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * watch_url against a real HTTP server whose pages the test edits between runs: a page's table watched as text
 * (a baseline, an unchanged run, a 304, then exactly the rows that changed as a diff), the same table landed as rows
 * in mirror mode (PostgreSQL and Elasticsearch end with the page's rows), a JSON API by JSON path, and the failures
 * that must never read as removed content: a 429 waited out, a 500 asked again, a redirect to a forbidden address,
 * 50 MB bodies, a selector that matches nothing, two runs of one watch at once; the change alerted once in Slack's
 * format; hostile job data refused at create.
 */
@ExtendWith(RealServices.class)
class WatchUrlIT {

    private static final String EMBASSIES = """
            <html><head><title>Embassies</title><script>var t = Date.now();</script></head><body>
            <h1>Embassies in Ireland</h1>
            <p>Updated %s</p>
            <table id="embassies">
              <tr><th>Country</th><th>City</th><th>Address</th></tr>
              %s
            </table>
            <footer>Contact us</footer>
            </body></html>""";

    @Test
    void aWatchDetectsExactlyTheChangeAndItsRowsLandAsThePageHoldsThem() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        String nobodyListens = "http://localhost:" + RunningDromedary.freePort() + "/";
        try (WatchedSite site = new WatchedSite();
             AlertReceiver slack = new AlertReceiver();
             RunningDromedary dromedary = RunningDromedary.named("watch", database)
                     .with("HTTP_SOURCES_ALLOWED", site.base() + "," + nobodyListens)
                     .with("ALERTS_FILE", alertRules(database, slack))
                     .with("ALERTS_INTERVAL_SECONDS", "1")
                     .with("ALERT_NOTICES_POLL_MILLIS", "200")
                     .with("DATASETS_DIRS", "datasets,examples/datasets")
                     .with("REDELIVERY_DELAY_MS", "200")
                     .with("WATCH_MAX_BYTES", "1048576")
                     .start()) {
            JobsApi api = dromedary.api();
            ImportFixture fixture = new ImportFixture(dromedary, database);

            site.pages.put("embassies.html", page("09:00", row("France", "Dublin 4", "66 Fitzwilliam Lane"),
                    row("Germany", "Dublin 4", "31 Trimleston Avenue"), row("Japan", "Dublin 4", "Nutley Building")));
            String text = """
                    {"watch": "embassies", "url": "%sembassies.html", "select": {"css": "table#embassies"},
                     "ignore": ["^Updated .*"]}""".formatted(site.base());
            JsonNode baseline = settled(fixture, api.createJob("watch_url", text));
            assertThat(baseline.at("/job_response/changed").asBoolean()).isFalse();
            assertThat(baseline.at("/job_response/lines").asInt()).as("the header row and three embassies").isEqualTo(4);
            assertThat(baseline.at("/job_response/previous_at").isNull()).isTrue();
            assertThat(site.requestsTo("embassies.html").get(0).userAgent()).contains("Dromedary");

            site.pages.put("embassies.html", page("10:00", row("France", "Dublin 4", "66 Fitzwilliam Lane"),
                    row("Germany", "Dublin 4", "31 Trimleston Avenue"), row("Japan", "Dublin 4", "Nutley Building")));
            JsonNode sameTable = settled(fixture, api.createJob("watch_url", text.replace("table#embassies", "body")
                    .replace("\"embassies\"", "\"embassies-page\"")));
            assertThat(sameTable.at("/job_response/lines").asInt()).as("the heading, the table and the footer; the Updated line ignored")
                    .isEqualTo(6);
            JsonNode unchanged = settled(fixture, api.createJob("watch_url", text));
            assertThat(unchanged.at("/job_response/changed").asBoolean()).as("only the time changed, and only outside the table").isFalse();
            assertThat(unchanged.at("/job_response/previous_at").asText()).isEqualTo(baseline.at("/job_response/snapshot_at").asText());
            JsonNode notModified = settled(fixture, api.createJob("watch_url", text));
            assertThat(notModified.at("/job_response/not_modified").asBoolean()).as("the ETag it was sent matched: a 304").isTrue();
            assertThat(site.requestsTo("embassies.html")).extracting(WatchedSite.Request::status).endsWith(200, 304);

            site.pages.put("embassies.html", page("11:00", row("Germany", "Dublin 4", "31 Trimleston Avenue"),
                    row("Japan", "Dublin 4", "Nutley Building"), row("Norway", "Dublin 2", "34 Molesworth Street")));
            JsonNode changed = settled(fixture, api.createJob("watch_url", text));
            JsonNode response = changed.get("job_response");
            assertThat(response.get("changed").asBoolean()).isTrue();
            assertThat(response.get("notify").asBoolean()).isTrue();
            assertThat(response.get("lines_added").asInt()).isEqualTo(1);
            assertThat(response.get("lines_removed").asInt()).isEqualTo(1);
            assertThat(response.get("diff").asText()).contains("-France | Dublin 4 | 66 Fitzwilliam Lane")
                    .contains("+Norway | Dublin 2 | 34 Molesworth Street").doesNotContain("+Germany").doesNotContain("Updated");
            assertThat(response.get("previous_at").asText()).isEqualTo(baseline.at("/job_response/snapshot_at").asText());
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> slack.at("slack").size() == 1);
            JsonNode alert = slack.at("slack").get(0).body();
            assertThat(alert.get("text").asText()).isEqualTo("[FIRING] embassies-changed: watch embassies changed: 1 lines added, "
                    + "1 removed (" + site.base() + "embassies.html)");
            assertThat(alert.at("/blocks/1/text/text").asText()).contains("+Norway | Dublin 2 | 34 Molesworth Street");

            JsonNode changes = api.send(api.request("/common/watches/embassies/changes")).body();
            assertThat(changes.get("changes")).extracting(change -> change.get("changed").asBoolean()).containsExactly(true, false);
            assertThat(changes.at("/changes/0/diff").asText()).contains("+Norway");
            JsonNode watch = api.send(api.request("/common/watches/embassies")).body();
            assertThat(watch.get("content").asText()).startsWith("Country | City | Address\nGermany").contains("Norway");
            assertThat(watch.get("changes").asLong()).isEqualTo(1);
            assertThat(api.send(api.request("/common/watches/nobody")).status()).isEqualTo(404);
            assertThat(api.send(api.request("/common/watches/" + "w".repeat(101))).body().get("error").asText()).startsWith("ERR_INVALID_WATCH");
            assertThat(api.send(api.request("/common/watches/a%00b")).status()).isEqualTo(400);
            for (String query : new String[] {"limit=0", "limit=201", "limit=ten", "limit=99999999999"}) {
                assertThat(api.send(api.request("/common/watches/embassies/changes?" + query)).body().get("error").asText()).as(query)
                        .startsWith("ERR_INVALID_LIMIT");
            }
            assertThat(api.send(api.request("/common/watches/embassies/changes?before=x")).body().get("error").asText())
                    .startsWith("ERR_INVALID_ID");
            assertThat(api.send(api.request("/common/watches/embassies/changes?limit=1&before="
                    + changes.at("/changes/0/id").asLong())).body().get("changes")).as("the page after the newest").hasSize(1);
            assertThat(api.send(api.request("/common/watches")).body().get("watches")).hasSize(2);

            // rows mode: the page's embassies land in the dataset; in mirror mode the one the page drops goes
            String rows = """
                    {"watch": "embassy-rows", "url": "%sembassies.html", "service": "embassy",
                     "rows": {"css": "table#embassies tr", "columns": {"country": "td:nth-child(1)", "city": "td:nth-child(2)",
                              "address": "td:nth-child(3)"}}, "mode": "mirror", "mirror_max_delete": "50%%"}""".formatted(site.base());
            JsonNode landed = settled(fixture, api.createJob("watch_url", rows));
            assertThat(landed.at("/job_response/rows_inserted").asLong()).as("%s", landed).isEqualTo(3);
            site.pages.put("embassies.html", page("12:00", row("Germany", "Dublin 4", "31 Trimleston Avenue"),
                    row("Japan", "Dublin 2", "Nutley Building"), row("Brazil", "Dublin 2", "41 Harcourt Street")));
            JsonNode mirrored = settled(fixture, api.createJob("watch_url", rows));
            assertThat(mirrored.at("/job_response/rows_inserted").asLong()).isEqualTo(1);
            assertThat(mirrored.at("/job_response/rows_updated").asLong()).as("Japan moved").isEqualTo(1);
            assertThat(mirrored.at("/job_response/rows_unchanged").asLong()).isEqualTo(1);
            assertThat(mirrored.at("/job_response/rows_deleted").asLong()).as("Norway left the page").isEqualTo(1);
            assertThat(mirrored.at("/job_response/lines_added").asInt()).isEqualTo(2);
            assertThat(database.queryStrings("SELECT country || '/' || city FROM embassies ORDER BY country"))
                    .containsExactly("Brazil/Dublin 2", "Germany/Dublin 4", "Japan/Dublin 2");
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> fixture.searchableDocuments("embassies") == 3);
            assertThat(fixture.documentIds("embassies")).containsExactlyInAnyOrder("Brazil", "Germany", "Japan");

            site.pages.put("embassies.html", "<html><body><p>We are moving to a new site</p></body></html>");
            JsonNode emptied = settled(fixture, api.createJob("watch_url", rows));
            assertThat(emptied.get("status").asText()).isEqualTo("failed");
            assertThat(emptied.toString()).contains("ERR_WATCH_SELECTOR_EMPTY");
            assertThat(database.queryLong("SELECT count(*) FROM embassies")).as("a page that lost its table deletes nothing").isEqualTo(3);

            // a JSON API by JSON path, after a 429 that names its Retry-After and a 500 that is asked again
            site.pages.put("api/embassies", "{\"embassies\": [{\"name\": \"France\"}, {\"name\": \"Japan\"}]}");
            site.contentTypes.put("api/embassies", "application/json");
            String json = """
                    {"watch": "embassy-api", "url": "%sapi/embassies", "select": {"json_path": "$.embassies[*].name"},
                     "notify_when": "added"}""".formatted(site.base());
            site.throttleOnce.add("api/embassies");
            assertThat(settled(fixture, api.createJob("watch_url", json)).at("/job_response/lines").asInt()).isEqualTo(2);
            site.pages.put("api/embassies", "{\"embassies\": [{\"name\": \"Japan\"}]}");
            site.failOnce.add("api/embassies");
            JsonNode removed = settled(fixture, api.createJob("watch_url", json));
            assertThat(removed.at("/job_response/diff").asText()).contains("-France");
            assertThat(removed.at("/job_response/notify").asBoolean()).as("notify_when added: a line only went").isFalse();
            assertThat(site.requestsTo("api/embassies")).extracting(WatchedSite.Request::status).containsExactly(429, 200, 500, 200);

            // failures with their reasons, none of them a snapshot
            site.redirects.put("moved.html", "http://169.254.169.254/latest/meta-data/");
            assertFailed(fixture, api, "moved", site.base() + "moved.html", "ERR_SOURCE_NOT_ALLOWED", "redirects to http://169.254.169.254/");
            assertFailed(fixture, api, "huge", site.base() + "huge", "ERR_WATCH_TOO_LARGE", "WATCH_MAX_BYTES");
            assertFailed(fixture, api, "huge-announced", site.base() + "huge-announced", "ERR_WATCH_TOO_LARGE", "52428800 bytes");
            assertFailed(fixture, api, "missing", site.base() + "missing.html", "ERR_SOURCE_ANSWERED_404", "no such page");
            assertFailed(fixture, api, "unreachable", nobodyListens + "page.html", "ERR_WATCH_UNREACHABLE", "could not be reached");
            assertThat(database.queryLong("SELECT count(*) FROM watch_snapshots WHERE watch IN ('moved', 'huge', 'missing', 'unreachable')")).isZero();

            // one watch runs in one job at a time
            site.pages.put("slow.html", "<p>slow</p>");
            site.slow.put("slow.html", 3000L);
            String slow = "{\"watch\": \"slow\", \"url\": \"" + site.base() + "slow.html\"}";
            String first = api.createJob("watch_url", slow);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> database.queryLong(
                    "SELECT count(*) FROM watches WHERE name = 'slow' AND running_job = ?::uuid", first) == 1);
            JsonNode second = settled(fixture, api.createJob("watch_url", slow));
            assertThat(second.toString()).contains("ERR_WATCH_RUNNING").contains(first);
            assertThat(settled(fixture, first).get("status").asText()).isEqualTo("completed");
            assertThat(slack.received).as("one change of the watch embassies, one alert").hasSize(1);
        }
    }

    @Test
    void hostileJobDataIsRefusedAtCreateAndWritesNothing() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (WatchedSite site = new WatchedSite();
             RunningDromedary dromedary = RunningDromedary.named("watch-hostile", database)
                     .with("HTTP_SOURCES_ALLOWED", site.base()).start()) {
            JobsApi api = dromedary.api();
            String page = site.base() + "page.html";
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"http://127.0.0.1:5432/\"}")).startsWith("ERR_SOURCE_NOT_ALLOWED");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"http://169.254.169.254/latest/meta-data/\"}"))
                    .startsWith("ERR_SOURCE_NOT_ALLOWED");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"select\": {\"css\": \"" + "div ".repeat(2000) + "\"}}"))
                    .startsWith("ERR_INVALID_SELECTOR").contains("500 characters");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"select\": {\"css\": \"p:matches((a+)+$)\"}}"))
                    .startsWith("ERR_INVALID_SELECTOR").contains(":matches");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"select\": {\"css\": \"table[[\"}}"))
                    .startsWith("ERR_INVALID_SELECTOR");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"select\": {\"json_path\": \"$..a..b..c\"}}"))
                    .startsWith("ERR_INVALID_SELECTOR").contains("deep scan");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"select\": {\"json_path\": "
                    + "\"$[?(@.a =~ /(a+)+$/)]\"}}")).startsWith("ERR_INVALID_SELECTOR").contains("=~");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"select\": {\"json_path\": "
                    + "\"$[?(@.a)][?(@.b)][?(@.c)][?(@.d)]\"}}")).startsWith("ERR_INVALID_SELECTOR").contains("filters");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"ignore\": [\"(a)\\\\1\"]}"))
                    .startsWith("ERR_INVALID_PATTERN").contains("RE2");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"servise\": \"contact\"}"))
                    .startsWith("ERR_UNKNOWN_FIELD");
            assertThat(refusal(api, "{\"url\": \"" + page + "\"}")).startsWith("ERR_INVALID_JOB_DATA").contains("job_data.watch");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"service\": \"contact\", \"rows\": {\"css\": \"tr\", "
                    + "\"columns\": {\"password\": \"td\"}}}")).startsWith("ERR_INVALID_SELECTOR").contains("not a column");
            assertThat(refusal(api, "{\"watch\": \"w\", \"url\": \"" + page + "\", \"headers\": {\"Authorization\": \"{{DATABASE_PASSWORD}}\"}}"))
                    .startsWith("ERR_INVALID_JOB_DATA").contains("no other setting");
            assertThat(database.queryLong("SELECT count(*) FROM jobs")).as("nothing written by a refused request").isZero();

            // a pattern that backtracks for ever in a backtracking engine is linear in RE2: the run ends at once
            site.pages.put("page.html", "<p>" + "a".repeat(50_000) + "!</p><p>kept</p>");
            ImportFixture fixture = new ImportFixture(dromedary, database);
            JsonNode run = settled(fixture, api.createJob("watch_url", "{\"watch\": \"w\", \"url\": \"" + page
                    + "\", \"ignore\": [\"^(a|aa)+$\", \"^(a+)+b\"]}"));
            assertThat(run.get("status").asText()).isEqualTo("completed");
            assertThat(run.at("/job_response/lines").asInt()).isEqualTo(2);
        }
    }

    /** The rules file of a Slack-format alert on every change of the watch embassies. */
    private static String alertRules(RealServices.TestDatabase database, AlertReceiver slack) throws IOException {
        Path rules = Files.createDirectories(Path.of("target", "watch-it", database.name())).resolve("alerts.yaml");
        Files.writeString(rules, """
                channels:
                  watchers: {slack: {url: "%s"}}
                rules:
                  - {name: embassies-changed, when: {watch_changed: {watch: embassies}}, notify: [watchers]}
                """.formatted(slack.url("slack")));
        return rules.toString();
    }

    private static String refusal(JobsApi api, String jobData) {
        JobsApi.Response response = api.create("{\"job_type\": \"watch_url\", \"job_data\": " + jobData + "}");
        assertThat(response.status()).as("%s", response.body()).isEqualTo(400);
        return response.error();
    }

    private static void assertFailed(ImportFixture fixture, JobsApi api, String watch, String url, String code, String detail) {
        JsonNode job = settled(fixture, api.createJob("watch_url", "{\"watch\": \"" + watch + "\", \"url\": \"" + url + "\"}"));
        assertThat(job.get("status").asText()).as("%s", job).isEqualTo("failed");
        assertThat(job.at("/job_response/runtime_errors/0").asText()).as("%s", job).startsWith(code).contains(detail);
    }

    private static JsonNode settled(ImportFixture fixture, String uuid) {
        return fixture.awaitSettled(uuid);
    }

    private static String page(String time, String... rows) {
        return EMBASSIES.formatted(time, String.join("\n  ", rows));
    }

    private static String row(String country, String city, String address) {
        return "<tr><td>" + country + "</td><td>" + city + "</td><td>" + address + "</td></tr>";
    }
}
