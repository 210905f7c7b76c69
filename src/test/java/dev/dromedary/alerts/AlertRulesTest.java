package dev.dromedary.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dromedary.app.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ALERTS_FILE read strictly, its secrets from the settings, and read again when it changes. */
class AlertRulesTest {

    @TempDir
    Path dir;

    private static Settings settings(String... pairs) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put(pairs[i], pairs[i + 1]);
        }
        context.getPropertiesComponent().setInitialProperties(properties);
        return new Settings(context.getPropertiesComponent());
    }

    private AlertRules load(String yaml, Settings settings) throws Exception {
        Path file = Files.writeString(dir.resolve("alerts.yaml"), yaml);
        return AlertRules.load(file, settings, name -> name.equals("nightly-export"));
    }

    private static final String ISSUE_EXAMPLE = """
            channels:
              ops-slack: {slack: {url: "${SLACK_WEBHOOK_URL}"}}
              ops-mail: {email: {to: [ops@example.com], from: dromedary@example.com}}
              hooks: {webhook: {url: "${ALERT_WEBHOOK_URL}"}}
            rules:
              - {name: import-failed, when: {job_failed: {job_type: insert_csv_file}}, notify: [ops-slack, ops-mail]}
              - {name: nightly-missed, when: {schedule_missed: {schedule: nightly-export, grace: 30m}}, notify: [ops-slack]}
              - {name: backlog, when: {queue_backlog: {oldest_open_older_than: 10m}}, notify: [hooks], repeat_after: 1h}
            """;

    @Test
    void theDocumentedExampleReadsWithItsSecretsFromTheSettings() throws Exception {
        AlertRules rules = load(ISSUE_EXAMPLE, settings("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x",
                "ALERT_WEBHOOK_URL", "https://ops.example.com/hook", "SMTP_HOST", "smtp.example.com"));
        AlertRules.Contents contents = rules.current();
        assertThat(contents.rules()).extracting(AlertRule::name).containsExactly("import-failed", "nightly-missed", "backlog");
        assertThat(contents.channels().get("ops-slack").url()).isEqualTo("https://hooks.slack.com/services/T0/B0/x");
        assertThat(contents.channels().get("ops-slack").describe()).isEqualTo("ops-slack (slack)").doesNotContain("hooks.slack.com");
        AlertRule nightly = contents.rules().get(1);
        assertThat(nightly.condition().threshold()).isEqualTo(Duration.ofMinutes(30));
        assertThat(contents.rules().get(2).repeatAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(contents.rules().get(2).condition().threshold()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theShippedFileReadsAndSoDoesTheExampleItHoldsInComments() throws Exception {
        Settings settings = settings("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x",
                "ALERT_WEBHOOK_URL", "https://ops.example.com/hook", "SMTP_HOST", "smtp.example.com");
        assertThat(AlertRules.load(Path.of("alerts.yaml"), settings, name -> false).current().rules()).isEmpty();
        String shipped = Files.readString(Path.of("alerts.yaml"));
        String example = shipped.substring(shipped.indexOf("# channels:\n")).lines().takeWhile(line -> line.startsWith("#"))
                .map(line -> line.substring(Math.min(2, line.length()))).collect(java.util.stream.Collectors.joining("\n"));
        assertThat(load(example, settings).current().rules()).extracting(AlertRule::name)
                .containsExactly("import-failed", "nightly-missed", "backlog");
    }

    @Test
    void whatDoesNotReadIsRefusedWithWhereItStands() {
        Settings none = settings("SMTP_HOST", "");
        assertThatThrownBy(() -> load(ISSUE_EXAMPLE, none)).hasMessageContaining("channel ops-slack")
                .hasMessageContaining("SLACK_WEBHOOK_URL, which is not set");
        Settings some = settings("HOOK", "https://ops.example.com/hook");
        String hooks = "channels:\n  hooks: {webhook: {url: \"${HOOK}\"}}\nrules:\n";
        assertThatThrownBy(() -> load(hooks + "  - {name: x, when: {job_failed: {jobtype: a}}, notify: [hooks]}\n", some))
                .hasMessageContaining("rule x").hasMessageContaining("unknown key 'jobtype'");
        assertThatThrownBy(() -> load(hooks + "  - {name: x, when: {job_exploded: {}}, notify: [hooks]}\n", some))
                .hasMessageContaining("not a condition");
        assertThatThrownBy(() -> load(hooks + "  - {name: x, when: {job_failed: {}}, notify: [pager]}\n", some))
                .hasMessageContaining("'pager', which is not a channel");
        assertThatThrownBy(() -> load(hooks + "  - {name: x, when: {schedule_missed: {schedule: hourly}}, notify: [hooks]}\n", some))
                .hasMessageContaining("recurring schedule");
        assertThatThrownBy(() -> load(hooks + "  - {name: x, when: {watch_changed: {}}, notify: [hooks], repeat_after: 1h}\n", some))
                .hasMessageContaining("noticed once per event");
        assertThatThrownBy(() -> load(hooks + "  - {name: x, when: {job_too_long: {longer_than: soon}}, notify: [hooks]}\n", some))
                .hasMessageContaining("a duration such as 90s");
        assertThatThrownBy(() -> load(hooks + "  - {name: x, when: {service_down: {service: postgresql}}, notify: [hooks]}\n", some))
                .hasMessageContaining("elasticsearch or s3");
        assertThatThrownBy(() -> load("channels:\n  mail: {email: {to: [ops@example.com]}}\n", settings("SMTP_FROM", "d@example.com")))
                .hasMessageContaining("SMTP_HOST, which is not set");
        assertThatThrownBy(() -> load("channels:\n  hooks: {webhook: {url: \"file:///etc/passwd\"}}\n", some))
                .hasMessageContaining("http(s) URL");
    }

    @Test
    void aChangedFileIsReadAgainAndOneThatNoLongerReadsKeepsTheRulesThatDid() throws Exception {
        Settings some = settings("HOOK", "https://ops.example.com/hook");
        String hooks = "channels:\n  hooks: {webhook: {url: \"${HOOK}\"}}\nrules:\n";
        AlertRules rules = load(hooks + "  - {name: a, when: {job_failed: {}}, notify: [hooks]}\n", some);
        Path file = dir.resolve("alerts.yaml");
        Files.writeString(file, hooks + "  - {name: a, when: {job_failed: {}}, notify: [hooks]}\n"
                + "  - {name: b, when: {dead_letters: {job_over: 10}}, notify: [hooks]}\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(rules.current().rules()).extracting(AlertRule::name).containsExactly("a", "b");
        assertThat(rules.current().rules().get(1).condition().isEvent()).isTrue();
        Files.writeString(file, hooks + "  - {name: a, when: {job_failed: {}}, notify: [hooks]\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(rules.current().rules()).extracting(AlertRule::name).containsExactly("a", "b");
        assertThat(rules.loadError()).contains("no longer reads");
    }
}
