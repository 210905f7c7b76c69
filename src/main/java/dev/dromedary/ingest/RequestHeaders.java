package dev.dromedary.ingest;

import dev.dromedary.app.Settings;
import dev.dromedary.imports.ImportRejected;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request headers a job asks to send to a source it reads (ingest_http_api, watch_url): at most
 * {@value #MAX_HEADERS}, none the server sets itself, each value text on one line that may name a secret of the
 * settings, {@code {{secret:CRM_TOKEN}}} for {@code SECRET_CRM_TOKEN}, and no other setting: a job's data holds no
 * secret, and resolving one happens only as the job runs.
 */
public final class RequestHeaders {

    static final int MAX_HEADERS = 50;
    private static final Pattern SECRET = Pattern.compile("\\{\\{secret:([A-Za-z][A-Za-z0-9_]{0,63})}}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,100}");
    /** Headers the server sets itself, or that would make the answer other than the text asked for. */
    private static final List<String> RESERVED = List.of("host", "content-length", "transfer-encoding", "connection",
            "accept-encoding", "te", "upgrade", "expect", "if-none-match", "if-modified-since");

    private RequestHeaders() {
    }

    /** The headers of {@code job_data.headers} ({@code given}); IllegalArgumentException for what is malformed. */
    public static Map<String, String> of(Object given) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (given == null) {
            return headers;
        }
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
        return headers;
    }

    /** The headers with the secrets they name taken from the settings; ImportRejected (ERR_UNKNOWN_SECRET) for a secret not set. */
    public static Map<String, String> resolved(Settings settings, Map<String, String> headers) {
        Map<String, String> resolved = new LinkedHashMap<>();
        headers.forEach((name, value) -> resolved.put(name, resolve(settings, name, value)));
        return resolved;
    }

    private static String resolve(Settings settings, String header, String value) {
        Matcher secret = SECRET.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (secret.find()) {
            String setting = "SECRET_" + secret.group(1).toUpperCase(Locale.ROOT);
            String text = settings.text(setting);
            if (text.isEmpty()) {
                throw new ImportRejected("ERR_UNKNOWN_SECRET: job_data.headers." + header + " names the secret " + secret.group(1)
                        + ", and no setting " + setting + " holds it");
            }
            secret.appendReplacement(resolved, Matcher.quoteReplacement(text));
        }
        secret.appendTail(resolved);
        return resolved.toString();
    }
}
