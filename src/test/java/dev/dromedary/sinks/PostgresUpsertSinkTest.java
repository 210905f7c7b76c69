package dev.dromedary.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.ColumnType;
import dev.dromedary.datasets.Dataset;
import dev.dromedary.processing.RowRules;
import dev.dromedary.rows.RowHash;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresUpsertSinkTest {

    @Test
    void copyTellsNullFromEmptyAndEscapesBackslashesTabsAndNewlinesAndSeveralKeywords() throws Exception {
        List<Column> columns = List.of(new Column("name", ColumnType.TEXT), new Column("title", ColumnType.TEXT),
                new Column("note", ColumnType.TEXT), new Column("tags", ColumnType.KEYWORDS), new Column("size", ColumnType.LONG));
        Map<String, Object> row = new HashMap<>();
        row.put("name", "");
        row.put("note", "say \"hi\",\nthen\tgo\r\\N");
        row.put("tags", List.of("a,b", "quote \" and \\ slash"));
        row.put("size", 12L);

        Dataset dataset = new Dataset("notes", "notes", "notes", "name", false, columns, List.of(), Map.of(), Map.of(), RowRules.NONE);

        // title is null; the array literal's own backslashes are escaped again for COPY
        assertThat(PostgresUpsertSink.asCopyText(dataset, List.of(row)).toString(StandardCharsets.UTF_8))
                .isEqualTo("\t\\N\tsay \"hi\",\\nthen\\tgo\\r\\\\N\t{\"a,b\",\"quote \\\\\" and \\\\\\\\ slash\"}\t12\t"
                        + RowHash.of(dataset, row) + "\n");
    }

    @Test
    void copyWritesEveryCharacterAsUtf8AsJavaEncodesIt() throws Exception {
        List<Column> columns = List.of(new Column("name", ColumnType.TEXT));
        Dataset dataset = new Dataset("notes", "notes", "notes", "name", false, columns, List.of(), Map.of(), Map.of(), RowRules.NONE);
        // one, two, three and four UTF-8 bytes; an unpaired surrogate at the end
        String name = "a é € 😀 Zoë\uD800";

        byte[] copy = PostgresUpsertSink.asCopyText(dataset, List.of(Map.of("name", name))).toByteArray();

        assertThat(copy).isEqualTo((name + "\t" + RowHash.of(dataset, Map.of("name", name)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
