package dev.dromedary.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the database is and who to be there, from {@code DATABASE_URL} in either the JDBC form
 * ({@code jdbc:postgresql://host:5432/db}) or the libpq form ({@code postgres://user:secret@host:5432/db}).
 * {@code DATABASE_USER} and {@code DATABASE_PASSWORD}, when set, win over credentials in the URL.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url, String user, String password) {
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(trimmed, blankToNull(user), blankToNull(password));
        }
        if (!trimmed.startsWith("postgres://") && !trimmed.startsWith("postgresql://")) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must start with jdbc:postgresql://, postgres:// or postgresql://");
        }
        URI uri = URI.create(trimmed);
        String urlUser = null;
        String urlPassword = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            urlUser = decode(parts[0]);
            urlPassword = parts.length > 1 ? decode(parts[1]) : null;
        }
        String hostAndPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + hostAndPort + uri.getRawPath() + query;
        return new DatabaseUrl(jdbc,
                blankToNull(user) != null ? user : urlUser,
                blankToNull(password) != null ? password : urlPassword);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
