package dev.dromedary.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dromedary.formats.Dialect;
import dev.dromedary.formats.DelimitedReader;
import dev.dromedary.formats.UnreadableFile;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.SourceRow;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBatchesTest {

    @Test
    void aBatchClosesAtItsRowsOrItsBytesWhicheverComesFirst() {
        RecordLimits limits = new RecordLimits(1 << 20, 1000, 3, 100);
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            file.append(i).append(",short\n");
        }
        file.append("7,").append("w".repeat(150)).append('\n').append("8,tail\n");
        DelimitedReader reader = new DelimitedReader(new ByteArrayInputStream(utf8(file.toString())), 0, 1, limits, Dialect.RFC_4180);
        List<Integer> sizes = new ArrayList<>();
        new RecordBatches(reader, 0, limits).forEachRemaining(batch -> sizes.add(batch.size()));

        assertThat(sizes).containsExactly(3, 3, 2, 1);
    }

    @Test
    void theRowsBeforeAQuoteLeftOpenGoOutAsABatchBeforeTheFailure() {
        DelimitedReader reader = new DelimitedReader(new ByteArrayInputStream(utf8("1,a\n2,b\n3,\"open\n4,d\n")), 0, 1,
                RecordLimits.DEFAULT, Dialect.RFC_4180);
        RecordBatches batches = new RecordBatches(reader, 0, RecordLimits.DEFAULT);

        assertThat(batches.hasNext()).isTrue();
        assertThat(batches.next()).extracting(SourceRow::number).containsExactly(1L, 2L);
        assertThat(batches.hasNext()).isTrue();
        assertThatThrownBy(batches::next).isInstanceOf(UnreadableFile.class).hasMessageStartingWith("row 3 opens a quoted value");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
