package dev.dromedary.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The API key made up for a run that configured none, kept in {@code DATA_DIR/api-key} so it survives restarts. */
final class GeneratedApiKey {

    private GeneratedApiKey() {
    }

    static String readOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("api-key");
        if (Files.exists(file)) {
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!key.isEmpty()) {
                return key;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = "dmd_" + HexFormat.of().formatHex(random);
        Files.createDirectories(dataDir);
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the file keeps its default permissions
        }
        return key;
    }
}
