package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Route files named *-api.camel.yaml load only in processes that serve HTTP: none of them may hold a job type,
 * or a runner process (./dromedary jobs first_time) could not run it.
 */
class RouteFileNamesTest {

    @Test
    void noJobTypeLivesInAFileThatOnlyHttpProcessesLoad() throws IOException {
        List<Path> apiFiles;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            apiFiles = files.filter(file -> file.getFileName().toString().endsWith("-api.camel.yaml")).toList();
        }
        assertThat(apiFiles).isNotEmpty();
        for (Path file : apiFiles) {
            // a job type is a route from direct:job-<lower-case letters, digits and _>
            assertThat(Files.readString(file)).as("%s", file).doesNotContainPattern("uri: direct:job-[a-z0-9_]+\\s");
        }
    }
}
