package dev.dromedary.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The addresses a job may name as its {@code job_data.notify_url}: under one of {@code JOB_WEBHOOK_ALLOWED}, by
 * scheme, host, port and path prefix (so that {@code https://hooks.example.com} allows neither
 * {@code https://hooks.example.com.evil.net} nor {@code https://user@hooks.example.com}): a key holder must not
 * make the server post to internal addresses.
 */
public final class NotifyUrls {

    public static final int MAX_LENGTH = 2000;

    private final List<URI> allowed;

    public NotifyUrls(List<String> prefixes) {
        this.allowed = prefixes.stream().map(prefix -> {
            URI uri = parse(prefix);
            if (uri == null) {
                throw new IllegalArgumentException("the setting JOB_WEBHOOK_ALLOWED lists http(s) URL prefixes such as "
                        + "https://hooks.example.com/dromedary/, not '" + prefix + "'");
            }
            return uri;
        }).toList();
    }

    public boolean allows(String url) {
        URI uri = url == null || url.length() > MAX_LENGTH ? null : parse(url);
        return uri != null && uri.getRawUserInfo() == null && allowed.stream().anyMatch(prefix -> under(uri, prefix));
    }

    /** Why {@code url} is refused, for the API's answer. */
    public String refusal(String url) {
        return "job_data.notify_url '" + (url.length() > 100 ? url.substring(0, 100) + "…" : url) + "' is not under "
                + (allowed.isEmpty() ? "any allowed prefix (JOB_WEBHOOK_ALLOWED is empty, so no job may name one)"
                : "one of the prefixes JOB_WEBHOOK_ALLOWED allows: " + allowed);
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
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
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
