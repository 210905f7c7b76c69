package dev.dromedary.sinks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.rows.FileText;
import dev.dromedary.rows.RowBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.function.Consumer;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes a batch with one {@code _bulk} request (document id = the row's key) and reads its answer item by
 * item: documents a busy cluster rejected (429) are sent again alone, with backoff, for as long as
 * {@code busyRetry} allows; a document refused for what it holds (a mapping error) makes its row a rejected
 * row with Elasticsearch's reason, which no other sink then writes. Java rather than the elasticsearch
 * component's Bulk operation: that builds, serializes and parses a typed object per document and per
 * answer item, which took as much CPU as Elasticsearch's own indexing; here the body is written straight
 * from the typed rows, and the answer is filtered by Elasticsearch to its errors.
 */
public final class ElasticsearchBulkSink {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchBulkSink.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper ANSWERS = new ObjectMapper();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final RestClient elasticsearch;
    private final Duration busyRetry;
    private final Consumer<String> stillWorking;

    /** {@code stillWorking} hears of the job of a batch that waits for a busy cluster: it is slow, not stuck. */
    public ElasticsearchBulkSink(RestClient elasticsearch, Duration busyRetry, Consumer<String> stillWorking) {
        this.elasticsearch = elasticsearch;
        this.busyRetry = busyRetry;
        this.stillWorking = stillWorking;
    }

    public boolean hasRows(@Body RowBatch batch) {
        return !batch.rows().isEmpty();
    }

    /**
     * Sends the batch's valid rows to the dataset's index; answers the batch without the rows Elasticsearch
     * refused for their content. Fails when the cluster stays too busy for {@code busyRetry}, or fails whole.
     */
    public RowBatch index(@Body RowBatch batch) throws IOException, InterruptedException {
        Dataset dataset = batch.dataset();
        Map<String, Map<String, Object>> pending = new LinkedHashMap<>();
        for (Map<String, Object> row : batch.rows()) {
            pending.put(row.get(dataset.key()).toString(), row);
        }
        Map<String, String> refused = new HashMap<>();
        long deadline = System.nanoTime() + busyRetry.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            Set<String> busy = send(dataset, pending, refused);
            pending.keySet().retainAll(busy);
            if (pending.isEmpty()) {
                return batch.refusing(refused);
            }
            if (System.nanoTime() + backoff.toNanos() > deadline) {
                throw new IllegalStateException(pending.size() + " of " + batch.rows().size() + " documents were "
                        + "rejected by a busy Elasticsearch (429) for " + busyRetry.toSeconds() + " s (ES_BUSY_RETRY_SECONDS)");
            }
            LOG.debug("Batch {}: {} documents rejected by a busy Elasticsearch; sent again in {} ms", batch.number(),
                    pending.size(), backoff.toMillis());
            stillWorking.accept(batch.jobUuid());
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * One bulk request of the pending rows; adds the ones refused for their content to {@code refused}, and
     * answers the ids a busy cluster rejected (all of them when it rejected the whole request).
     */
    private Set<String> send(Dataset dataset, Map<String, Map<String, Object>> pending, Map<String, String> refused)
            throws IOException {
        Request request = new Request("POST", "/" + dataset.index() + "/_bulk");
        request.addParameter("filter_path", "errors,items.*._id,items.*.status,items.*.error");
        request.setEntity(entity(dataset, List.copyOf(pending.values())));
        JsonNode items;
        try (InputStream content = elasticsearch.performRequest(request).getEntity().getContent()) {
            items = itemsIfErrors(content);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 429) {
                return pending.keySet();
            }
            throw e;
        }
        Set<String> busy = new HashSet<>();
        for (JsonNode item : items) {
            JsonNode result = item.elements().next();
            JsonNode error = result.path("error");
            if (error.isMissingNode()) {
                continue;
            }
            String id = result.path("_id").asText();
            if (result.path("status").asInt() == 429 || error.path("type").asText().equals("es_rejected_execution_exception")) {
                busy.add(id);
            } else if (result.path("status").asInt() >= 500) {
                throw new IllegalStateException("Elasticsearch failed to index document " + id + ": "
                        + error.path("type").asText() + ": " + FileText.quote(error.path("reason").asText()));
            } else {
                refused.put(id, "Elasticsearch refused the row: " + error.path("type").asText() + ": "
                        + FileText.quote(error.path("reason").asText()));
            }
        }
        return busy;
    }

    /**
     * The answer's items when it says some failed; none when it says {@code "errors": false}, which Elasticsearch
     * writes before the items, so that they are not read. Read as it streams rather than as a tree: the trees of
     * answers without errors were a twentieth of the bytes an import allocated.
     */
    private static JsonNode itemsIfErrors(InputStream content) throws IOException {
        try (JsonParser answer = ANSWERS.createParser(content)) {
            if (answer.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("Elasticsearch answered a bulk request with " + answer.currentToken() + ", not an object");
            }
            boolean errors = false;
            JsonNode items = ANSWERS.createArrayNode();
            while (answer.nextToken() == JsonToken.FIELD_NAME) {
                String field = answer.currentName();
                answer.nextToken();
                if (field.equals("errors")) {
                    errors = answer.getValueAsBoolean();
                    if (!errors) {
                        return ANSWERS.createArrayNode();
                    }
                } else if (field.equals("items")) {
                    items = answer.readValueAsTree();
                } else {
                    answer.skipChildren();
                }
            }
            return errors ? items : ANSWERS.createArrayNode();
        }
    }

    /** Rows of a dataset as the body of a bulk request to its index (document id = key). */
    public static byte[] body(Dataset dataset, List<Map<String, Object>> rows) {
        return write(dataset, rows).toByteArray();
    }

    /** The body as the entity of a request, without copying it: a batch of long rows is megabytes. */
    private static ByteArrayEntity entity(Dataset dataset, List<Map<String, Object>> rows) {
        BulkBody body = write(dataset, rows);
        return new ByteArrayEntity(body.bytes(), 0, body.size(), NDJSON);
    }

    private static BulkBody write(Dataset dataset, List<Map<String, Object>> rows) {
        BulkBody body = new BulkBody(estimatedSize(rows));
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.setRootValueSeparator(new SerializedString("\n"));
            for (Map<String, Object> row : rows) {
                json.writeStartObject();
                json.writeObjectFieldStart("index");
                json.writeStringField("_id", row.get(dataset.key()).toString());
                json.writeEndObject();
                json.writeEndObject();
                writeDocument(json, dataset, row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        body.write('\n');
        return body;
    }

    /** The text of the rows and some room for names and quotes: the body grows once at most. */
    static int estimatedSize(List<Map<String, Object>> rows) {
        long size = 0;
        for (Map<String, Object> row : rows) {
            size += 160;
            for (Object value : row.values()) {
                size += value instanceof String text ? text.length() + 24 : 48;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE - 16, size + size / 8);
    }

    /** A byte array stream whose bytes are lent out, not copied. */
    private static final class BulkBody extends ByteArrayOutputStream {

        BulkBody(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /** A row's typed values as the dataset's document: its columns that have a value. */
    private static void writeDocument(JsonGenerator json, Dataset dataset, Map<String, Object> row) throws IOException {
        json.writeStartObject();
        for (Column column : dataset.columns()) {
            Object value = row.get(column.name());
            if (value == null) {
                continue;
            }
            json.writeFieldName(column.name());
            if (value instanceof Long number) {
                json.writeNumber(number);
            } else if (value instanceof OffsetDateTime time) {
                json.writeString(time.toInstant().toString());
            } else if (value instanceof List<?> values) {
                json.writeStartArray();
                for (Object each : values) {
                    json.writeString(each.toString());
                }
                json.writeEndArray();
            } else {
                json.writeString(value.toString());
            }
        }
        json.writeEndObject();
    }
}
