package dev.dromedary.app.wiring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The API key made up for a run that configured none, kept in {@code DATA_DIR/api-key} (readable by its
 * owner alone) so it survives restarts; {@code made} says whether this run made it.
 */
record GeneratedApiKey(String key, boolean made) {

    static GeneratedApiKey readOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("api-key");
        if (Files.exists(file)) {
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!key.isEmpty()) {
                return new GeneratedApiKey(key, false);
            }
            Files.delete(file);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = "dmd_" + HexFormat.of().formatHex(random);
        Files.createDirectories(dataDir);
        try {
            // made readable by its owner alone before the key is in it
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        return new GeneratedApiKey(key, true);
    }
}
