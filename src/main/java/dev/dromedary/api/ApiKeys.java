package dev.dromedary.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.camel.Header;

/** The configured API keys. A presented key is compared with each of them in constant time and never logged. */
public final class ApiKeys {

    public static final String HEADER = "X-API-Key";

    private final List<byte[]> keyDigests;

    public ApiKeys(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        this.keyDigests = keys.stream().map(ApiKeys::digest).toList();
    }

    public void requireValid(@Header(HEADER) String presented) {
        if (presented == null || presented.isBlank()) {
            throw ApiError.unauthorized("ERR_UNAUTHORIZED: the 'X-API-Key' header is required");
        }
        byte[] digest = digest(presented);
        boolean valid = false;
        for (byte[] key : keyDigests) {
            valid |= MessageDigest.isEqual(key, digest);
        }
        if (!valid) {
            throw ApiError.unauthorized("ERR_UNAUTHORIZED: the API key is not valid");
        }
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
