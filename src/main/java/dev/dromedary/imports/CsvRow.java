package dev.dromedary.imports;

import java.util.List;

/** One record of a CSV file after its header; {@code number} 1 is the first row after the header. */
public record CsvRow(long number, List<String> values) {
}
