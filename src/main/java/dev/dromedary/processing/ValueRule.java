package dev.dromedary.processing;

import com.google.re2j.Pattern;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * One check of a dataset's (or a job's) {@code validate:} on a column's typed value: a Long, an OffsetDateTime, a
 * String, a UUID, or each String of a keywords column. An empty cell is checked by {@code required} alone.
 */
public interface ValueRule {

    String name();

    /** Whether the (present) value keeps the rule. */
    boolean holds(Object value);

    /** {@code min} / {@code max}: numbers and dates at least, or at most, the bound. */
    record Bound(String name, Comparable<?> bound) implements ValueRule {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public boolean holds(Object value) {
            int order = value instanceof Long number ? Long.compare(number, (Long) bound)
                    : ((OffsetDateTime) value).compareTo((OffsetDateTime) bound);
            return name.equals("min") ? order >= 0 : order <= 0;
        }
    }

    /** {@code min_length} / {@code max_length}: of the text, in characters. */
    record Length(String name, int length) implements ValueRule {
        @Override
        public boolean holds(Object value) {
            int actual = value.toString().codePointCount(0, value.toString().length());
            return name.equals("min_length") ? actual >= length : actual <= length;
        }
    }

    /** {@code pattern}: the whole text matches, through RE2/J (linear time, whatever the pattern). */
    record Matches(Pattern pattern) implements ValueRule {
        @Override
        public String name() {
            return "pattern";
        }

        @Override
        public boolean holds(Object value) {
            return pattern.matches(value.toString());
        }
    }

    /** {@code one_of}: the text is one of the values, exactly. */
    record OneOf(Set<String> values) implements ValueRule {
        @Override
        public String name() {
            return "one_of";
        }

        @Override
        public boolean holds(Object value) {
            return values.contains(value.toString());
        }
    }

    /** {@code email}: an address as mail systems take it: one @, a local part, and a domain of dotted labels. */
    record Email() implements ValueRule {
        private static final Pattern ADDRESS = Pattern.compile(
                "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

        @Override
        public String name() {
            return "email";
        }

        @Override
        public boolean holds(Object value) {
            String text = value.toString();
            return text.length() <= 254 && ADDRESS.matches(text) && !text.startsWith(".") && !text.contains("..")
                    && !text.contains(".@");
        }
    }

    /** {@code url}: an absolute http or https URL with a host. */
    record Url() implements ValueRule {
        @Override
        public String name() {
            return "url";
        }

        @Override
        public boolean holds(Object value) {
            try {
                URI uri = new URI(value.toString());
                return uri.getScheme() != null && List.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
                        && uri.getHost() != null && !uri.getHost().isEmpty();
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }
}
