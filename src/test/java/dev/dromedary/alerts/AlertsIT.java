package dev.dromedary.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.dromedary.testing.AlertReceiver;
import dev.dromedary.testing.DromedaryProcess;
import dev.dromedary.testing.Gate;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alert rules against real receivers: a Slack-format and a webhook receiver over HTTP, and GreenMail for e-mail. A
 * failed job fires once on every channel (a channel that answers 500 gets it again), resolves once when a retry
 * completes it; a backlog repeats every repeat_after while it holds and resolves once; the rules are read again when
 * the file changes; a schedule whose job hangs is missed and too long until it completes; and an instance killed while it sends a notice loses it to no one: another sends it, once more,
 * under the same id, and the event stays one.
 */
@ExtendWith(RealServices.class)
class AlertsIT {

    private static final String SECRET = "alert-test-secret";

    @Test
    void eachRuleFiresOnceRepeatsOnTimeAndResolvesOnce() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path rules = Files.createDirectories(Path.of("target", "alerts-it", database.name())).resolve("alerts.yaml");
        Files.writeString(rules, RULES);
        GreenMail smtp = new GreenMail(new ServerSetup(RunningDromedary.freePort(), "localhost", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (AlertReceiver receiver = new AlertReceiver();
             RunningDromedary dromedary = RunningDromedary.named("alerts", database)
                     .with("ALERTS_FILE", rules.toString())
                     .with("ALERTS_INTERVAL_SECONDS", "1")
                     .with("ALERT_NOTICES_POLL_MILLIS", "200")
                     .with("ALERT_RETRY_DELAY_SECONDS", "1")
                     .with("SLACK_WEBHOOK_URL", receiver.url("slack"))
                     .with("ALERT_WEBHOOK_URL", receiver.url("hooks"))
                     .with("JOB_WEBHOOK_SECRET", SECRET)
                     .with("SMTP_HOST", "localhost")
                     .with("SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()))
                     .with("SMTP_TLS", "none")
                     .with("QUEUES", "default:4,parked:1")
                     .with("RUN_QUEUES", "default")
                     .start()) {
            JobsApi api = dromedary.api();
            ImportFixture fixture = new ImportFixture(dromedary, database);
            receiver.failOnce.add("slack");

            String failed = api.createJob("test_fail", "{}");
            String failedOnce = api.createJob("test_fail_first_attempt", "{}");
            String retried = api.create("{\"job_type\": \"test_fail\", \"job_data\": {}, \"retry_count\": 5, \"retry_interval\": 3600}")
                    .body().get("uuid").asText();
            fixture.awaitSettled(failed);
            fixture.awaitSettled(failedOnce);
            fixture.upload("alerts/bad.csv", "uuid,first_name,employees_count\n"
                    + "8f9b1f8e-0000-4000-8000-000000000001,Ada,10\n"
                    + "8f9b1f8e-0000-4000-8000-000000000002,Bob,many\n"
                    + "8f9b1f8e-0000-4000-8000-000000000003,Cy,lots\n");
            String badRows = api.createJob("insert_csv_file", "{\"s3_key\": \"alerts/bad.csv\"}");
            assertThat(fixture.awaitSettled(badRows).at("/job_response/rows_failed").asLong()).isEqualTo(2);
            List<String> parked = List.of(
                    api.create("{\"job_type\": \"test_succeed\", \"job_data\": {}, \"queue\": \"parked\"}").body().get("uuid").asText(),
                    api.create("{\"job_type\": \"test_succeed\", \"job_data\": {}, \"queue\": \"parked\"}").body().get("uuid").asText());

            await().atMost(Duration.ofMinutes(1)).until(() -> notices(receiver, "hooks", "import-failed", "firing").size() == 2
                    && receiver.at("slack").size() == 2 && smtp.getReceivedMessages().length == 1
                    && notices(receiver, "hooks", "backlog", "firing").size() == 1
                    && notices(receiver, "hooks", "bad-rows", "firing").size() == 1
                    && notices(receiver, "hooks", "hourly-bad-rows", "firing").size() == 1);
            assertThat(notices(receiver, "hooks", "bad-rows", "firing").get(0).body().get("summary").asText())
                    .isEqualTo("job " + badRows + " (insert_csv_file) left 2 dead letters of 3 rows (over 1)");
            assertThat(notices(receiver, "hooks", "hourly-bad-rows", "firing").get(0).body().get("subject").asText()).isEqualTo("contact");
            List<AlertReceiver.Received> firing = notices(receiver, "hooks", "import-failed", "firing");
            assertThat(firing).extracting(notice -> notice.body().get("subject").asText()).containsExactlyInAnyOrder(failed, failedOnce);
            assertThat(firing).as("a job with retries to come is not failed for good").noneMatch(notice ->
                    notice.body().get("subject").asText().equals(retried));
            JsonNode hook = firing.stream().filter(notice -> notice.body().get("subject").asText().equals(failed)).findFirst().orElseThrow().body();
            assertThat(hook.get("summary").asText()).contains("test_fail").contains("the test job failed on purpose");
            assertThat(hook.get("details").get("job_type").asText()).isEqualTo("test_fail");
            for (AlertReceiver.Received notice : receiver.at("hooks")) {
                assertThat(notice.signature()).as("signed as job events are").isEqualTo(signature(notice.raw()));
                assertThat(notice.alertId()).isEqualTo(notice.body().get("notice_id").asText());
            }

            // Slack: the first attempt answered 500 and was sent again; its text and blocks
            List<AlertReceiver.Received> slack = receiver.at("slack");
            assertThat(slack.get(0).alertId()).as("the retry is the same notice").isEqualTo(slack.get(1).alertId());
            assertThat(slack.get(1).body().get("text").asText()).startsWith("[FIRING] slack-failures: job " + failed);
            assertThat(slack.get(1).body().at("/blocks/0/text/text").asText()).contains("*FIRING* `slack-failures`");
            assertThat(database.queryLong("SELECT attempts FROM alert_notices WHERE channel = 'ops-slack'")).isEqualTo(2);

            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getSubject()).startsWith("[Dromedary] FIRING mail-failures: job " + failed);
            assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
            assertThat(mail.getFrom()[0].toString()).isEqualTo("dromedary@example.com");
            assertThat(mail.getContent().toString()).contains("the test job failed on purpose");

            // a retry that completes resolves the job's alert, once
            assertThat(api.retry(failedOnce).status()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).until(() -> notices(receiver, "hooks", "import-failed", "resolved").size() == 1);
            assertThat(notices(receiver, "hooks", "import-failed", "resolved").get(0).body().get("subject").asText()).isEqualTo(failedOnce);

            // the backlog repeats every 2 s while it holds, and resolves once when its jobs are cancelled
            await().atMost(Duration.ofMinutes(1)).until(() -> notices(receiver, "hooks", "backlog", "repeat").size() >= 2);
            List<AlertReceiver.Received> repeats = notices(receiver, "hooks", "backlog", "repeat");
            assertThat(repeats.get(0).body().get("repeat").asInt()).isEqualTo(1);
            assertThat(repeats.get(1).body().get("repeat").asInt()).isEqualTo(2);
            assertThat(Duration.between(repeats.get(0).at(), repeats.get(1).at())).as("repeat_after 2s")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            parked.forEach(api::cancel);
            await().atMost(Duration.ofMinutes(1)).until(() -> notices(receiver, "hooks", "backlog", "resolved").size() == 1);
            int sent = receiver.received.size();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> receiver.received.size() == sent);
            assertThat(notices(receiver, "hooks", "backlog", "firing")).as("fired once").hasSize(1);
            assertThat(notices(receiver, "hooks", "backlog", "resolved")).as("resolved once").hasSize(1);
            assertThat(notices(receiver, "hooks", "bad-rows", "firing")).as("an event, noticed once").hasSize(1);
            assertThat(notices(receiver, "hooks", "bad-rows", "resolved")).isEmpty();
            assertThat(receiver.received.stream().map(AlertReceiver.Received::alertId).distinct().count())
                    .as("every notice once, but the one Slack refused").isEqualTo(sent - 1L);

            JsonNode alerts = api.send(api.request("/common/alerts")).body();
            assertThat(alerts.get("rules")).extracting(rule -> rule.get("name").asText())
                    .containsExactly("import-failed", "slack-failures", "mail-failures", "backlog", "bad-rows", "hourly-bad-rows");
            assertThat(alerts.get("alerts")).anyMatch(alert -> alert.get("state").asText().equals("firing")
                    && alert.get("subject").asText().equals(failed) && alert.at("/notices/0/state").asText().equals("sent"));
            assertThat(alerts.toString()).as("no channel URL in an answer").doesNotContain(receiver.url(""));
            assertThat(api.send(api.request("/common/alerts?state=nope")).status()).isEqualTo(400);

            // the file is read again when it changes; a change that does not read keeps the rules that did
            Files.writeString(rules, RULES + "  - {name: long-runs, when: {job_too_long: {longer_than: 1h}}, notify: [hooks]}\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> api.send(api.request("/common/alerts")).body().get("rules").size() == 7);
            Files.writeString(rules, RULES + "  - {name: nonsense, when: {job_exploded: {}}, notify: [hooks]}\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> !api.send(api.request("/common/alerts")).body().get("rules_error").isNull());
            JsonNode kept = api.send(api.request("/common/alerts")).body();
            assertThat(kept.get("rules")).hasSize(7);
            assertThat(kept.get("rules_error").asText()).contains("job_exploded").contains("not a condition");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void anInstanceKilledMidDeliveryNeitherLosesNorDuplicatesTheAlert() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path rules = Files.createDirectories(Path.of("target", "alerts-it", database.name())).resolve("alerts.yaml");
        try (AlertReceiver receiver = new AlertReceiver()) {
            Files.writeString(rules, """
                    channels:
                      hooks: {webhook: {url: "%s"}}
                    rules:
                      - {name: import-failed, when: {job_failed: {job_type: insert_csv_file}}, notify: [hooks]}
                    """.formatted(receiver.url("hooks")));
            receiver.holdOnce.add("hooks");
            Map<String, String> settings = Map.of("ALERTS_FILE", rules.toString(), "ALERTS_INTERVAL_SECONDS", "1",
                    "ALERT_NOTICES_POLL_MILLIS", "200", "ALERT_TIMEOUT_MS", "3000");
            int port = RunningDromedary.freePort();
            String job;
            try (DromedaryProcess first = DromedaryProcess.start(Files.createTempFile(Path.of("target"), "alerts-first-", ".log"),
                    DromedaryProcess.on(database, "alerts-first", port, settings), List.of()).awaitStarted()) {
                JobsApi api = first.api(port, RunningDromedary.API_KEY);
                job = api.createJob("insert_csv_file", "{\"s3_key\": \"no/such/object.csv\"}");
                assertThat(receiver.held.await(2, java.util.concurrent.TimeUnit.MINUTES)).as("the notice is being sent").isTrue();
                first.kill();
            }
            assertThat(database.queryStrings("SELECT state FROM alert_notices").get(0)).isEqualTo("sending");

            try (DromedaryProcess next = DromedaryProcess.start(Files.createTempFile(Path.of("target"), "alerts-next-", ".log"),
                    DromedaryProcess.on(database, "alerts-next", port, settings), List.of()).awaitStarted()) {
                await().atMost(Duration.ofMinutes(1)).until(() -> "sent".equals(database.queryStrings("SELECT state FROM alert_notices").get(0)));
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> receiver.received.size() == 2);
            }
            assertThat(receiver.received).as("the killed send and the one after its lease, under one id")
                    .extracting(AlertReceiver.Received::alertId).hasSize(2).containsOnly(receiver.received.get(0).alertId());
            assertThat(receiver.received.get(1).body().get("subject").asText()).isEqualTo(job);
            assertThat(database.queryLong("SELECT count(*) FROM alerts")).as("one event").isEqualTo(1);
            assertThat(database.queryLong("SELECT attempts FROM alert_notices")).isEqualTo(2);
        }
    }

    @Test
    @ResourceLock(RunningDromedary.SCHEDULER)
    void aScheduleWhoseJobHangsIsMissedAndTooLongUntilItCompletes() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path dir = Files.createDirectories(Path.of("target", "alerts-it", database.name()));
        Path schedules = Files.writeString(dir.resolve("schedules.yaml"), """
                schedules:
                  - name: every-two-seconds
                    every: 2s
                    job_type: test_gated
                """);
        Path rules = dir.resolve("alerts.yaml");
        Gate gate = new Gate();
        try (AlertReceiver receiver = new AlertReceiver()) {
            Files.writeString(rules, """
                    channels:
                      hooks: {webhook: {url: "%s"}}
                    rules:
                      - {name: missed, when: {schedule_missed: {schedule: every-two-seconds, grace: 1s}}, notify: [hooks]}
                      - {name: too-long, when: {job_too_long: {longer_than: 2s, job_type: test_gated}}, notify: [hooks]}
                    """.formatted(receiver.url("hooks")));
            try (RunningDromedary dromedary = RunningDromedary.named("alerts-schedule", database)
                    .with("SCHEDULES_FILE", schedules.toString()).with("ALERTS_FILE", rules.toString())
                    .with("ALERTS_INTERVAL_SECONDS", "1").with("ALERT_NOTICES_POLL_MILLIS", "200")
                    .bind("gate", gate).start()) {
                gate.awaitReached();
                await().atMost(Duration.ofMinutes(1)).until(() -> notices(receiver, "hooks", "missed", "firing").size() == 1
                        && notices(receiver, "hooks", "too-long", "firing").size() == 1);
                assertThat(notices(receiver, "hooks", "missed", "firing").get(0).body().get("summary").asText())
                        .contains("every-two-seconds has completed no job").contains("PT2S");
                gate.open();
                await().atMost(Duration.ofMinutes(1)).until(() -> notices(receiver, "hooks", "missed", "resolved").size() == 1
                        && notices(receiver, "hooks", "too-long", "resolved").size() == 1);
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(dromedary.managementUrl() + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.body()).containsPattern("dromedary_alerts_fired_total\\{[^}]*rule=\"missed\"[^}]*} 1")
                        .containsPattern("dromedary_alert_notices_total\\{[^}]*channel=\"hooks\"[^}]*outcome=\"sent\"[^}]*} [4-9]");
            }
        }
    }

    private static final String RULES = """
            channels:
              ops-slack: {slack: {url: "${SLACK_WEBHOOK_URL}"}}
              ops-mail: {email: {to: [ops@example.com], from: dromedary@example.com}}
              hooks: {webhook: {url: "${ALERT_WEBHOOK_URL}"}}
            rules:
              - {name: import-failed, when: {job_failed: {}}, notify: [hooks]}
              - {name: slack-failures, when: {job_failed: {job_type: test_fail}}, notify: [ops-slack]}
              - {name: mail-failures, when: {job_failed: {job_type: test_fail}}, notify: [ops-mail]}
              - {name: backlog, when: {queue_backlog: {open_over: 1, queue: parked}}, notify: [hooks], repeat_after: 2s}
              - {name: bad-rows, when: {dead_letters: {job_over: 1, dataset: contact}}, notify: [hooks]}
              - {name: hourly-bad-rows, when: {dead_letters: {hourly_over: 1}}, notify: [hooks]}
            """;

    private static List<AlertReceiver.Received> notices(AlertReceiver receiver, String path, String rule, String notice) {
        return receiver.at(path).stream().filter(request -> request.body().get("rule").asText().equals(rule)
                && request.body().get("notice").asText().equals(notice)).toList();
    }

    private static String signature(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}
