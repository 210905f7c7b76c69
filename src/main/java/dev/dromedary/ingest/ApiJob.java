package dev.dromedary.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an ingest_http_api job asks for, checked before it runs: the first page's {@code url} and {@code method},
 * request {@code headers} ({@link RequestHeaders}), where the records stand in each answer ({@code records}, a JSON pointer), how the
 * pages follow each other ({@code pagination}), at most {@code rate_limit} requests a second and {@code max_pages}.
 */
record ApiJob(String url, String method, Map<String, String> headers, String records, Pagination pagination,
              int rateLimit, int maxPages) {

    static final int MAX_RATE_LIMIT = 100;
    static final int MAX_PAGES = 1_000_000;

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
        Map<String, String> headers = RequestHeaders.of(data.get("headers"));
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
