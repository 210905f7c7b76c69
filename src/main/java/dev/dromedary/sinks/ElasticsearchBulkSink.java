package dev.dromedary.sinks;

import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.imports.RowBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;

/**
 * Makes a batch into one {@code _bulk} request for the elasticsearch component (document id = the row's key),
 * and reads its answer item by item: one document not indexed fails the batch.
 */
public final class ElasticsearchBulkSink {

    public BulkRequest.Builder request(@Body RowBatch batch) {
        Dataset dataset = batch.dataset();
        BulkRequest.Builder request = new BulkRequest.Builder().index(dataset.index());
        for (Map<String, Object> row : batch.rows()) {
            Map<String, Object> document = document(dataset, row);
            String id = row.get(dataset.key()).toString();
            request.operations(operation -> operation.index(index -> index.index(dataset.index()).id(id).document(document)));
        }
        return request;
    }

    /** A row's typed values (by column) as the dataset's document: its columns that have a value. */
    public static Map<String, Object> document(Dataset dataset, Map<String, Object> row) {
        Map<String, Object> document = new LinkedHashMap<>();
        for (Column column : dataset.columns()) {
            Object value = row.get(column.name());
            if (value != null) {
                document.put(column.name(), column.type().toDocument(value));
            }
        }
        return document;
    }

    public void requireAllIndexed(@Body List<BulkResponseItem> items) {
        List<BulkResponseItem> failed = items.stream().filter(item -> item.error() != null).toList();
        if (!failed.isEmpty()) {
            BulkResponseItem first = failed.get(0);
            throw new IllegalStateException(failed.size() + " of " + items.size() + " documents were not indexed; the "
                    + "first, " + first.id() + ": " + first.error().type() + ": " + first.error().reason());
        }
    }
}
