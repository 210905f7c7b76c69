package dev.dromedary.datasets;

import dev.dromedary.formats.Dialect;
import dev.dromedary.formats.FileSources;
import dev.dromedary.formats.ReadOptions;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A dataset proposed from a sample of a file: each column's type from the values it holds, a key (a column
 * that is unique and never empty in the sample, else a key derived from each row's place in its file), and
 * facets (keyword columns of few distinct values). Each decision comes with the reason for it, for the
 * person who reads the definition before committing it.
 */
public final class DatasetInference {

    /** Distinct values counted per column; past this, a column is "many distinct values". */
    static final int DISTINCT_COUNTED = 100_000;
    static final int MAX_FACETS = 10;
    static final int FACET_MAX_DISTINCT = 50;
    private static final int KEYWORD_MAX_LENGTH = 256;

    /** What was decided of one column, and why. */
    public record ColumnGuess(String header, String name, ColumnType type, String why, long filled, long distinct) {
    }

    /** The proposed dataset, with the reasons, and how the file was read. */
    public record Proposal(String name, List<ColumnGuess> columns, String key, boolean keyDerived, String keyWhy,
                           List<String> facets, String facetsWhy, long rowsSampled, Dialect readAs) {

        /** The dataset's definition file, as datasets/NAME.yaml holds it. */
        public String definition() {
            StringBuilder yaml = new StringBuilder();
            yaml.append("# Inferred by ./dromedary dataset infer from ").append(rowsSampled).append(" rows; read it before committing.\n");
            yaml.append("name: ").append(name).append('\n');
            yaml.append("table: ").append(name).append('\n');
            yaml.append("index: ").append(name).append('\n');
            yaml.append("key: ").append(key).append('\n');
            if (keyDerived) {
                yaml.append("# no column is unique and never empty: each row's id comes from its file and row number\n");
                yaml.append("key_source: derived\n");
            }
            yaml.append("columns:\n");
            if (keyDerived) {
                yaml.append("  ").append(key).append(": uuid\n");
            }
            for (ColumnGuess column : columns) {
                yaml.append("  ").append(column.name()).append(": ").append(column.type().definitionName())
                        .append("  # ").append(column.why()).append('\n');
            }
            Map<String, String> aliases = new LinkedHashMap<>();
            for (ColumnGuess column : columns) {
                if (!Dataset.headerKey(column.header()).equals(Dataset.headerKey(column.name()))) {
                    aliases.put(column.name(), column.header().strip());
                }
            }
            if (!aliases.isEmpty()) {
                yaml.append("# the file's own names for the columns\nheader_aliases:\n");
                aliases.forEach((column, header) -> yaml.append("  ").append(column).append(": [\"")
                        .append(header.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]\n"));
            }
            yaml.append("# ").append(facetsWhy).append('\n');
            yaml.append("facets: [").append(String.join(", ", facets)).append("]\n");
            return yaml.toString();
        }

        /** The migration that makes the dataset's table. */
        public String migration() {
            StringBuilder sql = new StringBuilder("-- The table of the " + name + " dataset (datasets/" + name
                    + ".yaml), inferred by ./dromedary dataset infer.\nCREATE TABLE " + name + " (\n");
            List<String> lines = new ArrayList<>();
            if (keyDerived) {
                lines.add("    " + key + " uuid PRIMARY KEY");
            }
            for (ColumnGuess column : columns) {
                lines.add("    " + column.name() + " " + sqlType(column.type()) + (column.name().equals(key) ? " PRIMARY KEY" : ""));
            }
            return sql.append(String.join(",\n", lines)).append("\n);\n").toString();
        }
    }

    private DatasetInference() {
    }

    /** Proposes a dataset named {@code name} from at most {@code sampleRows} rows of the file in {@code in}. */
    public static Proposal infer(InputStream in, String fileName, String name, int sampleRows, ReadOptions options) throws IOException {
        FileSources.Opened opened = FileSources.start(in, fileName, false, options, new RecordLimits(16 * 1024 * 1024, 1000, 500, 32L << 20));
        List<Sample> samples = new ArrayList<>();
        long rows = 0;
        try (var records = opened.records()) {
            while (rows < sampleRows && records.hasNext()) {
                SourceRow row = records.next();
                if (row.unreadable() != null) {
                    continue;
                }
                rows++;
                List<String> header = records.header();
                while (samples.size() < header.size()) {
                    samples.add(new Sample(header.get(samples.size())));
                }
                for (int i = 0; i < row.values().size() && i < samples.size(); i++) {
                    samples.get(i).add(row.values().get(i));
                }
            }
            List<String> header = records.header();
            while (samples.size() < header.size()) {
                samples.add(new Sample(header.get(samples.size())));
            }
        }
        List<ColumnGuess> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Sample sample : samples) {
            String column = identifier(sample.header, names);
            if (column == null) {
                continue;
            }
            columns.add(sample.guess(column, rows));
        }
        ColumnGuess key = null;
        for (ColumnGuess column : columns) {
            boolean unique = column.filled() == rows && column.distinct() == rows && rows > 0;
            boolean idLike = column.type() == ColumnType.UUID_VALUE || column.name().equals("id") || column.name().endsWith("_id")
                    || column.name().equals("key") || column.name().equals("code");
            if (unique && idLike && (column.type() == ColumnType.UUID_VALUE || column.type() == ColumnType.KEYWORD)
                    && (key == null || key.type() != ColumnType.UUID_VALUE && column.type() == ColumnType.UUID_VALUE)) {
                key = column;
            }
        }
        String keyWhy;
        String keyName;
        if (key != null) {
            keyName = key.name();
            keyWhy = "'" + key.name() + "' is " + key.type().definitionName() + ", filled and unique in all " + rows + " rows sampled";
        } else {
            keyName = names.contains("uuid") ? "row_uuid" : "uuid";
            keyWhy = "no uuid or id column is filled and unique in the " + rows + " rows sampled: the key '" + keyName
                    + "' is derived from each row's file and row number (importing the file again writes each row once)";
        }
        List<String> facets = new ArrayList<>();
        for (ColumnGuess column : columns) {
            if ((column.type() == ColumnType.KEYWORD || column.type() == ColumnType.KEYWORDS) && column.distinct() >= 2 && column.distinct() <= FACET_MAX_DISTINCT
                    && column.distinct() * 5 <= column.filled() && !column.name().equals(keyName) && facets.size() < MAX_FACETS) {
                facets.add(column.name());
            }
        }
        String facetsWhy = facets.isEmpty() ? "facets: no keyword or keywords column has between 2 and " + FACET_MAX_DISTINCT + " distinct values"
                : "facets: keyword and keywords columns with 2 to " + FACET_MAX_DISTINCT + " distinct values, each repeated 5 times or more on average";
        return new Proposal(name, columns, keyName, key == null, keyWhy, facets, facetsWhy, rows, opened.dialect());
    }

    private static String sqlType(ColumnType type) {
        return switch (type) {
            case UUID_VALUE -> "uuid";
            case LONG -> "bigint";
            case DATE -> "timestamptz";
            case KEYWORDS -> "text[]";
            default -> "text";
        };
    }

    /** A header name as a column name: lower-case letters, digits and _, never twice; null for an empty one. */
    static String identifier(String header, Set<String> taken) {
        String name = header.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (name.isEmpty()) {
            return null;
        }
        if (Character.isDigit(name.charAt(0))) {
            name = "c_" + name;
        }
        name = name.length() > 60 ? name.substring(0, 60) : name;
        String unique = name;
        for (int i = 2; !taken.add(unique); i++) {
            unique = name + "_" + i;
        }
        return unique;
    }

    /** The values of one column of the sample, as far as its type needs them. */
    private static final class Sample {
        final String header;
        long filled;
        boolean allUuid = true;
        boolean allLong = true;
        boolean allDate = true;
        long withSemicolon;
        long withSpace;
        int maxLength;
        long totalLength;
        final Set<String> distinct = new LinkedHashSet<>();
        boolean distinctOverflow;

        Sample(String header) {
            this.header = header;
        }

        void add(String value) {
            if (value == null || value.isEmpty()) {
                return;
            }
            filled++;
            allUuid = allUuid && parses(ColumnType.UUID_VALUE, value);
            allLong = allLong && parses(ColumnType.LONG, value);
            allDate = allDate && !allLong && parses(ColumnType.DATE, value);
            withSemicolon += value.indexOf(';') >= 0 ? 1 : 0;
            withSpace += value.indexOf(' ') >= 0 && value.codePoints().anyMatch(Character::isLetter) ? 1 : 0;
            maxLength = Math.max(maxLength, value.length());
            totalLength += value.length();
            if (distinct.size() < DISTINCT_COUNTED) {
                distinct.add(value);
            } else if (!distinct.contains(value)) {
                distinctOverflow = true;
            }
        }

        ColumnGuess guess(String name, long rows) {
            long distinctCount = distinctOverflow ? DISTINCT_COUNTED + 1L : distinct.size();
            String filledSay = filled + " of " + rows + " rows filled, " + (distinctOverflow ? "over " + DISTINCT_COUNTED : distinctCount) + " distinct";
            if (filled == 0) {
                return new ColumnGuess(header, name, ColumnType.TEXT, "empty in every row sampled: text, which takes anything", 0, 0);
            }
            if (allUuid) {
                return new ColumnGuess(header, name, ColumnType.UUID_VALUE, "every value is a UUID; " + filledSay, filled, distinctCount);
            }
            if (allLong) {
                return new ColumnGuess(header, name, ColumnType.LONG, "every value is a whole number; " + filledSay, filled, distinctCount);
            }
            if (allDate) {
                return new ColumnGuess(header, name, ColumnType.DATE, "every value is a date or time; " + filledSay, filled, distinctCount);
            }
            if (withSemicolon * 10 >= filled && maxLength <= KEYWORD_MAX_LENGTH * 4) {
                return new ColumnGuess(header, name, ColumnType.KEYWORDS, withSemicolon + " values hold ';'-separated lists; "
                        + filledSay, filled, distinctCount);
            }
            boolean prose = maxLength > KEYWORD_MAX_LENGTH || (withSpace * 2 > filled && distinctCount * 2 > filled);
            if (prose) {
                return new ColumnGuess(header, name, ColumnType.TEXT, "words to search in (longest " + maxLength + " characters, "
                        + withSpace + " of them words with spaces); " + filledSay, filled, distinctCount);
            }
            return new ColumnGuess(header, name, ColumnType.KEYWORD, "values matched exactly (longest " + maxLength
                    + " characters); " + filledSay, filled, distinctCount);
        }

        private static boolean parses(ColumnType type, String value) {
            try {
                type.parse(value);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
