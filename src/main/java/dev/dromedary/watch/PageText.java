package dev.dromedary.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.dromedary.imports.ImportRejected;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * A fetched page read as a watch reads it: HTML parsed by jsoup, JSON by Jackson (JSON paths by Jayway over
 * Jackson's tree), anything else as text; what a selector selects rendered as lines of text (a block element or a
 * table row a line, a row's cells joined by " | "), so that a diff shows what a reader of the page would see change.
 */
public final class PageText {

    static final String CELL_SEPARATOR = " | ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration JSON_PATHS = Configuration.builder().jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
            .mappingProvider(new JacksonMappingProvider(JSON)).options(Option.SUPPRESS_EXCEPTIONS).build();
    private static final Set<String> SKIPPED = Set.of("script", "style", "noscript", "template", "head");
    private static final Set<String> CELLS = Set.of("td", "th");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("[\\s\\u00a0]+");

    private final byte[] body;
    private final String contentType;
    private final String url;
    private Document html;
    private JsonNode json;

    PageText(byte[] body, String contentType, String url) {
        this.body = body;
        this.contentType = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        this.url = url;
    }

    /** The lines {@code selector} selects; empty when it selects nothing. */
    List<String> lines(Selector selector) {
        return switch (selector.kind()) {
            case CSS -> {
                List<String> lines = new ArrayList<>();
                for (Element element : html().select(selector.css())) {
                    lines.addAll(lines(element));
                }
                yield lines;
            }
            case JSON_PATH -> lines(select(json(), selector));
            case TEXT -> isJson() ? lines(json()) : isHtml() ? lines(html().body() == null ? html() : html().body())
                    : plainLines(new String(body, charset()));
        };
    }

    /** The rows of rows mode: each a list of the columns' values, in the order of {@code rows.columns()}. */
    List<List<String>> rows(WatchJob.Rows rows) {
        List<List<String>> found = new ArrayList<>();
        if (rows.selector().kind() == Selector.Kind.CSS) {
            for (Element row : html().select(rows.selector().css())) {
                List<String> values = new ArrayList<>(rows.columns().size());
                for (Selector column : rows.columns().values()) {
                    Element cell = row.selectFirst(column.css());
                    values.add(cell == null ? "" : String.join(" ", lines(cell)));
                }
                found.add(values);
            }
            return found;
        }
        for (JsonNode item : items(select(json(), rows.selector()))) {
            List<String> values = new ArrayList<>(rows.columns().size());
            for (Selector column : rows.columns().values()) {
                JsonNode value = select(item, column);
                values.add(value == null || value.isNull() || value.isMissingNode() ? "" : value.isValueNode() ? value.asText() : value.toString());
            }
            found.add(values);
        }
        return found;
    }

    /** The objects a JSON path of rows mode without columns selects, for the import to flatten as it does JSON records. */
    List<JsonNode> records(Selector selector) {
        return items(select(json(), selector));
    }

    boolean isJson() {
        return contentType.contains("json") || !isHtml() && looksLikeJson();
    }

    private boolean isHtml() {
        return contentType.contains("html") || contentType.contains("xml")
                || contentType.isEmpty() && new String(body, 0, Math.min(body.length, 512), StandardCharsets.ISO_8859_1)
                .stripLeading().startsWith("<");
    }

    private boolean looksLikeJson() {
        String start = new String(body, 0, Math.min(body.length, 64), StandardCharsets.ISO_8859_1).stripLeading();
        return start.startsWith("{") || start.startsWith("[");
    }

    private Document html() {
        if (html == null) {
            try {
                html = Jsoup.parse(new ByteArrayInputStream(body), charsetName(), url);
            } catch (IOException e) {
                throw new ImportRejected("ERR_UNEXPECTED_ANSWER: the page " + url + " could not be read as HTML: " + e.getMessage());
            }
        }
        return html;
    }

    private JsonNode json() {
        if (json == null) {
            try {
                json = JSON.readTree(new String(body, charset()));
            } catch (IOException e) {
                throw new ImportRejected("ERR_UNEXPECTED_ANSWER: the answer of " + url + " is not JSON, which job_data's "
                        + "json_path reads: " + Selector.clip(e.getMessage()));
            }
        }
        return json;
    }

    private static JsonNode select(JsonNode document, Selector selector) {
        try {
            return selector.jsonPath().read(document, JSON_PATHS);
        } catch (JsonPathException | ClassCastException e) {
            return null;
        }
    }

    private static List<JsonNode> items(JsonNode selected) {
        List<JsonNode> items = new ArrayList<>();
        if (selected == null || selected.isNull() || selected.isMissingNode()) {
            return items;
        }
        if (selected.isArray() && selected.size() == 1 && selected.get(0).isArray()) {
            selected = selected.get(0);
        }
        if (selected.isArray()) {
            selected.forEach(items::add);
        } else {
            items.add(selected);
        }
        return items;
    }

    /** A JSON value as lines: an array an element a line, an object or a scalar pretty-printed. */
    private static List<String> lines(JsonNode value) {
        List<String> lines = new ArrayList<>();
        if (value == null || value.isNull() || value.isMissingNode() || value.isArray() && value.isEmpty()) {
            return lines;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                lines.add(element.isValueNode() ? element.asText() : element.toString());
            }
            return lines;
        }
        if (value.isValueNode()) {
            return plainLines(value.asText());
        }
        try {
            return plainLines(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (IOException e) {
            return List.of(value.toString());
        }
    }

    /** An element's text, a line per block element or table row, the cells of a row joined. */
    static List<String> lines(Element element) {
        StringBuilder text = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            private int skipping;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element child) {
                    String tag = child.normalName();
                    if (SKIPPED.contains(tag)) {
                        skipping++;
                    } else if (CELLS.contains(tag)) {
                        if (child.elementSiblingIndex() > 0) {
                            text.append(CELL_SEPARATOR);
                        }
                    } else if (tag.equals("br") || child.isBlock()) {
                        text.append('\n');
                    }
                } else if (node instanceof TextNode textNode && skipping == 0) {
                    text.append(textNode.text());
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element child) {
                    if (SKIPPED.contains(child.normalName())) {
                        skipping--;
                    } else if (!CELLS.contains(child.normalName()) && child.isBlock()) {
                        text.append('\n');
                    }
                }
            }
        }, element);
        return plainLines(text.toString());
    }

    /** Text's lines, each with its spaces collapsed and trimmed, empty ones left out. */
    static List<String> plainLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String collapsed = SPACES.matcher(line).replaceAll(" ").strip();
            if (!collapsed.isEmpty() && !collapsed.equals("|")) {
                lines.add(collapsed.startsWith("| ") ? collapsed.substring(2) : collapsed);
            }
        }
        return lines;
    }

    private String charsetName() {
        int at = contentType.indexOf("charset=");
        if (at < 0) {
            return null;
        }
        String name = contentType.substring(at + 8).split("[;\\s]")[0].replace("\"", "");
        return Charset.isSupported(name) ? name : null;
    }

    private Charset charset() {
        String name = charsetName();
        return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
    }
}
