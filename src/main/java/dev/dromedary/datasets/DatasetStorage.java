package dev.dromedary.datasets;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.indices.CreateIndexRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where datasets land: their tables, made by the migrations beside their definitions (with a schema
 * history of their own), checked against the definitions, and their Elasticsearch indices, made from them.
 */
public final class DatasetStorage {

    /** The hash of a landed row's typed values, which no dataset column may be named. */
    public static final String ROW_HASH = "_row_hash";

    private DatasetStorage() {
    }

    /**
     * Applies the datasets' table migrations and checks that every defined column is in its table; gives each table
     * the {@code _row_hash} column that change detection compares (a row without one counts as changed once).
     */
    public static void prepareTables(DataSource dataSource, List<Path> directories, Datasets datasets) {
        Flyway.configure()
                .dataSource(dataSource)
                .table("dataset_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .locations(directories.stream().map(dir -> "filesystem:" + dir.resolve("migrations")).toArray(String[]::new))
                .load()
                .migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (Dataset dataset : datasets.all()) {
            Set<String> existing = new HashSet<>(jdbc.queryForList(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                            + "AND table_name = ?", String.class, dataset.table()));
            if (existing.isEmpty()) {
                throw new IllegalStateException("the dataset " + dataset.name() + " lands in the table " + dataset.table()
                        + ", which no migration under the datasets directories creates");
            }
            for (Column column : dataset.columns()) {
                if (!existing.contains(column.name())) {
                    throw new IllegalStateException("the table " + dataset.table() + " has no column " + column.name()
                            + ", which the dataset " + dataset.name() + " defines; add a migration that adds it");
                }
            }
            if (!existing.contains(ROW_HASH)) {
                // Dromedary's own column, in every dataset's table whatever its migrations say: the table name is a checked identifier
                jdbc.execute("ALTER TABLE " + dataset.table() + " ADD COLUMN IF NOT EXISTS " + ROW_HASH + " bigint");
            }
        }
    }

    /** Creates the index of each dataset that has none, with the mapping its columns give. */
    public static void prepareIndices(ElasticsearchClient elasticsearch, Datasets datasets) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (Dataset dataset : datasets.all()) {
            if (elasticsearch.indices().exists(exists -> exists.index(dataset.index())).value()) {
                continue;
            }
            Map<String, Object> body = Map.of(
                    "settings", Map.of("number_of_shards", 1, "number_of_replicas", 0),
                    "mappings", dataset.indexMapping());
            try {
                elasticsearch.indices().create(new CreateIndexRequest.Builder().index(dataset.index())
                        .withJson(new StringReader(json.writeValueAsString(body))).build());
            } catch (ElasticsearchException e) {
                // instances that start at once race to create it: the one that loses finds it made
                if (!"resource_already_exists_exception".equals(e.error().type())) {
                    throw e;
                }
            }
        }
    }
}
