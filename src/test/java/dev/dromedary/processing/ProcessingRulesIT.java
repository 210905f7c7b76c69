package dev.dromedary.processing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given a dataset whose definition transforms and validates its rows, and a job that adds rules of its own, when
 * a file is imported, then the rows land in PostgreSQL and Elasticsearch exactly as the rules make them, each row
 * that breaks a rule is a dead letter naming the rule, the column and the value, and the rest of the file lands.
 */
@ExtendWith(RealServices.class)
class ProcessingRulesIT {

    private static final String FILE = """
            id,email,name,phone,country,employees,signed_up,tags
            1, Ada@Example.com ,Ada,+47 (123) 45-678,united states,10,31/01/2024,saas|b2b
            2,not-an-address,Bob,,USA,5,01/02/2024,
            3,carl@example.com,Carl,N/A,Narnia,5,01/02/2024,
            4,dana@example.com,Dana,,Germany,-3,01/02/2024,
            5,,Eve,-,France,1,01/02/2024,
            6,ada@example.com,Ada Again,,USA,1,01/02/2024,
            7,fay@example.com,TEST,,USA,1,01/02/2024,
            8,gil@example.com,Gil,,deutschland,2,32/01/2024,
            9,hal@example.com,  Hal  ,+1 555 0100,USA,3,15/03/2024,x
            10,ivy@example.com,Ivy,,USA,5000,01/02/2024,
            11,jon@example.com,Jon,,Deutschland,7,01/01/2020,
            """;

    @Test
    void aFileLandsAsItsRulesSayAndEachRowThatBreaksOneIsADeadLetterNamedByRule() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("rules", database)
                .with("DATASETS_DIRS", "datasets,examples/datasets")
                .start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("leads/2024.csv", FILE);
            imports.upload("leads/2024-check.csv", FILE);
            JobsApi api = dromedary.api();

            String dryRun = api.createJob("insert_csv_file", """
                    {"s3_key": "leads/2024-check.csv", "service": "lead", "dry_run": true,
                     "validate": {"employees": {"max": 1000}}}""");
            JsonNode checked = imports.awaitFinished(dryRun);
            assertThat(checked.path("job_response").path("dead_letters_by_rule").size()).as("a dry run counts by rule").isEqualTo(7);
            assertThat(database.queryLong("SELECT count(*) FROM leads")).isZero();

            String uuid = api.createJob("insert_csv_file", """
                    {"s3_key": "leads/2024.csv", "service": "lead", "validate": {"employees": {"max": 1000}}}""");
            JsonNode job = imports.awaitFinished(uuid);

            assertThat(job.get("status").asText()).isEqualTo("completed");
            JsonNode response = job.get("job_response");
            assertThat(response.get("rows_read").asLong()).isEqualTo(11);
            assertThat(response.get("rows_imported").asLong()).isEqualTo(3);
            assertThat(response.get("rows_failed").asLong()).isEqualTo(7);
            assertThat(response.get("rows_dropped").asLong()).isEqualTo(1);
            JsonNode byRule = response.get("dead_letters_by_rule");
            for (String rule : List.of("email", "one_of", "min", "at_least_one_of", "unique", "parse_date", "max")) {
                assertThat(byRule.path(rule).asLong()).as(rule).isEqualTo(1);
            }

            assertThat(database.queryStrings("SELECT id || ' ' || email || ' ' || coalesce(phone, '-') || ' ' || country || ' ' "
                    + "|| to_char(signed_up AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || coalesce(array_to_string(tags, ';'), '-') "
                    + "|| ' ' || name FROM leads ORDER BY id"))
                    .containsExactly("1 ada@example.com +4712345678 USA 2024-01-31 saas;b2b Ada",
                            "11 jon@example.com - Germany 2020-01-01 - Jon",
                            "9 hal@example.com +15550100 USA 2024-03-15 x Hal");
            assertThat(imports.documentIds("leads"))
                    .containsExactlyInAnyOrder("1", "9", "11");
            assertThat(imports.document("leads", "1").path("email").asText()).isEqualTo("ada@example.com");

            assertThat(database.queryStrings("SELECT row_number || ' ' || rule || ' ' || error FROM dead_letters "
                    + "WHERE job_uuid = CAST(? AS uuid) ORDER BY row_number", uuid))
                    .containsExactly(
                            "2 email rule email on email: not-an-address",
                            "3 one_of rule one_of on country: Narnia",
                            "4 min rule min on employees: -3",
                            "5 at_least_one_of rule at_least_one_of on email, phone: (empty)",
                            "6 unique rule unique on email: ada@example.com",
                            "8 parse_date rule parse_date on signed_up: 32/01/2024",
                            "10 max rule max on employees: 5000");

            // the dataset's quality score counts the rows that pass each of its rules
            JsonNode statistics = imports.awaitFinished(api.createJob("dataset_statistics", "{\"service\": \"lead\"}"));
            java.util.Map<String, String> passing = new java.util.TreeMap<>();
            statistics.at("/job_response/quality/rules").forEach(rule -> passing.put(rule.get("rule").asText(),
                    rule.get("dead_letters").asLong() + " " + rule.get("passing").asDouble()));
            assertThat(passing).containsEntry("email on email", "1 0.75").containsEntry("parse_date on signed_up", "1 0.75")
                    .containsEntry("at_least_one_of on email, phone", "1 0.75").doesNotContainKey("max on employees");
        }
    }

    @Test
    void aRuleThatCannotBeUsedIsRefusedAtCreateAndNothingIsWritten() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (RunningDromedary dromedary = RunningDromedary.named("bad-rules", database).start()) {
            JobsApi api = dromedary.api();
            StringBuilder bigMap = new StringBuilder();
            for (int i = 0; i < 30_000; i++) {
                bigMap.append(i == 0 ? "" : ",").append("\"value ").append(i).append("\": \"v\"");
            }
            List<String> hostile = List.of(
                    "{\"validate\": {\"no_such_column\": {\"required\": true}}}",
                    "{\"validate\": {\"email\": {\"pattern\": \"(a*)*\\\\1\"}}}",
                    "{\"transform\": [{\"derive\": {\"column\": \"title\", \"template\": \"{first_name} {middle_name}\"}}]}",
                    "{\"transform\": [{\"map\": {\"column\": \"country\", \"values\": {" + bigMap + "}}}]}",
                    "{\"transform\": [{\"eval\": \"Runtime.getRuntime().exec('id')\"}]}",
                    "{\"transform\": [{\"parse_date\": {\"column\": \"created_at\", \"formats\": [\"dd/MM/yyyy {\"]}}]}");
            for (String rules : hostile) {
                String jobData = "{\"s3_key\": \"contacts.csv\", \"service\": \"contact\", " + rules.substring(1);
                JobsApi.Response refused = api.create("{\"job_type\": \"insert_csv_file\", \"job_data\": " + jobData + "}");
                assertThat(refused.status()).as(rules.length() > 200 ? rules.substring(0, 200) : rules).isEqualTo(400);
                assertThat(refused.error()).startsWith("ERR_INVALID_RULE: job_data.");
            }
            assertThat(database.queryLong("SELECT count(*) FROM jobs")).isZero();
        }
    }
}
