package dev.dromedary.watch;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import java.util.Locale;
import java.util.Map;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;
import org.jsoup.select.Selector.SelectorParseException;

/**
 * What a watch selects of a page: elements by a CSS selector (jsoup), values by a JSON path (Jayway), or the whole
 * page's text. Both languages are bounded before they run on a page: a selector or path of at most
 * {@value #MAX_CHARS} characters, no operator that takes a Java regular expression (jsoup's {@code :matches} and
 * {@code [attr~=…]}, JsonPath's {@code =~}), and a JSON path of at most one deep scan ({@code ..}) and
 * {@value #MAX_FILTERS} filters, so that no selector can make a page cost more than a few passes over it.
 */
public record Selector(Kind kind, String expression, Evaluator css, JsonPath jsonPath) {

    public enum Kind { CSS, JSON_PATH, TEXT }

    static final int MAX_CHARS = 500;
    static final int MAX_FILTERS = 3;
    static final Selector TEXT = new Selector(Kind.TEXT, null, null, null);

    /** {@code select} of a job's data ({@code field} names it in errors): one of css, json_path or text. */
    static Selector of(Object select, String field) {
        if (!(select instanceof Map<?, ?> map) || map.size() != 1) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " is one of {\"css\": \"table#embassies\"}, "
                    + "{\"json_path\": \"$.items[*].name\"} or {\"text\": true}");
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        String kind = entry.getKey().toString();
        Object value = entry.getValue();
        return switch (kind) {
            case "css" -> css(value, field + ".css");
            case "json_path" -> jsonPath(value, field + ".json_path");
            case "text" -> {
                if (!Boolean.TRUE.equals(value)) {
                    throw new WatchRefused("ERR_INVALID_SELECTOR", field + ".text is true (the whole page, tags stripped)");
                }
                yield TEXT;
            }
            default -> throw new WatchRefused("ERR_INVALID_SELECTOR", field + " selects by css, json_path or text, not '"
                    + clip(kind) + "'");
        };
    }

    static Selector css(Object value, String field) {
        String css = text(value, field);
        String lower = css.toLowerCase(Locale.ROOT);
        if (lower.contains(":matches") || lower.contains("~=")) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " may not use :matches… or [attr~=…]: their Java "
                    + "regular expressions could hang a worker (select by element, class, id, attribute or :contains)");
        }
        try {
            return new Selector(Kind.CSS, css, QueryParser.parse(css), null);
        } catch (SelectorParseException | IllegalArgumentException e) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " is not a CSS selector: " + clip(e.getMessage()));
        }
    }

    static Selector jsonPath(Object value, String field) {
        String path = text(value, field);
        if (!path.startsWith("$")) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " is a JSON path starting at $, such as $.items[*].name");
        }
        if (path.contains("=~")) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " may not use =~: its Java regular expressions could "
                    + "hang a worker");
        }
        if (path.indexOf("..") != path.lastIndexOf("..")) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " may hold one deep scan (..) at most");
        }
        if (path.split("\\[\\s*\\?", -1).length - 1 > MAX_FILTERS) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " may hold " + MAX_FILTERS + " filters ([?(…)]) at most");
        }
        try {
            return new Selector(Kind.JSON_PATH, path, null, JsonPath.compile(path));
        } catch (InvalidPathException | IllegalArgumentException e) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " is not a JSON path: " + clip(e.getMessage()));
        }
    }

    private static String text(Object value, String field) {
        if (!(value instanceof String text) || text.isBlank() || text.length() > MAX_CHARS) {
            throw new WatchRefused("ERR_INVALID_SELECTOR", field + " is text of 1 to " + MAX_CHARS + " characters");
        }
        return text;
    }

    static String clip(String text) {
        String value = String.valueOf(text);
        return value.length() > 200 ? value.substring(0, 200) + "…" : value;
    }

    @Override
    public String toString() {
        return kind == Kind.TEXT ? "text" : kind.name().toLowerCase(Locale.ROOT) + " " + expression;
    }
}
