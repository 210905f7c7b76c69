package dev.dromedary.jobs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The addresses a job may make the server reach (its {@code job_data.notify_url} under {@code JOB_WEBHOOK_ALLOWED},
 * the {@code url} of an ingest_http_api job under {@code HTTP_SOURCES_ALLOWED}): under one of the setting's
 * prefixes by scheme, host, port and path prefix (so that {@code https://hooks.example.com} allows neither
 * {@code https://hooks.example.com.evil.net} nor {@code https://user@hooks.example.com}), with no dot segments
 * in the path: a key holder must not make the server reach internal addresses.
 */
public final class AllowedUrls {

    public static final int MAX_LENGTH = 2000;
    /** A {@code .} or {@code ..} segment, which a server may resolve to outside the allowed path. */
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|$)");

    private final String setting;
    private final List<URI> allowed;

    /** The prefixes of {@code setting}. */
    public AllowedUrls(String setting, List<String> prefixes) {
        this.setting = setting;
        this.allowed = prefixes.stream().map(prefix -> {
            URI uri = parse(prefix);
            if (uri == null) {
                throw new IllegalArgumentException("the setting " + setting + " lists http(s) URL prefixes such as "
                        + "https://api.example.com/v1/, not '" + prefix + "'");
            }
            return uri;
        }).toList();
    }

    public boolean allows(String url) {
        URI uri = url == null || url.length() > MAX_LENGTH ? null : parse(url);
        return uri != null && uri.getRawUserInfo() == null && allowed.stream().anyMatch(prefix -> under(uri, prefix));
    }

    /** Why {@code url}, given as {@code field}, is refused, for the API's answer. */
    public String refusal(String field, String url) {
        return field + " '" + (url.length() > 100 ? url.substring(0, 100) + "…" : url) + "' is not under "
                + (allowed.isEmpty() ? "any allowed prefix (" + setting + " is empty, so no job may name one)"
                : "one of the prefixes " + setting + " allows: " + allowed);
    }

    private static boolean under(URI url, URI prefix) {
        return url.getScheme().equals(prefix.getScheme())
                && url.getHost().equals(prefix.getHost())
                && port(url) == port(prefix)
                && path(url).startsWith(path(prefix));
    }

    private static URI parse(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getPath() != null && DOT_SEGMENT.matcher(uri.getPath()).find()) {
                return null;
            }
            return new URI(scheme, uri.getRawUserInfo(), uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(),
                    uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
    }

    private static String path(URI uri) {
        return uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    }
}
