package dev.dromedary.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an ingest_http_api job asks for, checked before it runs: the first page's {@code url} and {@code method},
 * request {@code headers} (a value may name a secret of the settings, {@code {{secret:CRM_TOKEN}}} for
 * {@code SECRET_CRM_TOKEN}), where the records stand in each answer ({@code records}, a JSON pointer), how the
 * pages follow each other ({@code pagination}), at most {@code rate_limit} requests a second and {@code max_pages}.
 */
record ApiJob(String url, String method, Map<String, String> headers, String records, Pagination pagination,
              int rateLimit, int maxPages) {

    static final int MAX_HEADERS = 50;
    static final int MAX_RATE_LIMIT = 100;
    static final int MAX_PAGES = 1_000_000;
    static final Pattern SECRET = Pattern.compile("\\{\\{secret:([A-Za-z][A-Za-z0-9_]{0,63})}}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,100}");
    /** Headers the server sets itself, or that would make the answer other than JSON text. */
    private static final List<String> RESERVED = List.of("host", "content-length", "transfer-encoding", "connection",
            "accept-encoding", "te", "upgrade", "expect");

    /** How the pages follow each other: page numbers, offsets, a cursor from each answer, or its Link header. */
    record Pagination(String type, String pageParam, int firstPage, String offsetParam, String sizeParam, Integer pageSize,
                      String cursorParam, String cursorPath) {

        static final Pagination NONE = new Pagination("none", null, 1, null, null, null, null, null);
    }

    static ApiJob of(Map<?, ?> data, int defaultRateLimit) {
        String url = text(data, "url");
        if (url == null) {
            throw new IllegalArgumentException("job_data.url is required: the address of the API's first page");
        }
        if (url.contains("{{") || url.contains("}}")) {
            throw new IllegalArgumentException("job_data.url may not hold {{ or }}: a URL names no setting");
        }
        String method = text(data, "method") == null ? "GET" : text(data, "method").toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new IllegalArgumentException("job_data.method is GET (the default) or POST, not " + method);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Object given = data.get("headers");
        if (given != null) {
            if (!(given instanceof Map<?, ?> map) || map.size() > MAX_HEADERS) {
                throw new IllegalArgumentException("job_data.headers must be an object of at most " + MAX_HEADERS
                        + " header names and their values");
            }
            for (Map.Entry<?, ?> header : map.entrySet()) {
                String name = header.getKey().toString();
                if (!HEADER_NAME.matcher(name).matches() || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("job_data.headers may not set '" + name + "'");
                }
                if (!(header.getValue() instanceof String value) || value.length() > 8192 || value.chars().anyMatch(c -> c < 0x20)) {
                    throw new IllegalArgumentException("job_data.headers." + name + " must be text of at most 8192 characters on one line");
                }
                if (value.replaceAll(SECRET.pattern(), "").contains("{{")) {
                    throw new IllegalArgumentException("job_data.headers." + name + " may name a secret as {{secret:NAME}} "
                            + "(the setting SECRET_NAME), and no other setting");
                }
                headers.put(name, value);
            }
        }
        String records = text(data, "records") == null ? "" : text(data, "records");
        if (!records.isEmpty() && !records.startsWith("/")) {
            throw new IllegalArgumentException("job_data.records is a JSON pointer to the array of records in each answer, "
                    + "such as /data (empty: the answer is the array)");
        }
        int rateLimit = integer(data, "rate_limit", defaultRateLimit, 1, MAX_RATE_LIMIT);
        int maxPages = integer(data, "max_pages", MAX_PAGES, 1, MAX_PAGES);
        return new ApiJob(url, method, headers, records, pagination(data.get("pagination")), rateLimit, maxPages);
    }

    private static Pagination pagination(Object given) {
        if (given == null) {
            return Pagination.NONE;
        }
        if (!(given instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("job_data.pagination must be an object such as {\"type\": \"page\"}");
        }
        String type = text(map, "type");
        if (type == null || !List.of("page", "offset", "cursor", "link", "none").contains(type)) {
            throw new IllegalArgumentException("job_data.pagination.type is page, offset, cursor or link, not " + type);
        }
        Integer pageSize = map.get("page_size") == null ? null : integer(map, "page_size", 0, 1, 10_000);
        String sizeParam = text(map, "size_param") != null ? text(map, "size_param")
                : type.equals("offset") ? "limit" : "page_size";
        return new Pagination(type, param(map, "page_param", "page"), integer(map, "first_page", 1, 0, 1_000_000),
                param(map, "offset_param", "offset"), sizeParam, pageSize, param(map, "cursor_param", "cursor"),
                pointer(map, "cursor_path", "/next_cursor"));
    }

    private static String param(Map<?, ?> map, String field, String otherwise) {
        String value = text(map, field);
        if (value != null && !value.matches("[A-Za-z0-9_.\\[\\]-]{1,100}")) {
            throw new IllegalArgumentException("job_data.pagination." + field + " is a query parameter's name, not " + value);
        }
        return value == null ? otherwise : value;
    }

    private static String pointer(Map<?, ?> map, String field, String otherwise) {
        String value = text(map, field);
        if (value != null && !value.startsWith("/")) {
            throw new IllegalArgumentException("job_data.pagination." + field + " is a JSON pointer such as /meta/next");
        }
        return value == null ? otherwise : value;
    }

    private static int integer(Map<?, ?> data, String field, int otherwise, int min, int max) {
        Object value = data.get(field);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Integer number) || number < min || number > max) {
            throw new IllegalArgumentException("job_data." + field + " must be a whole number from " + min + " to " + max);
        }
        return number;
    }

    private static String text(Map<?, ?> data, String field) {
        Object value = data.get(field);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }
}
