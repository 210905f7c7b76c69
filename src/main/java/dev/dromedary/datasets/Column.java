package dev.dromedary.datasets;

/** A column of a dataset: its name in the CSV header, the table and the index, and its type. */
public record Column(String name, ColumnType type) {
}
