package dev.dromedary.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.samples.SampleCsv;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.SinkContents;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The files every round imports, put into the test S3 server once: {@code rows} contacts, and a tenth as many
 * companies (at least 1,000) for the export, the contacts without one in {@value #MIRROR_LACKS_EVERY} for a mirror import;
 * and what each holds.
 */
record ChaosFiles(int rows, String contactsKey, List<String> contactKeys, Set<String> contactFacets,
                  String companiesKey, Set<String> companyKeys, String mirrorKey, Set<String> mirrorKeys) {

    /** The mirror file lacks one contact in this many. */
    static final int MIRROR_LACKS_EVERY = 10;

    private static final List<String> CONTACT_FACETS = List.of("industry", "country", "state", "city", "seniority", "department");

    static ChaosFiles upload(int rows) throws IOException {
        Path contacts = generate("contact", rows, 1807);
        Path companies = generate("company", Math.max(1_000, rows / 10), 1808);
        String contactsKey = "chaos/contacts-" + rows + ".csv";
        String companiesKey = "chaos/companies-" + rows + ".csv";
        String mirrorKey = "chaos/contacts-mirror-" + rows + ".csv";
        Path mirror = Files.createTempFile(Path.of("target"), "chaos-mirror-", ".csv");
        Set<String> mirrorKeys = new HashSet<>();
        try (java.io.BufferedReader in = Files.newBufferedReader(contacts); Writer out = Files.newBufferedWriter(mirror);
             CSVParser records = parse(contacts)) {
            out.write(in.readLine() + "\n");
            org.apache.commons.csv.CSVPrinter printer = CSVFormat.DEFAULT.print(out);
            int number = 0;
            for (org.apache.commons.csv.CSVRecord record : records) {
                if (++number % MIRROR_LACKS_EVERY != 0) {
                    printer.printRecord(record.toList());
                    mirrorKeys.add(record.get("uuid"));
                }
            }
            printer.flush();
        }
        try (var s3 = RealServices.s3Client()) {
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(contactsKey), RequestBody.fromFile(contacts));
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(companiesKey), RequestBody.fromFile(companies));
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(mirrorKey), RequestBody.fromFile(mirror));
        }
        List<String> contactKeys = keysOf(contacts).stream().sorted().toList();
        Set<String> companyKeys = new HashSet<>(keysOf(companies));
        if (contactKeys.stream().distinct().count() != rows) {
            throw new IllegalStateException("the sample repeats a key");
        }
        Set<String> facets;
        try (CSVParser records = parse(contacts)) {
            facets = SinkContents.facetValuesIn(records, CONTACT_FACETS);
        }
        Files.delete(contacts);
        Files.delete(companies);
        Files.delete(mirror);
        return new ChaosFiles(rows, contactsKey, contactKeys, facets, companiesKey, companyKeys, mirrorKey, Set.copyOf(mirrorKeys));
    }

    /** A sample file, written to disk rather than held: a round may import millions of rows. */
    private static Path generate(String dataset, int rows, long seed) throws IOException {
        Path file = Files.createTempFile(Path.of("target"), "chaos-" + dataset + "-", ".csv");
        try (Writer out = Files.newBufferedWriter(file)) {
            new SampleCsv(seed).write(dataset, rows, out);
        }
        return file;
    }

    private static List<String> keysOf(Path file) throws IOException {
        List<String> keys = new ArrayList<>();
        try (CSVParser records = parse(file)) {
            records.forEach(record -> keys.add(record.get("uuid")));
        }
        return keys;
    }

    private static CSVParser parse(Path file) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(Files.newBufferedReader(file));
    }

    /** Every document id of {@code index}, read page by page through a point in time, with repeats if any. */
    static List<String> documentIds(String index) {
        ImportFixture.elasticsearch("POST", "/" + index + "/_refresh", null);
        String pit = ImportFixture.elasticsearch("POST", "/" + index + "/_pit?keep_alive=1m", null).path("id").asText();
        if (pit.isEmpty()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try {
            String after = "";
            while (true) {
                JsonNode hits = ImportFixture.elasticsearch("POST", "/_search", "{\"size\": 10000, \"_source\": false, "
                        + "\"track_total_hits\": false, \"pit\": {\"id\": \"" + pit + "\", \"keep_alive\": \"1m\"}, "
                        + "\"sort\": [{\"_shard_doc\": \"asc\"}]" + after + "}").path("hits").path("hits");
                if (hits.isEmpty()) {
                    return ids;
                }
                hits.forEach(hit -> ids.add(hit.path("_id").asText()));
                after = ", \"search_after\": " + hits.get(hits.size() - 1).path("sort");
            }
        } finally {
            ImportFixture.elasticsearch("DELETE", "/_pit", "{\"id\": \"" + pit + "\"}");
        }
    }
}
