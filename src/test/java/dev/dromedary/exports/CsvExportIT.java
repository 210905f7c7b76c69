package dev.dromedary.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.ImportFixture;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** export_csv_file against real Elasticsearch and S3, over 30,000 imported contacts and 3,000 companies. */
@ExtendWith(RealServices.class)
class CsvExportIT {

    private static RealServices.TestDatabase database;
    private static RunningDromedary dromedary;
    private static ImportFixture imports;
    private static JobsApi api;
    private static List<CSVRecord> contacts;
    private static List<CSVRecord> companies;

    @BeforeAll
    static void importContactsAndCompanies() throws Exception {
        database = RealServices.freshDatabase();
        // the guide's examples export into a bucket of their own
        dromedary = RunningDromedary.named("exporter", database).with("S3_ALLOWED_BUCKETS", RealServices.BUCKET + ",my-bucket")
                .start();
        imports = new ImportFixture(dromedary, database);
        api = dromedary.api();
        // 30,000 contacts are 9.4 MB of CSV: an export of every column fills one 8 MB part and starts another
        String contactsCsv = ImportFixture.sample("contact", 30_000, 21);
        String companiesCsv = ImportFixture.sample("company", 3_000, 22);
        imports.upload("export-source/contacts.csv", contactsCsv);
        imports.upload("export-source/companies.csv", companiesCsv);
        assertThat(imports.importAndWait("export-source/contacts.csv", "contact").get("status").asText()).isEqualTo("completed");
        assertThat(imports.importAndWait("export-source/companies.csv", "company").get("status").asText()).isEqualTo("completed");
        contacts = parse(contactsCsv);
        companies = parse(companiesCsv);
        imports.documents("contacts");
        imports.documents("companies");
    }

    @AfterAll
    static void stop() {
        dromedary.close();
    }

    @Test
    void anExportHoldsExactlyTheMatchingRowsTheSelectedColumnsInTheRequestedOrder() throws Exception {
        JsonNode job = export("""
                {"service": "contact",
                 "vql": {"where": {"keyword_match": {"must": {"country": ["USA", "Germany"]},
                                                     "must_not": {"seniority": ["entry", "vp"]}},
                                   "range_query": {"must": {"employees_count": {"gte": 1000, "lte": 30000}},
                                                   "must_not": {"created_at": {"lt": "2017-01-01"}}}},
                         "select_columns": ["email", "first_name", "company_name", "employees_count", "uuid"],
                         "order_by": [{"order_by": "employees_count", "order_direction": "desc"}],
                         "limit": 700}}""");

        List<List<String>> expected = contacts.stream()
                .filter(c -> Set.of("USA", "Germany").contains(c.get("country")))
                .filter(c -> !Set.of("entry", "vp").contains(c.get("seniority")))
                .filter(c -> Long.parseLong(c.get("employees_count")) >= 1000 && Long.parseLong(c.get("employees_count")) <= 30000)
                .filter(c -> c.get("created_at").compareTo("2017-01-01") >= 0)
                .sorted(Comparator.comparingLong((CSVRecord c) -> Long.parseLong(c.get("employees_count"))).reversed()
                        .thenComparing(c -> c.get("uuid")))
                .map(c -> List.of(c.get("email"), c.get("first_name"), c.get("company_name"), c.get("employees_count"), c.get("uuid")))
                .toList();
        assertThat(expected).hasSizeGreaterThan(1400);

        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
        assertThat(job.get("job_response").get("rows_exported").asLong()).isEqualTo(expected.size());
        String key = job.get("job_response").get("s3_key").asText();
        assertThat(key).isEqualTo("uploads/" + job.get("uuid").asText() + ".csv");
        List<CSVRecord> exported = CSVFormat.DEFAULT.parse(new StringReader(download(key))).getRecords();
        assertThat(exported.get(0).toList()).containsExactly("email", "first_name", "company_name", "employees_count", "uuid");
        assertThat(exported.subList(1, exported.size()).stream().map(CSVRecord::toList).toList())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void anExportOfEveryColumnOverEightMegabytesIsUploadedInPartsAndHoldsEachRowAsImported() throws Exception {
        List<String> columns = contacts.get(0).getParser().getHeaderNames();
        JsonNode job = export("{\"service\": \"contact\", \"vql\": {\"select_columns\": "
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(columns)
                + ", \"order_by\": [{\"order_by\": \"uuid\", \"order_direction\": \"asc\"}], \"limit\": 1000}}");

        assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
        assertThat(job.get("job_response").get("rows_exported").asLong()).isEqualTo(30_000);
        String key = job.get("job_response").get("s3_key").asText();
        try (var s3 = RealServices.s3Client()) {
            var head = s3.headObject(request -> request.bucket(RealServices.BUCKET).key(key));
            assertThat(head.contentLength()).as("more than one part").isGreaterThan(9_000_000L);
            assertThat(head.eTag()).as("a multipart object's ETag ends with its number of parts").endsWith("-2\"");
        }
        List<CSVRecord> exported = CSVFormat.DEFAULT.parse(new StringReader(download(key))).getRecords();
        assertThat(exported.get(0).toList()).containsExactlyElementsOf(columns);
        // a phone number starts with "+": written after a quote, so a spreadsheet does not run it as a formula
        List<List<String>> expected = contacts.stream().sorted(Comparator.comparing((CSVRecord c) -> c.get("uuid")))
                .map(c -> c.toList().stream().map(value -> value.startsWith("+") ? "'" + value : value).toList()).toList();
        assertThat(exported).hasSize(expected.size() + 1);
        // row by row, so that a difference is named at once rather than in a diff of 30,000 rows
        for (int row = 0; row < expected.size(); row++) {
            assertThat(exported.get(row + 1).toList()).as("row %d", row + 1).isEqualTo(expected.get(row));
        }
    }

    @Test
    void theGuidesThreeExportExamplesRunAsWritten() throws Exception {
        try (var s3 = RealServices.s3Client()) {
            // a second run of the suite on the same S3 data finds it made already
            if (s3.listBuckets().buckets().stream().noneMatch(bucket -> bucket.name().equals("my-bucket"))) {
                s3.createBucket(create -> create.bucket("my-bucket"));
            }
        }
        JsonNode first = export("""
                {
                      "s3_bucket": "my-bucket",
                      "service": "contact",
                      "vql": {
                        "where": {
                          "keyword_match": {
                            "must": {
                              "country": ["USA"]
                            }
                          }
                        },
                        "select_columns": ["first_name", "last_name", "email", "title"],
                        "order_by": [
                          {
                            "order_by": "uuid",
                            "order_direction": "desc"
                          }
                        ],
                        "limit": 500
                      }
                    }""");
        JsonNode second = export("""
                {
                      "s3_bucket": "my-bucket",
                      "service": "company",
                      "vql": {
                        "where": {
                          "keyword_match": {
                            "must": {
                              "industries": ["Software", "SaaS"],
                              "country": ["USA"]
                            }
                          },
                          "range_query": {
                            "must": {
                              "employees_count": {
                                "gte": 50,
                                "lte": 1000
                              },
                              "annual_revenue": {
                                "gte": 1000000
                              }
                            }
                          }
                        },
                        "select_columns": [
                          "id",
                          "name",
                          "employees_count",
                          "annual_revenue",
                          "industries",
                          "country",
                          "website"
                        ],
                        "order_by": [
                          {
                            "order_by": "uuid",
                            "order_direction": "desc"
                          }
                        ],
                        "limit": 500
                      }
                    }""");
        JsonNode third = export("""
                {
                    "service": "contact",
                    "vql": {
                      "where": {
                        "keyword_match": {
                          "must": {
                            "country": ["USA"]
                          }
                        }
                      },
                      "select_columns": [
                        "first_name",
                        "last_name",
                        "email",
                        "title",
                        "company_id"
                      ],
                      "order_by": [
                        {
                          "order_by": "uuid",
                          "order_direction": "desc"
                        }
                      ],
                      "limit": 500
                    }
                  }""");

        long usaContacts = contacts.stream().filter(c -> c.get("country").equals("USA")).count();
        long matchingCompanies = companies.stream()
                .filter(c -> c.get("country").equals("USA"))
                .filter(c -> List.of(c.get("industries").split(";")).stream().anyMatch(Set.of("Software", "SaaS")::contains))
                .filter(c -> Long.parseLong(c.get("employees_count")) >= 50 && Long.parseLong(c.get("employees_count")) <= 1000)
                .filter(c -> Long.parseLong(c.get("annual_revenue")) >= 1_000_000)
                .count();
        for (JsonNode job : List.of(first, second, third)) {
            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
        }
        assertThat(first.get("job_response").get("rows_exported").asLong()).isEqualTo(usaContacts);
        assertThat(first.get("job_response").get("s3_bucket").asText()).isEqualTo("my-bucket");
        assertThat(second.get("job_response").get("rows_exported").asLong()).isEqualTo(matchingCompanies);
        assertThat(third.get("job_response").get("rows_exported").asLong()).isEqualTo(usaContacts);

        List<CSVRecord> usaByUuidDescending = contacts.stream().filter(c -> c.get("country").equals("USA"))
                .sorted(Comparator.comparing((CSVRecord c) -> c.get("uuid")).reversed()).toList();
        assertThat(rowsOf(download("my-bucket", first.get("job_response").get("s3_key").asText())))
                .containsExactlyElementsOf(usaByUuidDescending.stream()
                        .map(c -> List.of(c.get("first_name"), c.get("last_name"), c.get("email"), c.get("title"))).toList());
        assertThat(rowsOf(download(third.get("job_response").get("s3_key").asText())))
                .containsExactlyElementsOf(usaByUuidDescending.stream()
                        .map(c -> List.of(c.get("first_name"), c.get("last_name"), c.get("email"), c.get("title"),
                                c.get("company_id"))).toList());

        String companiesCsv = download("my-bucket", second.get("job_response").get("s3_key").asText());
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(companiesCsv)).getRecords();
        CSVRecord row = rows.get(0);
        CSVRecord source = companies.stream().filter(c -> c.get("uuid").equals(row.get("id"))).findFirst().orElseThrow();
        assertThat(row.get("industries")).isEqualTo(source.get("industries"));
        assertThat(row.get("name")).isEqualTo(source.get("name"));
    }

    /** The rows of an exported CSV, its header left out. */
    private static List<List<String>> rowsOf(String csv) throws Exception {
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(csv)).getRecords();
        return records.subList(1, records.size()).stream().map(CSVRecord::toList).toList();
    }

    @Test
    void aPageWhoseProgressWriteFailsIsRedeliveredAndWrittenOnce() throws Exception {
        // the first progress write of an export fails, as when the pool has no connection to give in time
        database.update("""
                CREATE SEQUENCE export_progress_writes;
                CREATE FUNCTION fail_first_export_progress() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.job_type = 'export_csv_file' AND NEW.rows_read > 0 THEN
                        IF nextval('export_progress_writes') = 1 THEN
                            RAISE EXCEPTION 'no connection available (the test fails this write)';
                        END IF;
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER fail_first_export_progress BEFORE UPDATE ON jobs
                    FOR EACH ROW EXECUTE FUNCTION fail_first_export_progress()""");
        try {
            // pages of 700: the last, written with the job's progress, holds 200 rows
            JsonNode job = export("{\"service\": \"company\", \"vql\": {\"select_columns\": [\"uuid\"], "
                    + "\"order_by\": [{\"order_by\": \"uuid\", \"order_direction\": \"asc\"}], \"limit\": 700}}");

            assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("completed");
            assertThat(database.queryLong("SELECT last_value FROM export_progress_writes")).as("a write failed and was made again")
                    .isGreaterThanOrEqualTo(2);
            assertThat(job.get("job_response").get("rows_exported").asLong()).isEqualTo(3_000);
            List<CSVRecord> exported = parse(download(job.get("job_response").get("s3_key").asText()));
            assertThat(exported.stream().map(record -> record.get("uuid")).toList())
                    .containsExactlyElementsOf(companies.stream().map(record -> record.get("uuid")).sorted().toList());
        } finally {
            database.update("DROP TRIGGER fail_first_export_progress ON jobs; DROP FUNCTION fail_first_export_progress(); "
                    + "DROP SEQUENCE export_progress_writes");
        }
    }

    @Test
    void withoutSelectColumnsTheJobFailsWithTheGuidesError() {
        JsonNode job = export("{\"service\": \"contact\", \"vql\": {\"where\": {}}}");

        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("job_response").get("runtime_errors").get(0).asText()).isEqualTo("ERR_MISSING_SELECT_COLUMNS: "
                + "'select_columns' is required for export operations; specify at least one column to include in the output");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"select_columns\": [\"email\", \"shoe_size\"]} | 'shoe_size'",
            "{\"select_columns\": [\"email\"], \"where\": {\"keyword_match\": {\"must\": {\"planet\": [\"Mars\"]}}}} | 'planet'",
            "{\"select_columns\": [\"email\"], \"where\": {\"range_query\": {\"must\": {\"country\": {\"gte\": 3}}}}} | where.range_query.must.country",
            "{\"select_columns\": [\"email\"], \"where\": {\"keyword_match\": {\"must\": {\"country\": \"USA\"}}}} | where.keyword_match.must.country",
            "{\"select_columns\": [\"email\"], \"order_by\": [{\"order_by\": \"height\"}]} | 'height'"})
    void aQueryThatCannotRunFailsTheJobNamingTheFieldAndLeavesNoObject(String vql, String field) {
        JsonNode job = export("{\"service\": \"contact\", \"vql\": " + vql + "}");

        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.get("job_response").get("runtime_errors").get(0).asText()).contains(field);
        try (var s3 = RealServices.s3Client()) {
            assertThat(s3.listObjectsV2(list -> list.bucket(RealServices.BUCKET).prefix("uploads/" + job.get("uuid").asText()))
                    .contents()).isEmpty();
        }
    }

    @Test
    void aTextCellASpreadsheetWouldRunAsAFormulaIsWrittenAfterAQuoteAndNumbersAreLeftAlone() throws Exception {
        String[] names = {"=HYPERLINK(\"http://evil.example\",\"x\")", "+1 555 0100", "-minus", "@SUM(A1:A9)", "\tTabbed", "Plain"};
        StringBuilder csv = new StringBuilder("uuid,first_name,employees_count,country\n");
        for (int i = 0; i < names.length; i++) {
            csv.append(String.format("00000000-0000-4000-9000-%012d", i)).append(',')
                    .append(CSVFormat.DEFAULT.format(names[i])).append(",-").append(i + 1).append(",Formulaland\n");
        }
        imports.upload("export-source/formulas.csv", csv.toString());
        assertThat(imports.importAndWait("export-source/formulas.csv", "contact").get("status").asText()).isEqualTo("completed");
        JsonNode job;
        try {
            job = export("""
                {"service": "contact",
                 "vql": {"where": {"keyword_match": {"must": {"country": ["Formulaland"]}}},
                         "select_columns": ["first_name", "employees_count"],
                         "order_by": [{"order_by": "employees_count", "order_direction": "desc"}]}}""");
        } finally {
            // the other tests count every contact
            List<String> ids = java.util.stream.IntStream.range(0, names.length)
                    .mapToObj(i -> String.format("00000000-0000-4000-9000-%012d", i)).toList();
            imports.deleteDocuments("contacts", ids);
            try (var connection = database.dataSource().getConnection();
                 var delete = connection.prepareStatement("DELETE FROM contacts WHERE country = 'Formulaland'")) {
                delete.executeUpdate();
            }
        }

        List<CSVRecord> exported = CSVFormat.DEFAULT.parse(new StringReader(download(job.get("job_response").get("s3_key")
                .asText()))).getRecords();
        assertThat(exported.subList(1, exported.size()).stream().map(CSVRecord::toList).toList()).containsExactly(
                List.of("'=HYPERLINK(\"http://evil.example\",\"x\")", "-1"), List.of("'+1 555 0100", "-2"),
                List.of("'-minus", "-3"), List.of("'@SUM(A1:A9)", "-4"), List.of("'\tTabbed", "-5"), List.of("Plain", "-6"));
    }

    private static JsonNode export(String jobData) {
        return imports.awaitFinished(api.createJob("export_csv_file", jobData));
    }

    private static String download(String key) {
        return download(RealServices.BUCKET, key);
    }

    private static String download(String bucket, String key) {
        try (var s3 = RealServices.s3Client()) {
            return s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            throw new AssertionError("no object s3://" + bucket + "/" + key, e);
        }
    }

    private static List<CSVRecord> parse(String csv) throws Exception {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }
}
