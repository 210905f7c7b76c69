package dev.dromedary.datasets;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a dataset column holds, and so how a CSV cell becomes a value, and how PostgreSQL and Elasticsearch
 * store it. Parsing throws {@link IllegalArgumentException} with a reason fit for a dead letter.
 */
public enum ColumnType {

    /** An identifier: PostgreSQL {@code uuid}, Elasticsearch {@code keyword}. */
    UUID_VALUE("uuid", Map.of("type", "keyword")),
    /** A value matched exactly: {@code text}, {@code keyword}. */
    KEYWORD("keyword", Map.of("type", "keyword")),
    /** Words searched in: {@code text}, {@code text} with a {@code keyword} sub-field for exact matches and sorting. */
    TEXT("text", Map.of("type", "text", "fields", Map.of("keyword", Map.of("type", "keyword", "ignore_above", 256)))),
    /** A whole number: {@code bigint}, {@code long}. */
    LONG("long", Map.of("type", "long")),
    /** A point in time, ISO 8601 (a date alone is midnight UTC): {@code timestamptz}, {@code date}. */
    DATE("date", Map.of("type", "date")),
    /** Several values in one cell, separated by {@code ;}: {@code text[]}, {@code keyword}. */
    KEYWORDS("keywords", Map.of("type", "keyword"));

    private final String definitionName;
    private final Map<String, Object> elasticsearchMapping;

    ColumnType(String definitionName, Map<String, Object> elasticsearchMapping) {
        this.definitionName = definitionName;
        this.elasticsearchMapping = elasticsearchMapping;
    }

    public static ColumnType fromDefinition(String name) {
        for (ColumnType type : values()) {
            if (type.definitionName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a column type; the types are uuid, keyword, text, "
                + "long, date and keywords");
    }

    public String definitionName() {
        return definitionName;
    }

    public Map<String, Object> elasticsearchMapping() {
        return elasticsearchMapping;
    }

    /**
     * The value of a non-empty CSV cell: a String, UUID, Long, OffsetDateTime or List of Strings, one that
     * PostgreSQL and Elasticsearch can both store.
     */
    public Object parse(String cell) {
        if (cell.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("holds a NUL character (byte 0x00), which PostgreSQL cannot store");
        }
        switch (this) {
            case UUID_VALUE:
                try {
                    if (cell.length() == 36) {
                        return UUID.fromString(cell);
                    }
                } catch (IllegalArgumentException e) {
                    // answered below
                }
                throw new IllegalArgumentException("is not a UUID");
            case LONG:
                try {
                    return Long.parseLong(cell);
                } catch (NumberFormatException e) {
                    return parseGroupedLong(cell);
                }
            case DATE:
                return requireStorable(parseDate(cell));
            case KEYWORDS:
                List<String> values = new ArrayList<>();
                for (String value : cell.split(";")) {
                    if (!value.isBlank()) {
                        values.add(requireKeywordLength(value.strip()));
                    }
                }
                return values;
            case KEYWORD:
                return requireKeywordLength(cell);
            default:
                return cell;
        }
    }

    /** Elasticsearch indexes a keyword of at most 32,766 UTF-8 bytes: this many characters always fit. */
    static final int MAX_KEYWORD_CHARS = 8191;

    private static String requireKeywordLength(String value) {
        if (value.length() > MAX_KEYWORD_CHARS) {
            throw new IllegalArgumentException("is " + value.length() + " characters long; a " + "keyword holds at most "
                    + MAX_KEYWORD_CHARS);
        }
        return value;
    }

    /** A whole number written with thousands separators: 1,234,567 (groups of three digits). */
    private static Long parseGroupedLong(String cell) {
        String digits = cell.strip();
        int start = digits.startsWith("-") || digits.startsWith("+") ? 1 : 0;
        int firstComma = digits.indexOf(',');
        boolean grouped = firstComma > start && firstComma - start <= 3 && (digits.length() - firstComma) % 4 == 0;
        for (int i = firstComma; grouped && i < digits.length(); i++) {
            char c = digits.charAt(i);
            grouped = (i - firstComma) % 4 == 0 ? c == ',' : c >= '0' && c <= '9';
        }
        String plain = grouped ? digits.replace(",", "") : digits;
        if (plain.length() > start && plain.chars().skip(start).allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Long.parseLong(plain);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is outside the whole numbers PostgreSQL and Elasticsearch hold, "
                        + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
            }
        }
        throw new IllegalArgumentException("is not a whole number (digits, or groups of three digits and commas like 1,234,567)");
    }

    /** PostgreSQL holds 4713 BC to 294276 AD, Elasticsearch's date formats four-digit years: both hold these. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private static OffsetDateTime requireStorable(OffsetDateTime time) {
        Instant instant = time.toInstant();
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new IllegalArgumentException("is outside the dates that PostgreSQL and Elasticsearch both hold, "
                    + "0001-01-01 to 9999-12-31 (UTC)");
        }
        return time;
    }

    private static final DateTimeFormatter SLASHED_DATE = DateTimeFormatter.ofPattern("uuuu/MM/dd");

    /**
     * ISO 8601 (a date alone is midnight UTC; a time without offset is UTC; a space may stand for the T),
     * 2024/05/31, 20240531, or RFC 1123 (Fri, 31 May 2024 12:00:00 GMT). Day-first and month-first dates
     * (05/31/2024, 31.05.2024) are refused: within one file they cannot be told apart reliably.
     */
    private static OffsetDateTime parseDate(String cell) {
        try {
            if (isUtcSeconds(cell)) {
                return OffsetDateTime.of(digits(cell, 0, 4), digits(cell, 5, 7), digits(cell, 8, 10), digits(cell, 11, 13),
                        digits(cell, 14, 16), digits(cell, 17, 19), 0, ZoneOffset.UTC);
            }
            if (cell.length() == 10 && cell.charAt(4) == '/') {
                return LocalDate.parse(cell, SLASHED_DATE).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            if (cell.length() == 8 && Character.isDigit(cell.charAt(0))) {
                return LocalDate.parse(cell, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            if (!cell.isEmpty() && Character.isLetter(cell.charAt(0))) {
                return OffsetDateTime.parse(cell, DateTimeFormatter.RFC_1123_DATE_TIME);
            }
            if (cell.length() == 10) {
                return LocalDate.parse(cell).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            String iso = cell.length() > 10 && cell.charAt(10) == ' ' ? cell.substring(0, 10) + 'T' + cell.substring(11) : cell;
            char last = iso.charAt(iso.length() - 1);
            boolean hasOffset = last == 'Z' || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
            return hasOffset ? OffsetDateTime.parse(iso) : LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC);
        } catch (DateTimeException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("is not a date or time in a form read without doubt: 2024-05-31, "
                    + "2024-05-31T12:00:00Z, 2024-05-31 12:00:00, 2024/05/31, 20240531 or Fri, 31 May 2024 12:00:00 GMT");
        }
    }

    /** 2024-05-31T12:00:00Z, the commonest form, read without a formatter: the hot path of an import. */
    private static boolean isUtcSeconds(String cell) {
        if (cell.length() != 20 || cell.charAt(19) != 'Z' || cell.charAt(10) != 'T') {
            return false;
        }
        for (int i = 0; i < 19; i++) {
            char c = cell.charAt(i);
            boolean ok = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == 'T';
                case 13, 16 -> c == ':';
                default -> c >= '0' && c <= '9';
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int digits(String cell, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (cell.charAt(i) - '0');
        }
        return value;
    }
}
