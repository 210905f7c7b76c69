package dev.dromedary.imports;

import dev.dromedary.datasets.Dataset;
import dev.dromedary.jobs.SqlFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The keys each partition of an import landed (the {@code partition_keys} table, as 64-bit hashes), to find the
 * keys that more than one partition holds: partitions run at once, on any instance, so the last row of such a key
 * in the file may have landed before an earlier one. A dataset whose ids derive from the row's place in the file
 * has no key two rows share, and records none.
 */
public final class PartitionKeys {

    /** Shared keys a parent settles at most: their hashes are held in memory while the rows are written again. */
    public static final int MAX_SHARED = 5_000_000;

    private static final String RECORD = SqlFile.load("sql/partitions/record-keys.sql");
    private static final String SHARED = SqlFile.load("sql/partitions/shared-keys.sql");
    private static final String FORGET = SqlFile.load("sql/partitions/forget-keys.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public PartitionKeys(DataSource dataSource) {
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    /** Records the keys of a committed batch of rows of the partition. */
    void record(Partition partition, Dataset dataset, List<Map<String, Object>> rows) {
        if (dataset.keyDerived() || rows.isEmpty()) {
            return;
        }
        StringBuilder hashes = new StringBuilder(rows.size() * 21).append('{');
        for (Map<String, Object> row : rows) {
            if (hashes.length() > 1) {
                hashes.append(',');
            }
            hashes.append(hash(row.get(dataset.key())));
        }
        jdbc.update(RECORD, new MapSqlParameterSource().addValue("parent", partition.parent())
                .addValue("part", partition.index()).addValue("hashes", hashes.append('}').toString()));
    }

    /**
     * The keys (hashes, sorted) that more than one partition of {@code parent} holds, by the index of the last
     * partition that holds each; at most {@link #MAX_SHARED} + 1, so that a caller can tell there are too many.
     */
    Map<Integer, long[]> shared(UUID parent) {
        Map<Integer, long[]> byPart = new HashMap<>();
        Map<Integer, Integer> counts = new HashMap<>();
        jdbc.query(SHARED, new MapSqlParameterSource("parent", parent).addValue("limit", MAX_SHARED + 1), row -> {
            int part = row.getInt("last_part");
            long[] hashes = byPart.computeIfAbsent(part, p -> new long[1024]);
            int count = counts.merge(part, 1, Integer::sum);
            if (count > hashes.length) {
                hashes = Arrays.copyOf(hashes, hashes.length * 2);
                byPart.put(part, hashes);
            }
            hashes[count - 1] = row.getLong("key_hash");
        });
        byPart.replaceAll((part, hashes) -> {
            long[] exact = Arrays.copyOf(hashes, counts.get(part));
            Arrays.sort(exact);
            return exact;
        });
        return byPart;
    }

    void forget(UUID parent) {
        jdbc.update(FORGET, new MapSqlParameterSource("parent", parent));
    }

    /** A key's 64-bit hash (FNV-1a over its text, then MurmurHash3's finalizer); a collision only writes a row again. */
    static long hash(Object key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : String.valueOf(key).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }
}
