package dev.dromedary.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dromedary.processing.InvalidRule;
import dev.dromedary.processing.RowRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The datasets defined by the {@code *.yaml} files of the datasets directories, by name. */
public final class Datasets {

    /** Names become SQL identifiers and Elasticsearch field names, so only plain ones are accepted. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, Dataset> byName;

    private Datasets(Map<String, Dataset> byName) {
        this.byName = byName;
    }

    /** Loads every definition; each index name gets {@code indexPrefix} before it. */
    public static Datasets load(List<Path> directories, String indexPrefix) throws IOException {
        Map<String, Dataset> byName = new LinkedHashMap<>();
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                throw new IOException("the datasets directory " + directory + " does not exist");
            }
            List<Path> files;
            try (Stream<Path> listing = Files.list(directory)) {
                files = listing.filter(file -> file.getFileName().toString().endsWith(".yaml")).sorted().toList();
            }
            for (Path file : files) {
                Dataset dataset = parse(file, indexPrefix);
                if (byName.put(dataset.name(), dataset) != null) {
                    throw new IOException("the dataset " + dataset.name() + " is defined twice; " + file + " is the second");
                }
            }
        }
        return new Datasets(byName);
    }

    public Dataset get(String name) {
        Dataset dataset = byName.get(name);
        if (dataset == null) {
            throw new UnknownDataset(name, names());
        }
        return dataset;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public List<Dataset> all() {
        return List.copyOf(byName.values());
    }

    static Dataset parse(Path file, String indexPrefix) throws IOException {
        JsonNode definition = YAML.readTree(file.toFile());
        String where = "dataset file " + file;
        String name = identifier(definition, "name", where);
        List<Column> columns = new ArrayList<>();
        JsonNode columnsNode = definition.path("columns");
        if (!columnsNode.isObject() || columnsNode.isEmpty()) {
            throw new IOException(where + ": 'columns' must map each column name to its type");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = columnsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            requireIdentifier(entry.getKey(), where + ", column");
            if (entry.getKey().equals(DatasetStorage.ROW_HASH)) {
                throw new IOException(where + ": the column name " + DatasetStorage.ROW_HASH + " is Dromedary's own (change detection)");
            }
            try {
                columns.add(new Column(entry.getKey(), ColumnType.fromDefinition(entry.getValue().asText())));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ", column " + entry.getKey() + ": " + e.getMessage());
            }
        }
        String key = identifier(definition, "key", where);
        boolean derived = switch (definition.path("key_source").asText("csv")) {
            case "csv" -> false;
            case "derived" -> true;
            default -> throw new IOException(where + ": 'key_source' is csv (the default) or derived");
        };
        List<String> facets = new ArrayList<>();
        definition.path("facets").forEach(facet -> facets.add(facet.asText()));
        Map<String, String> aliases = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = definition.path("aliases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> alias = it.next();
            requireIdentifier(alias.getKey(), where + ", alias");
            aliases.put(alias.getKey(), alias.getValue().asText());
        }
        Map<String, List<String>> headerAliases = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = definition.path("header_aliases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> alias = it.next();
            if (!alias.getValue().isArray()) {
                throw new IOException(where + ": header_aliases." + alias.getKey() + " is a list of the names a file's header may give it");
            }
            List<String> names = new ArrayList<>();
            alias.getValue().forEach(each -> names.add(each.asText()));
            headerAliases.put(alias.getKey(), List.copyOf(names));
        }
        Dataset dataset = new Dataset(name, identifier(definition, "table", where),
                indexPrefix + identifier(definition, "index", where),
                key, derived, List.copyOf(columns), List.copyOf(facets), Map.copyOf(aliases), Map.copyOf(headerAliases),
                RowRules.NONE);
        try {
            dataset = dataset.withRules(RowRules.parse(definition.get("transform"), definition.get("validate"),
                    definition.get("rows"), dataset.columnTypes()));
        } catch (InvalidRule e) {
            throw new IOException(where + ": " + InvalidRule.CODE + ": " + e.getMessage());
        }
        for (String column : headerAliases.keySet()) {
            if (dataset.column(column).isEmpty()) {
                throw new IOException(where + ": header_aliases names '" + column + "', which is not one of its columns");
            }
        }
        if (dataset.column(key).filter(c -> c.type() == ColumnType.UUID_VALUE || c.type() == ColumnType.KEYWORD).isEmpty()) {
            throw new IOException(where + ": the key '" + key + "' must be one of its columns, of type uuid or keyword");
        }
        if (derived && dataset.keyColumn().type() != ColumnType.UUID_VALUE) {
            throw new IOException(where + ": a derived key '" + key + "' must be of type uuid");
        }
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            if (dataset.column(alias.getValue()).isEmpty() || dataset.column(alias.getKey()).isPresent()) {
                throw new IOException(where + ": the alias '" + alias.getKey() + "' must name a column by another name");
            }
        }
        for (String facet : facets) {
            if (dataset.column(facet).isEmpty()) {
                throw new IOException(where + ": the facet '" + facet + "' is not one of its columns");
            }
        }
        return dataset;
    }

    private static String identifier(JsonNode definition, String field, String where) throws IOException {
        JsonNode value = definition.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException(where + ": '" + field + "' is required");
        }
        requireIdentifier(value.asText(), where + ", " + field);
        return value.asText();
    }

    private static void requireIdentifier(String name, String where) throws IOException {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IOException(where + ": '" + name + "' must be lower-case letters, digits and _");
        }
    }
}
