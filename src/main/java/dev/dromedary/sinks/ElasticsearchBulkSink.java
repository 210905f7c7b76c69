package dev.dromedary.sinks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.imports.RowBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Indexes a batch with one {@code _bulk} request (document id = the row's key) and reads its answer: one
 * document not indexed fails the batch. Java rather than the elasticsearch component's Bulk operation:
 * that builds, serializes and parses a typed object per document and per answer item, which took as much
 * CPU as Elasticsearch's own indexing; here the body is written straight from the typed rows, and the
 * answer is filtered by Elasticsearch to its errors.
 */
public final class ElasticsearchBulkSink {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper ANSWERS = new ObjectMapper();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    private final RestClient elasticsearch;

    public ElasticsearchBulkSink(RestClient elasticsearch) {
        this.elasticsearch = elasticsearch;
    }

    public boolean hasRows(@Body RowBatch batch) {
        return !batch.rows().isEmpty();
    }

    /** Sends the batch's valid rows to the dataset's index; fails when any of its documents was not indexed. */
    public void index(@Body RowBatch batch) throws IOException {
        Request request = new Request("POST", "/" + batch.dataset().index() + "/_bulk");
        request.addParameter("filter_path", "errors,items.*._id,items.*.error");
        request.setEntity(new ByteArrayEntity(body(batch.dataset(), batch.rows()), NDJSON));
        JsonNode answer;
        try (InputStream content = elasticsearch.performRequest(request).getEntity().getContent()) {
            answer = ANSWERS.readTree(content);
        }
        if (answer.path("errors").asBoolean()) {
            List<JsonNode> failed = answer.path("items").findParents("error");
            JsonNode first = failed.get(0);
            throw new IllegalStateException(failed.size() + " of " + batch.rows().size() + " documents were not indexed; "
                    + "the first, " + first.path("_id").asText() + ": " + first.path("error").path("type").asText() + ": "
                    + first.path("error").path("reason").asText());
        }
    }

    /** Rows of a dataset as the body of a bulk request to its index (document id = key). */
    public static byte[] body(Dataset dataset, List<Map<String, Object>> rows) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(rows.size() * 640);
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
        return body.toByteArray();
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
