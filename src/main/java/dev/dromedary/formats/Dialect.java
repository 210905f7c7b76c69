package dev.dromedary.formats;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a file is read, every {@code auto} decided: its format, whether it is gzipped, its encoding and CSV
 * dialect, or its sheet. Shown in the job's response and kept in the checkpoint, so that a resumed import
 * reads the rest of the file as its start was read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Dialect(@JsonProperty("format") String format,
                      @JsonProperty("gzip") boolean gzip,
                      @JsonProperty("encoding") String encoding,
                      @JsonProperty("delimiter") Character delimiter,
                      @JsonProperty("quote") Character quote,
                      @JsonProperty("escape") Character escape,
                      @JsonProperty("sheet") String sheet) {

    /** RFC 4180: comma-separated UTF-8 with double quotes, as every checkpoint before dialects was taken in. */
    public static final Dialect RFC_4180 = new Dialect("csv", false, "utf-8", ',', '"', null, null);

    /** How many of the first bytes the encoding and the delimiter are told from. */
    static final int SNIFFED_BYTES = 64 * 1024;

    public FileFormat fileFormat() {
        return FileFormat.of(format, "");
    }

    /**
     * Whether a resumed import can get just the bytes after its checkpoint: not when they are gzipped or
     * transcoded (the checkpoint's offset is then one of the text read, not of the object), nor for a workbook.
     */
    public boolean resumesByRange() {
        return !gzip && fileFormat() != FileFormat.XLSX && !Encodings.transcodedToUtf8(encoding);
    }

    /** The delimited dialect of a CSV file from its first bytes (as read, after gzip), for what the job left {@code auto}. */
    static Dialect ofDelimited(ReadOptions options, String key, boolean gzip, byte[] head, int length) {
        String encoding = options.encoding().equals(Encodings.AUTO) ? Encodings.detect(head, length) : options.encoding();
        Character delimiter = options.delimiter();
        if (delimiter == null) {
            delimiter = sniffDelimiter(asText(head, length, encoding), options.quote(), options.skipRows(),
                    key.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.gz$", "").endsWith(".tsv") ? '\t' : ',');
        }
        return new Dialect(FileFormat.CSV.formatName(), gzip, encoding, delimiter, options.quote(), options.escape(), null);
    }

    /**
     * The delimiter of {@link ReadOptions#DELIMITERS} that splits the first records (quotes respected, the
     * skipped lines left out) into the same number of values most often, and into the most values at a tie;
     * {@code otherwise} when none of them splits any.
     */
    static char sniffDelimiter(String head, char quote, int skipRows, char otherwise) {
        String[] lines = records(head, quote);
        int first = Math.min(skipRows, lines.length);
        int last = Math.min(lines.length, first + 50);
        char best = otherwise;
        int bestLines = 0;
        int bestCount = 0;
        for (char candidate : ReadOptions.DELIMITERS) {
            Map<Integer, Integer> linesByCount = new TreeMap<>();
            for (int i = first; i < last; i++) {
                int count = countOutsideQuotes(lines[i], candidate, quote);
                if (count > 0) {
                    linesByCount.merge(count, 1, Integer::sum);
                }
            }
            for (Map.Entry<Integer, Integer> entry : linesByCount.entrySet()) {
                if (entry.getValue() > bestLines || (entry.getValue() == bestLines && entry.getKey() > bestCount)) {
                    best = candidate;
                    bestLines = entry.getValue();
                    bestCount = entry.getKey();
                }
            }
        }
        return best;
    }

    /** The sample's complete records (a line end inside quotes belongs to its record). */
    private static String[] records(String head, char quote) {
        java.util.List<String> records = new java.util.ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c == quote) {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                if (i > start) {
                    records.add(head.substring(start, i));
                }
                start = i + 1;
            }
        }
        return records.toArray(String[]::new);
    }

    private static int countOutsideQuotes(String line, char delimiter, char quote) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == quote) {
                quoted = !quoted;
            } else if (c == delimiter && !quoted) {
                count++;
            }
        }
        return count;
    }

    private static String asText(byte[] head, int length, String encoding) {
        return switch (encoding) {
            case "utf-16le" -> new String(head, 0, length, StandardCharsets.UTF_16LE);
            case "utf-16be" -> new String(head, 0, length, StandardCharsets.UTF_16BE);
            default -> new String(head, 0, length, java.nio.charset.Charset.forName(encoding));
        };
    }
}
