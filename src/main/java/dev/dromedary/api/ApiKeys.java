package dev.dromedary.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * The configured API keys. A presented key is compared with each of them in constant time and never logged.
 * Only the request's {@code X-API-Key} header counts: Camel copies query parameters and form fields into
 * headers of the same name, so the key is read from the HTTP request itself.
 */
public final class ApiKeys {

    public static final String HEADER = "X-API-Key";
    static final String MISSING = "ERR_UNAUTHORIZED: the 'X-API-Key' request header is required (a key in the query "
            + "string or a form field does not count)";
    static final String INVALID = "ERR_UNAUTHORIZED: the API key is not valid";

    private final List<byte[]> keyDigests;

    public ApiKeys(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        this.keyDigests = keys.stream().map(ApiKeys::digest).toList();
    }

    public void requireValid(Exchange exchange) {
        String refusal = refusal(exchange.getMessage() instanceof HttpMessage http
                ? http.getRequest().getHeader(HEADER) : exchange.getMessage().getHeader(HEADER, String.class));
        if (refusal != null) {
            throw ApiError.unauthorized(refusal);
        }
    }

    /** Why a request with this X-API-Key header is refused; null when the key is valid. */
    String refusal(String presented) {
        if (presented == null || presented.isBlank()) {
            return MISSING;
        }
        byte[] digest = digest(presented);
        boolean valid = false;
        for (byte[] key : keyDigests) {
            valid |= MessageDigest.isEqual(key, digest);
        }
        return valid ? null : INVALID;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
