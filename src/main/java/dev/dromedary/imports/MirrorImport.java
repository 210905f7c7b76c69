package dev.dromedary.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.jobs.SqlFile;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.vql.Vql;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirror imports ({@code job_data.mode: "mirror"}): every key the source holds is remembered as its batch goes to
 * the sinks ({@code mirror_keys}); once all of it has landed, the dataset's rows in the mirror's scope whose keys
 * the source lacked are deleted, page by page of the index, from PostgreSQL and then from Elasticsearch by id (the
 * cluster may lack delete-by-query). Killed at any point and resumed, it deletes exactly the rows its source lacks:
 * the keys stay until it completes (routes/mirror-keys.camel.yaml forgets them then), and a row gone from PostgreSQL
 * but not yet from the index is found again.
 */
public final class MirrorImport {

    /** The exchange property that says a batch's keys are to be remembered: its job is a mirror. */
    public static final String MIRROR = "mirror";
    /** The most deleted keys a job's answer lists; the count is always there. */
    static final int LISTED_KEYS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(MirrorImport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final RestClient elasticsearch;
    private final int pageSize;
    private final String recordKeys = SqlFile.load("sql/mirror/record-keys.sql");
    private final String absentKeys = SqlFile.load("sql/mirror/absent-keys.sql");

    public MirrorImport(DataSource dataSource, RestClient elasticsearch, int pageSize) {
        this.dataSource = dataSource;
        this.elasticsearch = elasticsearch;
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("the setting MIRROR_PAGE_SIZE is 1 to 10000 keys, not " + pageSize);
        }
        this.pageSize = pageSize;
    }

    /** Remembers the keys of a batch's valid rows, before any sink writes it (a key remembered twice is one). */
    public void recordKeys(@Body RowBatch batch) throws SQLException {
        if (batch.rows().isEmpty()) {
            return;
        }
        String[] keys = batch.rows().stream().map(row -> row.get(batch.dataset().key()).toString()).toArray(String[]::new);
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(recordKeys)) {
            insert.setString(1, batch.jobUuid());
            insert.setArray(2, connection.createArrayOf("text", keys));
            insert.executeUpdate();
        }
    }

    /** After a file's import: its mirror's deletes, unless it was a dry run or stopped short. */
    public void deleteAbsentOfFile(Exchange exchange) throws Exception {
        ImportRun run = exchange.getProperty(FileImport.RUN, ImportRun.class);
        run.mirrored = deleteAbsent(run.jobUuid, run.dataset, run.options.mirror(), run.rowsFailed,
                run.stoppedEarly || run.overBudget() != null);
    }

    /** After a source's rows (a database, an HTTP API): its mirror's deletes, unless it stopped short. */
    public void deleteAbsentOfSource(Exchange exchange) throws Exception {
        SourceRun run = exchange.getProperty(SourceImport.RUN, SourceRun.class);
        run.mirrored = deleteAbsent(run.jobUuid, run.dataset, run.options.mirror(), run.rowsFailed,
                run.stoppedEarly() || run.overBudget() != null);
    }

    private MirrorOutcome deleteAbsent(String jobUuid, Dataset dataset, Mirror mirror, long deadLetters, boolean cutShort)
            throws IOException, SQLException {
        if (cutShort) {
            return MirrorOutcome.skipped("the import stopped before the source's end");
        }
        if (deadLetters > 0) {
            return MirrorOutcome.skipped("the source had " + deadLetters + " rows that did not land (dead letters): a row "
                    + "they hold may be one the mirror would delete");
        }
        Map<String, Object> scope = Vql.where(mirror.scope(), dataset);
        elasticsearch.performRequest(new Request("POST", "/" + dataset.index() + "/_refresh"));
        long scopeRows = count(dataset, scope);
        long limit = mirror.limit(scopeRows);
        long absent = 0;
        JsonNode after = null;
        while (true) {
            Page page = page(dataset, scope, after);
            if (page.keys().isEmpty()) {
                break;
            }
            absent += absent(jobUuid, page.keys()).size();
            if (absent > limit) {
                throw new ImportRejected("ERR_MIRROR_DELETE_LIMIT: the mirror would delete more than " + limit + " of the "
                        + scopeRows + " rows in its scope (" + absent + " found so far), over job_data.mirror_max_delete ("
                        + mirror.limitDescribed() + "); it deleted nothing");
            }
            after = page.last();
        }
        List<String> listed = new ArrayList<>();
        long deleted = 0;
        after = null;
        while (absent > 0) {
            Page page = page(dataset, scope, after);
            if (page.keys().isEmpty()) {
                break;
            }
            List<String> gone = absent(jobUuid, page.keys());
            if (!gone.isEmpty()) {
                deleteRows(dataset, gone);
                deleted += deleteDocuments(dataset, gone);
                gone.stream().limit(Math.max(0, LISTED_KEYS - listed.size())).forEach(listed::add);
            }
            after = page.last();
        }
        LOG.info("Mirror job {} deleted {} rows of {} that its source did not hold ({} rows in its scope)", jobUuid, deleted,
                dataset.name(), scopeRows);
        return new MirrorOutcome(scopeRows, deleted, limit, listed, null);
    }

    private long count(Dataset dataset, Map<String, Object> scope) throws IOException {
        Request count = new Request("POST", "/" + dataset.index() + "/_count");
        count.setEntity(new StringEntity(JSON.writeValueAsString(Map.of("query", scope)), ContentType.APPLICATION_JSON));
        return read(count).path("count").asLong();
    }

    /** A page of the keys in scope, in key order, after {@code after}. */
    private Page page(Dataset dataset, Map<String, Object> scope, JsonNode after) throws IOException {
        ObjectNode search = JSON.createObjectNode().put("size", pageSize).put("_source", false).put("track_total_hits", false);
        search.set("query", JSON.valueToTree(scope));
        search.putArray("sort").addObject().put(dataset.key(), "asc");
        if (after != null) {
            search.set("search_after", after);
        }
        Request request = new Request("POST", "/" + dataset.index() + "/_search");
        request.addParameter("filter_path", "hits.hits._id,hits.hits.sort");
        request.setEntity(new StringEntity(search.toString(), ContentType.APPLICATION_JSON));
        JsonNode hits = read(request).path("hits").path("hits");
        List<String> keys = new ArrayList<>(hits.size());
        hits.forEach(hit -> keys.add(hit.path("_id").asText()));
        return new Page(keys, hits.isEmpty() ? null : hits.get(hits.size() - 1).path("sort"));
    }

    private List<String> absent(String jobUuid, List<String> keys) throws SQLException {
        List<String> absent = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(absentKeys)) {
            Array array = connection.createArrayOf("text", keys.toArray());
            query.setArray(1, array);
            query.setString(2, jobUuid);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    absent.add(rows.getString(1));
                }
            }
        }
        return absent;
    }

    /** PostgreSQL first: a row deleted there but not yet from the index is still found in the index by a resumed mirror. */
    private void deleteRows(Dataset dataset, List<String> keys) throws SQLException {
        String keyType = dataset.keyColumn().type() == ColumnType.UUID_VALUE ? "uuid[]" : "text[]";
        // the table and key are the dataset's checked identifiers; the keys are a parameter
        String delete = "DELETE FROM " + dataset.table() + " WHERE " + dataset.key() + " = ANY(CAST(? AS " + keyType + "))";
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(delete)) {
            statement.setArray(1, connection.createArrayOf("text", keys.toArray()));
            statement.executeUpdate();
        }
    }

    /** Deletes documents by id in one bulk request; a document already gone counts as nothing, any other failure fails. */
    private long deleteDocuments(Dataset dataset, List<String> keys) throws IOException {
        StringBuilder body = new StringBuilder(keys.size() * 80);
        for (String key : keys) {
            body.append("{\"delete\":{\"_id\":").append(JSON.writeValueAsString(key)).append("}}\n");
        }
        Request bulk = new Request("POST", "/" + dataset.index() + "/_bulk");
        bulk.addParameter("filter_path", "errors,items.*.result,items.*.status,items.*.error");
        bulk.setEntity(new StringEntity(body.toString(), ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)));
        JsonNode answer = read(bulk);
        long deleted = 0;
        for (JsonNode item : answer.path("items")) {
            JsonNode result = item.path("delete");
            if ("deleted".equals(result.path("result").asText())) {
                deleted++;
            } else if (result.path("status").asInt() != 404) {
                throw new IOException("Elasticsearch did not delete a document of " + dataset.index() + ": " + result.path("error"));
            }
        }
        return deleted;
    }

    private JsonNode read(Request request) throws IOException {
        try (InputStream body = elasticsearch.performRequest(request).getEntity().getContent()) {
            return JSON.readTree(body);
        }
    }

    private record Page(List<String> keys, JsonNode last) {
    }

    /** What a mirror did: the rows in its scope, how many it deleted (and the first keys), or why it deleted none. */
    record MirrorOutcome(long scopeRows, long deleted, long limit, List<String> deletedKeys, String skipped) {

        static MirrorOutcome skipped(String why) {
            return new MirrorOutcome(0, 0, 0, List.of(), why);
        }

        Map<String, Object> described() {
            Map<String, Object> mirror = new LinkedHashMap<>();
            if (skipped != null) {
                mirror.put("deleted_nothing", skipped);
                return mirror;
            }
            mirror.put("scope_rows", scopeRows);
            mirror.put("max_delete", limit);
            mirror.put("deleted_keys", deletedKeys);
            return mirror;
        }
    }
}
