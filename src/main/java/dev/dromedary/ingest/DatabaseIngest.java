package dev.dromedary.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dromedary.app.Settings;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.db.DatabaseUrl;
import dev.dromedary.imports.ImportRejected;
import dev.dromedary.imports.SourceImport;
import dev.dromedary.imports.SourceRun;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The ingest_database job type's source: {@code job_data.query} run on the connection {@code job_data.source}
 * names in the settings ({@code SOURCE_<NAME>_URL}, {@code _USER}, {@code _PASSWORD}: no credentials in a job),
 * in a READ ONLY transaction, its rows streamed through a cursor {@code fetch_size} at a time. With a
 * {@code checkpoint_column} (unique, such as the table's key) the rows are read in its order, and a resumed job
 * reads only those after the last value committed. JDBC rather than camel-sql: camel-sql 4.17's StreamList makes
 * its statement without the template's fetch size (CAMEL-26991, fixed after 4.17), so PostgreSQL would send every row at once.
 */
public final class DatabaseIngest {

    public static final int DEFAULT_FETCH_SIZE = 1000;
    public static final int MAX_FETCH_SIZE = 10_000;
    public static final int MAX_PARAMS = 100;
    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z_][a-z0-9_ ]{0,62}");

    private final Settings settings;
    private final SourceImport imports;
    private final RecordLimits limits;

    public DatabaseIngest(Settings settings, SourceImport imports, RecordLimits limits) {
        this.settings = settings;
        this.imports = imports;
        this.limits = limits;
    }

    /** What a job asks for, checked: refused with the reason before anything runs. */
    record Query(String source, String sql, List<Object> params, int fetchSize, String checkpointColumn) {

        static Query of(Map<?, ?> data) {
            Object source = data.get("source");
            if (!(source instanceof String name) || !SOURCE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("job_data.source must name a connection of the settings (SOURCE_<NAME>_URL), "
                        + "letters, digits and _, such as \"crm\"");
            }
            Object query = data.get("query");
            String sql = SelectStatement.check(query instanceof String text ? text : null);
            List<Object> params = new ArrayList<>();
            Object given = data.get("params");
            if (given != null) {
                if (!(given instanceof List<?> list) || list.size() > MAX_PARAMS) {
                    throw new IllegalArgumentException("job_data.params must be an array of at most " + MAX_PARAMS
                            + " values, one for each ? of the query in order");
                }
                for (Object param : list) {
                    if (param != null && !(param instanceof String) && !(param instanceof Number) && !(param instanceof Boolean)) {
                        throw new IllegalArgumentException("job_data.params holds " + param + "; a parameter is a string, a number, "
                                + "true, false or null");
                    }
                    params.add(param);
                }
            }
            int fetchSize = DEFAULT_FETCH_SIZE;
            Object fetch = data.get("fetch_size");
            if (fetch != null) {
                if (!(fetch instanceof Integer size) || size < 1 || size > MAX_FETCH_SIZE) {
                    throw new IllegalArgumentException("job_data.fetch_size must be a whole number from 1 to " + MAX_FETCH_SIZE);
                }
                fetchSize = size;
            }
            Object column = data.get("checkpoint_column");
            if (column != null && !(column instanceof String columnName && !columnName.isBlank() && columnName.length() <= 63)) {
                throw new IllegalArgumentException("job_data.checkpoint_column must be the name of a column of the query's result");
            }
            return new Query((String) source, sql, params, fetchSize, (String) column);
        }

        /** The settings' names of the source: SOURCE_CRM_URL for "crm". */
        String setting(String suffix) {
            return "SOURCE_" + source.toUpperCase(Locale.ROOT) + "_" + suffix;
        }
    }

    /** Checks a job's data as the API receives it; IllegalArgumentException saying what is wrong. */
    public static void check(Map<?, ?> data) {
        Query.of(data);
    }

    /** Checks the job, opens the source's cursor in a READ ONLY transaction, and answers its rows in batches. */
    public Iterator<List<SourceRow>> begin(Exchange exchange) throws InvalidPayloadException, JsonProcessingException {
        Map<?, ?> data = exchange.getMessage().getMandatoryBody(Map.class);
        Query query;
        try {
            query = Query.of(data);
        } catch (IllegalArgumentException e) {
            throw new ImportRejected("ERR_INVALID_JOB_DATA: " + e.getMessage());
        }
        String url = settings.text(query.setting("URL"));
        if (url.isEmpty()) {
            throw new ImportRejected("ERR_UNKNOWN_SOURCE: no connection is configured for source '" + query.source()
                    + "'; an operator sets " + query.setting("URL") + " (and _USER, _PASSWORD)");
        }
        Dataset dataset = imports.dataset(data);
        Connection connection = connect(query, url);
        try {
            Checked checked = check(connection, query);
            String source = "the query of source " + query.source();
            Function<SourceRow, JsonNode> resumeAfter = checked.column() < 0 ? null : row -> {
                String value = row.values().size() > checked.column() ? row.values().get(checked.column()) : null;
                return value == null ? null : JsonNodeFactory.instance.objectNode().put(query.checkpointColumn(), value);
            };
            SourceRun run = imports.begin(exchange, dataset, source, resumeAfter != null, resumeAfter);
            String after = run.resumeAt() == null ? null : run.resumeAt().path(query.checkpointColumn()).asText(null);
            PreparedStatement statement = connection.prepareStatement(checked.sql(after != null));
            statement.setFetchSize(query.fetchSize());
            int index = bind(statement, query.params());
            if (after != null) {
                statement.setString(index, after);
            }
            ResultSet rows = statement.executeQuery();
            return imports.batches(run, new DatabaseRows(connection, statement, rows, run.nextRowNumber(), limits));
        } catch (SQLException e) {
            close(connection);
            throw new ImportRejected("ERR_QUERY_FAILED: the query of source " + query.source() + " failed: " + e.getMessage());
        } catch (RuntimeException | JsonProcessingException e) {
            close(connection);
            throw e;
        }
    }

    /** The query as it runs, and the position of its checkpoint column in the result (-1: none). */
    private record Checked(String query, int column, String columnName, String typeName) {

        /**
         * The job's own query, run as it is asked for (a READ ONLY transaction guards it); wrapped to read in
         * the order of the checkpoint column, from after the value given, when it has one. The column's name and
         * type come from the result's metadata, checked against the job's name, never from the job unchecked.
         */
        String sql(boolean resuming) {
            if (column < 0) {
                return query;
            }
            String name = "\"" + columnName.replace("\"", "\"\"") + "\"";
            return "SELECT * FROM (" + query + ") AS source"
                    + (resuming ? " WHERE source." + name + " > CAST(? AS " + typeName + ")" : "")
                    + " ORDER BY source." + name;
        }
    }

    private Checked check(Connection connection, Query query) throws SQLException {
        if (query.checkpointColumn() == null) {
            return new Checked(query.sql(), -1, null, null);
        }
        try (PreparedStatement probe = connection.prepareStatement("SELECT * FROM (" + query.sql() + ") AS source LIMIT 0")) {
            bind(probe, query.params());
            ResultSetMetaData metadata = probe.executeQuery().getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= metadata.getColumnCount(); i++) {
                names.add(metadata.getColumnLabel(i));
                if (metadata.getColumnLabel(i).equals(query.checkpointColumn())) {
                    String type = metadata.getColumnTypeName(i);
                    if (!TYPE_NAME.matcher(type).matches()) {
                        throw new ImportRejected("ERR_INVALID_JOB_DATA: the checkpoint column " + query.checkpointColumn()
                                + " is of type " + type + ", which a checkpoint cannot hold");
                    }
                    return new Checked(query.sql(), i - 1, metadata.getColumnLabel(i), type);
                }
            }
            throw new ImportRejected("ERR_INVALID_JOB_DATA: job_data.checkpoint_column '" + query.checkpointColumn()
                    + "' is no column of the query's result; its columns are " + names);
        }
    }

    private Connection connect(Query query, String url) {
        DatabaseUrl parsed = DatabaseUrl.parse(url, settings.text(query.setting("USER")), settings.text(query.setting("PASSWORD")));
        if (!parsed.jdbcUrl().startsWith("jdbc:postgresql:")) {
            throw new ImportRejected("ERR_UNKNOWN_SOURCE: " + query.setting("URL") + " is not a PostgreSQL URL "
                    + "(jdbc:postgresql://host:5432/db or postgres://user:password@host:5432/db)");
        }
        Properties properties = new Properties();
        if (parsed.user() != null && !parsed.user().isEmpty()) {
            properties.setProperty("user", parsed.user());
        }
        if (parsed.password() != null && !parsed.password().isEmpty()) {
            properties.setProperty("password", parsed.password());
        }
        properties.setProperty("ApplicationName", "dromedary ingest_database");
        properties.setProperty("connectTimeout", "10");
        try {
            Connection connection = DriverManager.getConnection(parsed.jdbcUrl(), properties);
            // no autocommit, or the driver reads every row at once; read only, so BEGIN READ ONLY opens the transaction
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            return connection;
        } catch (SQLException e) {
            throw new SourceFailed("source " + query.source() + " cannot be reached: " + e.getMessage(), e);
        }
    }

    private static int bind(PreparedStatement statement, List<Object> params) throws SQLException {
        int index = 1;
        for (Object param : params) {
            statement.setObject(index++, param);
        }
        return index;
    }

    private static void close(Connection connection) {
        try {
            connection.rollback();
            connection.close();
        } catch (SQLException ignored) {
            // the connection is going anyway
        }
    }
}
