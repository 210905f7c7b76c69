package dev.dromedary.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An S3 API server (S3Proxy with its filesystem store) run as a child process: each bucket is a directory
 * under its data directory, so objects survive restarts and can be looked at with {@code ls}.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private EmbeddedS3Server(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts S3Proxy from {@code jar} on {@code port}, accepting the given credentials, with {@code bucket} made. */
    public static EmbeddedS3Server start(Path jar, Path dataDirectory, int port, String accessKey, String secretKey,
                                         String bucket) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no S3 server at " + jar + "; build Dromedary with ./mvnw package, or set S3_ENDPOINT");
        }
        Ports.requireFree(port, "EMBEDDED_S3_PORT");
        Path store = dataDirectory.resolve("buckets");
        Files.createDirectories(store.resolve(bucket));
        Path properties = dataDirectory.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "s3proxy.cors-allow-all=true",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store.toAbsolutePath()) + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ChildProcess process = ChildProcess.start("s3proxy",
                List.of(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--properties",
                        properties.toAbsolutePath().toString()),
                Map.of(), dataDirectory);
        process.awaitReady(() -> accepts(port), Duration.ofSeconds(60));
        return new EmbeddedS3Server(process, port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
