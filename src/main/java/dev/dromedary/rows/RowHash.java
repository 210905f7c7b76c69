package dev.dromedary.rows;

import dev.dromedary.datasets.Column;
import dev.dromedary.datasets.Dataset;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * 64 bits of a text, or of a typed row's content: what change detection compares with the {@code _row_hash} a
 * landed row keeps, and what the unique rules remember. FNV-1a over the characters, then SplitMix64's finalizer so
 * that near texts spread; a row's values are hashed in its dataset's column order, times as instants.
 */
public final class RowHash {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private RowHash() {
    }

    public static long of(CharSequence text) {
        return mix(add(FNV_OFFSET, text));
    }

    /** The hash of a typed row's values; the same values give the same hash whatever the file wrote them as. */
    public static long of(Dataset dataset, Map<String, Object> row) {
        long h = FNV_OFFSET;
        for (Column column : dataset.columns()) {
            Object value = row.get(column.name());
            if (value == null) {
                h = add(h, "\u0000");
            } else if (value instanceof OffsetDateTime time) {
                h = add(h, time.toInstant().toString());
            } else if (value instanceof List<?> values) {
                for (Object each : values) {
                    h = add(add(h, each.toString()), "\u001f");
                }
            } else {
                h = add(h, value.toString());
            }
            h = add(h, "\u001e");
        }
        return mix(h);
    }

    private static long add(long h, CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= FNV_PRIME;
        }
        return h;
    }

    private static long mix(long h) {
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
