package dev.dromedary.formats;

import java.util.List;
import java.util.Locale;

/** The kinds of file an import reads, and the keys' extensions that say which one a file is. */
public enum FileFormat {
    CSV("csv", List.of(".csv", ".tsv", ".txt")),
    XLSX("xlsx", List.of(".xlsx")),
    JSONL("jsonl", List.of(".jsonl", ".ndjson"));

    private final String name;
    private final List<String> extensions;

    FileFormat(String name, List<String> extensions) {
        this.name = name;
        this.extensions = extensions;
    }

    public String formatName() {
        return name;
    }

    /** {@code job_data.format} when given, else what the key's extension (before an optional .gz) says, else CSV. */
    public static FileFormat of(String requested, String key) {
        if (requested != null) {
            for (FileFormat format : values()) {
                if (format.name.equalsIgnoreCase(requested)) {
                    return format;
                }
            }
            throw new IllegalArgumentException("job_data.format is csv, xlsx or jsonl, not '" + requested + "'");
        }
        String name = withoutGz(key);
        for (FileFormat format : values()) {
            if (format.extensions.stream().anyMatch(name::endsWith)) {
                return format;
            }
        }
        return CSV;
    }

    /** Whether the key names a file some format reads: {@code .csv}, {@code .xlsx}, {@code .jsonl}, … optionally {@code .gz}. */
    public static boolean importable(String key) {
        String name = withoutGz(key);
        return allExtensions().stream().anyMatch(name::endsWith);
    }

    /** Every extension an import reads, for messages. */
    public static List<String> allExtensions() {
        return List.of(values()).stream().flatMap(format -> format.extensions.stream()).toList();
    }

    /** Whether the key says the object is gzipped. */
    public static boolean gzipped(String key) {
        return key.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    private static String withoutGz(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
    }
}
