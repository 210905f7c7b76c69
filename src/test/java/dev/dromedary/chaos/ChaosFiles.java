package dev.dromedary.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.SinkContents;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVRecord;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The files every round imports, put into the test S3 server once: {@code rows} contacts, and a tenth as many
 * companies (at least 1,000) for the export; and what each holds.
 */
record ChaosFiles(int rows, String contactsKey, List<String> contactKeys, Set<String> contactFacets,
                  String companiesKey, Set<String> companyKeys) {

    private static final List<String> CONTACT_FACETS = List.of("industry", "country", "state", "city", "seniority", "department");

    static ChaosFiles upload(int rows) throws IOException {
        String contacts = ImportFixture.sample("contact", rows, 1807);
        String companies = ImportFixture.sample("company", Math.max(1_000, rows / 10), 1808);
        String contactsKey = "chaos/contacts-" + rows + ".csv";
        String companiesKey = "chaos/companies-" + rows + ".csv";
        try (var s3 = RealServices.s3Client()) {
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(contactsKey), RequestBody.fromString(contacts));
            s3.putObject(put -> put.bucket(RealServices.BUCKET).key(companiesKey), RequestBody.fromString(companies));
        }
        List<CSVRecord> contactRecords = SinkContents.parse(contacts);
        List<String> contactKeys = contactRecords.stream().map(record -> record.get("uuid")).sorted().toList();
        Set<String> companyKeys = SinkContents.parse(companies).stream().map(record -> record.get("uuid"))
                .collect(Collectors.toSet());
        if (contactKeys.stream().distinct().count() != rows) {
            throw new IllegalStateException("the sample repeats a key");
        }
        return new ChaosFiles(rows, contactsKey, contactKeys, SinkContents.facetValuesIn(contactRecords, CONTACT_FACETS),
                companiesKey, companyKeys);
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
