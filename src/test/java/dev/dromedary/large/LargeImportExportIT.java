package dev.dromedary.large;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.samples.SampleCsv;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.BufferedWriter;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A large file imported, then exported whole, by a {@code ./dromedary} process whose heap is capped (256 MB
 * by default): both complete, every row lands and leaves, and the heap stays flat. Skipped unless asked
 * for; scripts/large-import-export.sh runs it and prints its figures.
 */
@ExtendWith(RealServices.class)
class LargeImportExportIT {

    @Test
    @EnabledIfSystemProperty(named = "large.rows", matches = "\\d+")
    void aLargeFileImportsAndExportsWithACappedHeap() throws Exception {
        long rows = Long.getLong("large.rows");
        String heap = System.getProperty("large.heap", "256m");
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path work = Files.createDirectories(Path.of("target/large-import"));
        Path csv = work.resolve("contacts-" + rows + "-" + String.join("_", SampleCsv.CONTACT_COLUMNS).hashCode() + ".csv");
        if (!Files.exists(csv)) {
            try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                new SampleCsv(1).write("contact", rows, out);
            }
        }
        try (var s3 = RealServices.s3Client()) {
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key("large/contacts.csv"), RequestBody.fromFile(csv));
        }

        int port = RunningDromedary.freePort();
        Path gcLog = work.resolve("gc.log");
        Process dromedary = launch(database, work, heap, port, gcLog);
        AtomicLong peakRssKb = new AtomicLong();
        try {
            JobsApi api = awaitApi(port);
            long started = System.nanoTime();
            String uuid = api.createJob("insert_csv_file", "{\"s3_key\": \"large/contacts.csv\"}");
            awaitEnded(api, uuid, dromedary, peakRssKb);
            double seconds = (System.nanoTime() - started) / 1e9;
            JsonNode job = api.job(uuid);

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(rows);
            assertThat(new ImportFixture(null, database).documents("contacts")).isEqualTo(rows);
            System.out.printf("LARGE IMPORT: %d rows (%d MB) in %.1f s = %.0f rows/s; heap cap %s, most heap in use "
                            + "after a GC %d MB, peak RSS %d MB%n", rows, Files.size(csv) >> 20, seconds, rows / seconds,
                    heap, mostHeapAfterGcMb(gcLog), peakRssKb.get() >> 10);

            long exportStarted = System.nanoTime();
            String export = api.createJob("export_csv_file", "{\"vql\": {\"select_columns\": "
                    + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(SampleCsv.CONTACT_COLUMNS)
                    + ", \"limit\": 1000}}");
            awaitEnded(api, export, dromedary, peakRssKb);
            double exportSeconds = (System.nanoTime() - exportStarted) / 1e9;
            JsonNode exported = api.job(export);
            assertThat(exported.get("status").asText()).as("job %s", exported).isEqualTo("completed");
            assertThat(exported.get("job_response").get("rows_exported").asLong()).isEqualTo(rows);
            long objectSize;
            try (var s3 = RealServices.s3Client()) {
                objectSize = s3.headObject(head -> head.bucket(RealServices.BUCKET)
                        .key(exported.get("job_response").get("s3_key").asText())).contentLength();
            }
            System.out.printf("LARGE EXPORT: %d rows (%d MB) in %.1f s = %.0f rows/s; heap cap %s, most heap in use "
                            + "after a GC (import and export) %d MB, peak RSS %d MB%n", rows, objectSize >> 20, exportSeconds,
                    rows / exportSeconds, heap, mostHeapAfterGcMb(gcLog), peakRssKb.get() >> 10);
        } finally {
            dromedary.destroy();
            dromedary.waitFor();
        }
    }

    private static long peakRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .findFirst().orElse(0L);
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * Rows of a megabyte each, and then a quote left open for the rest of the file (200 MB by default), imported
     * with the heap capped: the long rows land (a batch closes at BATCH_MAX_BYTES, not at 500 rows), the job
     * fails at the open quote naming it, and the heap holds.
     */
    @Test
    @EnabledIfSystemProperty(named = "large.bigrows", matches = "\\d+")
    void megabyteRowsAndAQuoteLeftOpenImportWithACappedHeap() throws Exception {
        long rows = Long.getLong("large.bigrows");
        long openQuoteMb = Long.getLong("large.openquote.mb", 200);
        String heap = System.getProperty("large.heap", "256m");
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path work = Files.createDirectories(Path.of("target/large-import"));
        Path csv = work.resolve("big-rows-" + rows + "-" + openQuoteMb + ".csv");
        if (!Files.exists(csv)) {
            String megabyte = "x".repeat(1024 * 1024 - 60);
            try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                out.write("uuid,first_name,last_name\n");
                for (long i = 1; i <= rows; i++) {
                    out.write(new java.util.UUID(0, i) + "," + megabyte + ",row " + i + "\n");
                }
                out.write(new java.util.UUID(0, rows + 1) + ",\"never closed,");
                String chunk = "y".repeat(1024 * 1024);
                for (long i = 0; i < openQuoteMb; i++) {
                    out.write(chunk);
                }
                out.write("\n");
            }
        }
        uploadInParts(csv, "large/big-rows.csv");
        int port = RunningDromedary.freePort();
        Path gcLog = work.resolve("gc-big-rows.log");
        Process dromedary = launch(database, work, heap, port, gcLog);
        AtomicLong peakRssKb = new AtomicLong();
        try {
            JobsApi api = awaitApi(port);
            long started = System.nanoTime();
            String uuid = api.createJob("insert_csv_file", "{\"s3_key\": \"large/big-rows.csv\"}");
            awaitEnded(api, uuid, dromedary, peakRssKb);
            double seconds = (System.nanoTime() - started) / 1e9;
            JsonNode job = api.job(uuid);

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("failed");
            assertThat(job.get("job_response").get("runtime_errors").get(0).asText())
                    .startsWith("row " + (rows + 1) + " opens a quoted value at byte ").contains("is inside it");
            assertThat(database.queryLong("SELECT count(*) FROM contacts")).isEqualTo(rows);
            assertThat(database.queryLong("SELECT min(length(first_name)) FROM contacts")).isEqualTo(1024 * 1024 - 60);
            assertThat(new ImportFixture(null, database).documents("contacts")).isEqualTo(rows);
            System.out.printf("LARGE BIG ROWS: %d rows of 1 MB and a %d MB open quote (%d MB) in %.1f s; heap cap %s, "
                            + "most heap in use after a GC %d MB, peak RSS %d MB%n", rows, openQuoteMb, Files.size(csv) >> 20,
                    seconds, heap, mostHeapAfterGcMb(gcLog), peakRssKb.get() >> 10);
        } finally {
            dromedary.destroy();
            dromedary.waitFor();
        }
    }

    /** Puts a file of any size (a single PUT takes at most 5 GB) in 64 MB parts. */
    private static void uploadInParts(Path file, String key) throws java.io.IOException {
        try (var s3 = RealServices.s3Client(); var in = Files.newInputStream(file)) {
            String upload = s3.createMultipartUpload(create -> create.bucket(RealServices.BUCKET).key(key)).uploadId();
            List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new java.util.ArrayList<>();
            byte[] part;
            while ((part = in.readNBytes(64 << 20)).length > 0) {
                int number = parts.size() + 1;
                String etag = s3.uploadPart(upload(key, upload, number), RequestBody.fromBytes(part)).eTag();
                parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(complete -> complete.bucket(RealServices.BUCKET).key(key).uploadId(upload)
                    .multipartUpload(done -> done.parts(parts)));
        }
    }

    private static software.amazon.awssdk.services.s3.model.UploadPartRequest upload(String key, String upload, int number) {
        return software.amazon.awssdk.services.s3.model.UploadPartRequest.builder().bucket(RealServices.BUCKET).key(key)
                .uploadId(upload).partNumber(number).build();
    }

    /** The API of the process on {@code port}, once it answers (within two minutes). */
    private static JobsApi awaitApi(int port) {
        JobsApi api = RunningDromedary.apiAt("http://localhost:" + port, "large");
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> api.list("{}").status() == 200);
        return api;
    }

    /** Waits until the job has ended, up to an hour, noting the process's peak RSS meanwhile. */
    private static void awaitEnded(JobsApi api, String uuid, Process dromedary, AtomicLong peakRssKb) {
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            peakRssKb.accumulateAndGet(peakRss(dromedary.pid()), Math::max);
            return List.of("completed", "failed").contains(api.status(uuid));
        });
    }

    /** A {@code ./dromedary} process on the test services, its heap capped and its GC logged. */
    private static Process launch(RealServices.TestDatabase database, Path work, String heap, int port, Path gcLog)
            throws java.io.IOException {
        ProcessBuilder launcher = new ProcessBuilder("./dromedary").redirectErrorStream(true)
                .redirectOutput(work.resolve("dromedary-" + port + ".log").toFile()).directory(new File("."));
        launcher.environment().putAll(java.util.Map.of(
                "JAVA_OPTS", "-Xmx" + heap + " -Xlog:gc:file=" + gcLog,
                "DATABASE_URL", database.jdbcUrl(), "DATABASE_USER", "dromedary", "DATABASE_PASSWORD", "dromedary",
                "S3_ENDPOINT", RealServices.s3Endpoint(), "AWS_ACCESS_KEY_ID", RealServices.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", RealServices.SECRET_KEY, "ELASTICSEARCH_URL", RealServices.elasticsearchUrl(),
                "ELASTICSEARCH_INDEX_PREFIX", database.name() + "_", "HTTP_PORT", String.valueOf(port)));
        launcher.environment().put("API_KEYS", "large");
        launcher.environment().put("TICKER_INTERVAL_SECONDS", "1");
        launcher.environment().put("INBOX_ENABLED", "false");
        launcher.environment().put("DATA_DIR", work.resolve("data").toString());
        return launcher.start();
    }

    /** The largest heap occupancy the GC log reports after a collection ({@code 120M->45M(256M)}). */
    private static long mostHeapAfterGcMb(Path gcLog) throws Exception {
        Matcher after = Pattern.compile("->(\\d+)M\\(").matcher(Files.readString(gcLog));
        long most = 0;
        while (after.find()) {
            most = Math.max(most, Long.parseLong(after.group(1)));
        }
        return most;
    }
}
