package dev.dromedary.imports;

import dev.dromedary.datasets.Dataset;
import dev.dromedary.formats.FileSources;
import dev.dromedary.formats.ReadOptions;
import dev.dromedary.processing.RowRules;
import dev.dromedary.rows.RecordLimits;
import dev.dromedary.rows.RowBatch;
import dev.dromedary.rows.SourceRow;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * A dataset's rules run over a local file's first rows, exactly as an import would type and check them, writing
 * nothing: what {@code ./dromedary dataset check} prints.
 */
public final class RuleCheck {

    private RuleCheck() {
    }

    /** What would land and what would not: the counts, the rows rejected by rule and by reason, the first of them. */
    public record Outcome(long rowsRead, long rowsValid, long rowsDropped, long rowsFailed, Map<String, Long> byRule,
                          Map<String, Long> byReason, List<Map<String, Object>> examples, List<String> unknownColumns) {
    }

    public static Outcome run(Dataset dataset, InputStream file, String name, ReadOptions read, long maxRows, RecordLimits limits)
            throws IOException {
        FileSources.Opened opened = FileSources.start(file, name, false, read, limits);
        try (RecordBatches batches = new RecordBatches(opened.records(), 0, limits)) {
            HeaderMapping mapping = HeaderMapping.of(dataset, opened.records().header(), opened.records().headerGrows(),
                    read.columnMap(), read.nullValues(), "local", name).withRules(RowRules.NONE, 1);
            RejectionTally tally = new RejectionTally();
            long rows = 0;
            long valid = 0;
            long dropped = 0;
            long failed = 0;
            int number = 0;
            while (rows < maxRows && batches.hasNext()) {
                List<SourceRow> source = batches.next();
                if (rows + source.size() > maxRows) {
                    source = source.subList(0, (int) (maxRows - rows));
                }
                RowBatch batch = mapping.batch("local", ++number, source);
                tally.add(batch);
                rows += source.size();
                valid += batch.source().size() - batch.rejected().size() - batch.dropped();
                dropped += batch.dropped();
                failed += batch.rejected().size();
            }
            return new Outcome(rows, valid, dropped, failed, tally.byRule(), tally.byReason(), tally.examples(),
                    mapping.unknownColumns());
        }
    }
}
