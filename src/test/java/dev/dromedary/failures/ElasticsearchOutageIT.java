package dev.dromedary.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import dev.dromedary.testing.ServiceOutage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Given an import or an export under way, when Elasticsearch stops (a proxy in front of it is cut), then the failing step is redelivered
 * with backoff and the job ends failed saying why: an import counts no row that did not reach every sink,
 * an export leaves no partial object.
 */
@ExtendWith(RealServices.class)
class ElasticsearchOutageIT {

    private static final int BATCH = 100;
    private static final int IN_FLIGHT = 4;

    @Test
    void anImportWhoseElasticsearchStopsFailsAfterRedeliveryAndCountsOnlyWhatLanded() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try (ServiceOutage elasticsearch = ServiceOutage.inFrontOf(RealServices.elasticsearchUrl());
             RunningDromedary dromedary = RunningDromedary.named("outage", database)
                .with("ELASTICSEARCH_URL", elasticsearch.url())
                .with("BATCH_SIZE_FOR_INSERTION", BATCH)
                .with("IMPORT_BATCHES_IN_FLIGHT", IN_FLIGHT)
                .with("MAX_REDELIVERIES", 3)
                .with("REDELIVERY_DELAY_MS", 200)
                .start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("outage/contacts.csv", ImportFixture.sample("contact", 40_000, 5));
            String uuid = dromedary.api().createJob("insert_csv_file", "{\"s3_key\": \"outage/contacts.csv\"}");
            await().until(() -> dromedary.api().job(uuid).get("progress").get("rows_written").asLong() >= 1_000);

            elasticsearch.cut();
            JsonNode job = imports.awaitFinished(uuid);
            assertThat(job.get("progress").get("rows_written").asLong()).as("cut mid-export").isLessThan(20_000);
            elasticsearch.restore();

            assertThat(job.get("status").asText()).isEqualTo("failed");
            String error = job.get("job_response").get("runtime_errors").get(0).asText();
            assertThat(error).matches("batch \\d+ \\(rows \\d+-\\d+\\) failed after 3 redeliveries: .+");
            List<String> retries = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.contains("On delivery attempt:")).toList();
            assertThat(retries).anyMatch(m -> m.contains("On delivery attempt: 1"))
                    .anyMatch(m -> m.contains("On delivery attempt: 3"));

            long counted = job.get("progress").get("rows_written").asLong();
            assertThat(counted).isPositive().isLessThan(40_000).isEqualTo(counted / BATCH * BATCH);
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isGreaterThanOrEqualTo(counted);
            assertThat(imports.documents("contacts")).isGreaterThanOrEqualTo(counted);
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid AND error = ?",
                    uuid, error)).isEqualTo(BATCH);
            // every batch in flight when Elasticsearch stopped failed the same way, each a dead letter of its own
            long deadLetters = database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid "
                    + "AND error ~ '^batch \\d+ \\(rows \\d+-\\d+\\) failed after 3 redeliveries: '", uuid);
            assertThat(deadLetters).isBetween((long) BATCH, (long) BATCH * IN_FLIGHT).isEqualTo(deadLetters / BATCH * BATCH);
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid", uuid))
                    .isEqualTo(deadLetters);

            JsonNode reprocessing = imports.awaitFinished(dromedary.api()
                    .post("/common/dead-letters/reprocess", "{\"job_uuid\": \"" + uuid + "\"}").body().get("uuid").asText());
            assertThat(reprocessing.get("status").asText()).isEqualTo("completed");
            assertThat(reprocessing.get("job_response").get("reprocessed").asLong()).isEqualTo(deadLetters);
            assertThat(reprocessing.get("job_response").get("still_failing").asLong()).isZero();
            assertThat(database.queryLong("SELECT count(*) FROM dead_letters WHERE job_uuid = ?::uuid "
                    + "AND reprocessed_at IS NOT NULL", uuid)).isEqualTo(deadLetters);
            long landed = database.queryLong("SELECT count(*) FROM contacts");
            assertThat(imports.documents("contacts")).isEqualTo(landed);
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void anExportWhoseElasticsearchStopsFailsAndLeavesNoObject() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        try (ServiceOutage elasticsearch = ServiceOutage.inFrontOf(RealServices.elasticsearchUrl());
             RunningDromedary dromedary = RunningDromedary.named("export-outage", database)
                .with("ELASTICSEARCH_URL", elasticsearch.url())
                .with("MAX_REDELIVERIES", 2)
                .with("REDELIVERY_DELAY_MS", 200)
                .start()) {
            ImportFixture imports = new ImportFixture(dromedary, database);
            imports.upload("outage/export-source.csv", ImportFixture.sample("contact", 20_000, 6));
            assertThat(imports.importAndWait("outage/export-source.csv", "contact").get("status").asText()).isEqualTo("completed");
            imports.documents("contacts");
            // pages of 5 rows: 4,000 pages, several seconds even on a fast machine, so that the cut lands mid-export
            // (the first progress is written after a second)
            String uuid = dromedary.api().createJob("export_csv_file",
                    "{\"vql\": {\"select_columns\": [\"email\", \"country\"], \"limit\": 5}}");
            await().until(() -> dromedary.api().job(uuid).get("progress").get("rows_written").asLong() >= 200);

            elasticsearch.cut();
            JsonNode job = imports.awaitFinished(uuid);
            assertThat(job.get("progress").get("rows_written").asLong()).as("cut mid-export").isLessThan(20_000);

            assertThat(job.get("status").asText()).isEqualTo("failed");
            assertThat(job.get("job_response").get("runtime_errors").get(0).asText())
                    .matches("the export failed after 2 redeliveries, \\d+ rows in: .+");
            try (var s3 = RealServices.s3Client()) {
                assertThat(s3.listObjectsV2(list -> list.bucket(RealServices.BUCKET).prefix("uploads/" + uuid)).contents())
                        .isEmpty();
                assertThat(s3.listMultipartUploads(list -> list.bucket(RealServices.BUCKET).prefix("uploads/" + uuid))
                        .uploads()).isEmpty();
            }
        }
    }
}
