package dev.dromedary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dromedary.testing.JobsApi;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** In dev mode, a changed route file is reloaded while the instance runs; a broken one leaves the old routes. */
@ExtendWith(RealServices.class)
class RouteReloadIT {

    @Test
    void anEditedRouteFileChangesWhatAJobDoesWithoutARestartAndABrokenOneKeepsTheOldRoutes(@TempDir Path routes)
            throws Exception {
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        RunningDromedary.Builder dev = RunningDromedary.named("dev", RealServices.freshDatabase())
                .with("ROUTES_DIR", routes)
                .with("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml,classpath:test-routes/*.camel.yaml");
        Launcher.DEV.forEach(dev::with);
        try (RunningDromedary dromedary = dev.start()) {
            JobsApi api = dromedary.api();
            assertThat(message(api, "noop")).isEqualTo("Nothing to do: a noop job completes at once");

            Path noop = routes.resolve("job-noop.camel.yaml");
            Files.writeString(noop, Files.readString(noop).replace("Nothing to do: a noop job completes at once",
                    "Nothing to do, as edited"));
            await().atMost(Duration.ofSeconds(30)).until(() -> message(api, "noop").equals("Nothing to do, as edited"));

            Files.writeString(routes.resolve("job-hello.camel.yaml"), """
                    - beans:
                        - name: hello-job-data
                          type: dev.dromedary.jobs.JobDataFields
                          properties:
                            jobType: hello
                            fields: "name"

                    - route:
                        id: job-hello
                        from:
                          uri: direct:job-hello
                          steps:
                            - setVariable:
                                name: jobMessage
                                simple: "Hello, ${body[name]}"
                    """);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> message(api, "hello", "{\"name\": \"Ada\"}").equals("Hello, Ada"));

            Files.writeString(routes.resolve("job-broken.camel.yaml"), """
                    - route:
                        id: job-broken
                        from:
                          uri: direct:job-broken
                          steps:
                            - setVariable: [this is not
                    """);
            await().atMost(Duration.ofSeconds(30)).until(() -> logged(log).stream()
                    .anyMatch(event -> event.getFormattedMessage().contains("job-broken.camel.yaml")
                            && event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)));
            // the report names where in the file it stopped parsing: the flow sequence left open on line 7
            String report = logged(log).stream()
                    .filter(event -> event.getFormattedMessage().contains("job-broken.camel.yaml"))
                    .map(event -> event.getFormattedMessage() + " " + causes(event.getThrowableProxy()))
                    .reduce("", String::concat);
            assertThat(report).containsPattern("line [78], column \\d+");

            assertThat(message(api, "noop")).isEqualTo("Nothing to do, as edited");
            assertThat(message(api, "hello", "{\"name\": \"Grace\"}")).isEqualTo("Hello, Grace");
            assertThat(api.create("{\"job_type\": \"broken\", \"job_data\": {}}").status()).isEqualTo(400);
            assertThat(api.create("{\"job_type\": \"hello\", \"job_data\": {\"nmae\": \"Ada\"}}").error())
                    .as("the fields the added file declares").startsWith("ERR_UNKNOWN_FIELD: job_data.nmae is not a field of hello; "
                            + "did you mean name?");
        } finally {
            root.detachAppender(log);
        }
    }

    private static String causes(ch.qos.logback.classic.spi.IThrowableProxy throwable) {
        StringBuilder messages = new StringBuilder();
        for (var cause = throwable; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append(' ');
        }
        return messages.toString();
    }

    private static String message(JobsApi api, String jobType) {
        return message(api, jobType, "{}");
    }

    private static String message(JobsApi api, String jobType, String data) {
        String uuid = api.createJob(jobType, data);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.status(uuid).equals("completed"));
        JsonNode job = api.job(uuid);
        return job.get("job_response").get("messages").asText();
    }

    /** The events logged so far: a copy taken as the appender takes none (it appends under its own lock). */
    private static java.util.List<ILoggingEvent> logged(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return new java.util.ArrayList<>(log.list);
        }
    }
}
