package dev.dromedary.vql;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import java.util.List;
import java.util.Map;

/**
 * What an export reads and writes: the dataset, the CSV columns (their names as selected, and the dataset
 * columns they read), the Elasticsearch query and sort (the key last, so that pages are stable), and the
 * page size.
 */
public record ExportPlan(Dataset dataset, List<String> headers, List<Column> columns, Map<String, Object> query,
                         List<Map<String, Object>> sort, int pageSize) {
}
