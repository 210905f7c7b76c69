package dev.dromedary.testing;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** What landed in PostgreSQL's filters table and dataset tables, and what a CSV file says should have. */
public final class SinkContents {

    private SinkContents() {
    }

    /** The rows of filters_data for {@code dataset}, as "facet=value". */
    public static Set<String> filtersData(RealServices.TestDatabase database, String dataset) throws SQLException {
        Set<String> values = new TreeSet<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT facet, value FROM filters_data WHERE dataset = ?")) {
            query.setString(1, dataset);
            ResultSet result = query.executeQuery();
            while (result.next()) {
                values.add(result.getString(1) + "=" + result.getString(2));
            }
        }
        return values;
    }

    /** The distinct facet values of {@code records}, as "facet=value"; a cell may list several, separated by ';'. */
    public static Set<String> facetValuesIn(Iterable<CSVRecord> records, List<String> facets) {
        Set<String> values = new TreeSet<>();
        for (CSVRecord record : records) {
            for (String facet : facets) {
                for (String value : record.get(facet).split(";")) {
                    if (!value.isBlank()) {
                        values.add(facet + "=" + value);
                    }
                }
            }
        }
        return values;
    }

    /** The keys in the {@code uuid} column of {@code table}, sorted. */
    public static List<String> keys(RealServices.TestDatabase database, String table) throws SQLException {
        List<String> keys = new java.util.ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT uuid::text FROM " + table + " ORDER BY 1")) {
            ResultSet result = query.executeQuery();
            while (result.next()) {
                keys.add(result.getString(1));
            }
        }
        return keys;
    }

    public static List<CSVRecord> parse(String csv) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }
}
