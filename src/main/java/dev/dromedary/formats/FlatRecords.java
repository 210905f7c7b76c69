package dev.dromedary.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * JSON objects as rows under a header that grows: nested objects become {@code a.b} paths, an array of plain
 * values one value of its items joined by {@code ;} (a {@code keywords} column's form), any other array its JSON
 * text; the paths are the header, in the order they are first seen. JSON Lines files and the records of an HTTP
 * API are read so.
 */
public final class FlatRecords {

    private final int maxColumns;
    private final List<String> header = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> positions = new ConcurrentHashMap<>();

    public FlatRecords(int maxColumns, List<String> knownHeader) {
        this.maxColumns = maxColumns;
        knownHeader.forEach(this::positionOf);
    }

    public List<String> header() {
        return header;
    }

    /** The object's values by the header's positions; null when it holds more than {@code maxColumns} values. */
    public List<String> values(JsonNode object) {
        List<String> values = new ArrayList<>();
        int[] count = {0};
        flatten("", object, values, count);
        return count[0] > maxColumns ? null : values;
    }

    /** How many values {@link #values} found in the object, counted again for the reason of a refusal. */
    public static int valueCount(JsonNode object) {
        int count = 0;
        for (Iterator<JsonNode> fields = object.elements(); fields.hasNext(); ) {
            JsonNode value = fields.next();
            count += value.isObject() ? valueCount(value) : value.isNull() ? 0 : 1;
        }
        return count;
    }

    private void flatten(String prefix, JsonNode node, List<String> values, int[] count) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(path + ".", value, values, count);
                continue;
            }
            if (value.isNull() || ++count[0] > maxColumns) {
                continue;
            }
            int at = positionOf(path);
            while (values.size() <= at) {
                values.add(null);
            }
            values.set(at, text(value));
        }
    }

    private static String text(JsonNode value) {
        if (!value.isArray()) {
            return value.asText();
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (item.isContainerNode()) {
                return value.toString();
            }
            if (!item.isNull()) {
                items.add(item.asText());
            }
        }
        return String.join(";", items);
    }

    private synchronized int positionOf(String path) {
        return positions.computeIfAbsent(path, added -> {
            header.add(added);
            return header.size() - 1;
        });
    }
}
