package dev.dromedary.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A SQL statement kept in a {@code .sql} file on the classpath. */
public final class SqlFile {

    private SqlFile() {
    }

    public static String load(String path) {
        try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no SQL file " + path + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
