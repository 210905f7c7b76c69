package dev.dromedary.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Elasticsearch from its unpacked distribution, run as a child process with its configuration, data and
 * logs in one directory. Elasticsearch refuses to run as root, so a root process runs it as {@code nobody}.
 */
public final class EmbeddedElasticsearch implements AutoCloseable {

    private static final String UNPRIVILEGED_USER = "nobody";
    private static final String UNPRIVILEGED_GROUP = "nogroup";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildProcess process;
    private final int port;

    private EmbeddedElasticsearch(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Launches the distribution in {@code home} on {@code port} with a heap of {@code heap} (such as 512m),
     * under the JDK {@code javaHome} (Elasticsearch 9 needs Java 21 or newer; empty: one is looked for).
     */
    public static EmbeddedElasticsearch launch(Path home, Path dataDirectory, int port, String heap, String javaHome)
            throws IOException {
        if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            throw new IOException("no Elasticsearch at " + home + "; build Dromedary with ./mvnw package, or set ELASTICSEARCH_URL");
        }
        Ports.requireFree(port, "EMBEDDED_ES_PORT");
        Path config = dataDirectory.resolve("config");
        if (!Files.exists(config)) {
            copyTree(home.resolve("config"), config);
        }
        for (String directory : List.of("data", "logs", "tmp")) {
            Files.createDirectories(dataDirectory.resolve(directory));
        }
        Files.writeString(config.resolve("elasticsearch.yml"), String.join("\n",
                "cluster.name: dromedary",
                "node.name: dromedary",
                "discovery.type: single-node",
                "xpack.security.enabled: false",
                "network.host: 127.0.0.1",
                "http.port: " + port,
                "transport.port: 0",
                "path.data: " + dataDirectory.resolve("data").toAbsolutePath(),
                "path.logs: " + dataDirectory.resolve("logs").toAbsolutePath(),
                // a development machine's disk is often fuller than a cluster's; do not turn indices read-only
                "cluster.routing.allocation.disk.threshold_enabled: false") + "\n");

        List<String> command = new ArrayList<>();
        if (isRoot()) {
            requireReachableByOthers(home);
            requireReachableByOthers(dataDirectory.toAbsolutePath().getParent());
            giveTo(UNPRIVILEGED_USER, UNPRIVILEGED_GROUP, dataDirectory);
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_USER, "--regid=" + UNPRIVILEGED_GROUP,
                    "--clear-groups"));
        }
        command.add(home.resolve("bin/elasticsearch").toAbsolutePath().toString());
        Map<String, String> environment = Map.of(
                "ES_JAVA_HOME", javaHome(javaHome).toString(),
                "ES_PATH_CONF", config.toAbsolutePath().toString(),
                "ES_TMPDIR", dataDirectory.resolve("tmp").toAbsolutePath().toString(),
                "ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
        return new EmbeddedElasticsearch(ChildProcess.start("elasticsearch", command, environment, dataDirectory), port);
    }

    /** Waits until the cluster answers healthy; Elasticsearch takes seconds to start, so start it first. */
    public EmbeddedElasticsearch awaitReady() throws IOException {
        process.awaitReady(this::isHealthy, Duration.ofSeconds(180));
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }

    private boolean isHealthy() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The JDK to run Elasticsearch with: the one configured, this one if new enough, or the newest 21+ installed. */
    static Path javaHome(String configured) throws IOException {
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        if (Runtime.version().feature() >= 21) {
            return Path.of(System.getProperty("java.home"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        Optional<Path> installed = Optional.empty();
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> candidates = Files.list(jvms)) {
                installed = candidates.filter(jdk -> javaVersion(jdk) >= 21)
                        .max(Comparator.comparingInt(EmbeddedElasticsearch::javaVersion));
            }
        }
        return installed.orElseThrow(() -> new IOException("Elasticsearch 9 needs Java 21 or newer and none was "
                + "found; set ES_JAVA_HOME to such a JDK, or ELASTICSEARCH_URL to a running Elasticsearch"));
    }

    private static int javaVersion(Path jdk) {
        try {
            return Files.readAllLines(jdk.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.replaceAll("[^0-9.]", "").split("\\.")[0])
                    .map(Integer::parseInt)
                    .findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Elasticsearch runs as {@code nobody}, who must be able to pass through every directory above its files. */
    private static void requireReachableByOthers(Path directory) throws IOException {
        for (Path dir = directory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("Elasticsearch refuses to run as root, so it runs as " + UNPRIVILEGED_USER
                        + ", who cannot enter " + dir + "; allow it (chmod o+x " + dir + "), move Dromedary elsewhere, "
                        + "or set ELASTICSEARCH_URL");
            }
        }
    }

    private static void giveTo(String user, String group, Path directory) throws IOException {
        UserPrincipalLookupService lookup = directory.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(user);
        GroupPrincipal ownerGroup = lookup.lookupPrincipalByGroupName(group);
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(owner);
                view.setGroup(ownerGroup);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
