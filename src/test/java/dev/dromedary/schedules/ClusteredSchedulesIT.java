package dev.dromedary.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dromedary.testing.DromedaryProcess;
import dev.dromedary.testing.RealServices;
import dev.dromedary.testing.RunningDromedary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Schedules on several instances: each fire time makes one job, fired by one instance. */
@ExtendWith(RealServices.class)
class ClusteredSchedulesIT {

    private static final Pattern FIRED = Pattern.compile("Schedule every-2s (?:made job \\S+ \\(noop\\) for (\\S+)"
            + "|: job \\S+ was made already \\(schedule:every-2s:(\\S+)\\))");

    @Test
    void aCronScheduleFiringEveryTwoSecondsOnTwoInstancesMakesOneJobPerFireTimeAndSurvivesOneStopping() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path schedules = schedulesFile("""
                schedules:
                  - name: every-2s
                    cron: "*/2 * * * * ?"
                    job_type: noop
                  - name: welcome
                    once: v1
                    job_type: noop
                """);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Schedules.class);
        logger.addAppender(log);
        Path processLog = Files.createTempFile(Path.of("target"), "scheduled-", ".log");
        int port = RunningDromedary.freePort();
        Instant bothRunning;
        Instant firstStopped;
        Instant secondStopped;
        // the instance that starts first tends to take every fire time; it is the one stopped midway
        RunningDromedary a = RunningDromedary.named("sched-a", database).with("SCHEDULES_FILE", schedules).start();
        try (DromedaryProcess b = DromedaryProcess.start(processLog, DromedaryProcess.on(database, "sched-b", port,
                Map.of("SCHEDULES_FILE", schedules.toString())), List.of()).awaitStarted()) {
            try {
                bothRunning = Instant.now();
                await().atMost(Duration.ofSeconds(90)).until(() -> fireTimes(database, "every-2s").stream()
                        .filter(time -> time.isAfter(bothRunning)).count() >= 8);
            } finally {
                a.close();
                logger.detachAppender(log);
            }
            firstStopped = Instant.now();
            await().atMost(Duration.ofSeconds(90)).until(() -> fireTimes(database, "every-2s").stream()
                    .filter(time -> time.isAfter(firstStopped.plusSeconds(2))).count() >= 4);
            secondStopped = Instant.now();
        } finally {
            a.close();
        }
        List<Instant> fireTimes = fireTimes(database, "every-2s");
        List<String> firings = new ArrayList<>();
        log.list.forEach(event -> firings.addAll(fireTimesIn(event.getFormattedMessage())));
        Files.readAllLines(processLog).forEach(line -> firings.addAll(fireTimesIn(line)));

        List<Instant> minute = fireTimes.stream()
                .filter(time -> time.isAfter(bothRunning) && time.isBefore(secondStopped.minusSeconds(2))).toList();
        assertThat(minute.size()).as("fire times while the instances ran").isGreaterThanOrEqualTo(12);
        // every even second between the first and the last is a fire time: none was lost while one instance stopped
        for (int i = 1; i < minute.size(); i++) {
            assertThat(Duration.between(minute.get(i - 1), minute.get(i))).as("after %s", minute.get(i - 1))
                    .isEqualTo(Duration.ofSeconds(2));
        }
        assertThat(firings).as("each fire time fired by one instance, once").doesNotHaveDuplicates()
                .hasSameSizeAs(fireTimes);
        List<String> firedByB = new ArrayList<>();
        Files.readAllLines(processLog).forEach(line -> firedByB.addAll(fireTimesIn(line)));
        assertThat(firings.size()).as("fired by the in-JVM instance").isGreaterThan(firedByB.size());
        assertThat(firedByB).as("fire times after the in-JVM instance stopped, fired by the other")
                .anyMatch(time -> Instant.parse(time).isAfter(firstStopped.plusSeconds(2)));
        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE idempotency_key = 'once:welcome:v1'")).isEqualTo(1);
        assertThat(database.queryLong("SELECT count(*) FROM jobs")).isEqualTo(fireTimes.size() + 1);
    }

    @Test
    void aFireTimeMissedWithinTheGraceRunsAfterARestartAndAnOlderOneIsSkipped() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path schedules = schedulesFile("""
                schedules:
                  - name: every-15s
                    cron: "*/15 * * * * ?"
                    job_type: noop
                """);
        RunningDromedary.Builder instance = RunningDromedary.named("misfires", database)
                .with("SCHEDULES_FILE", schedules).with("SCHEDULE_MISFIRE_GRACE_SECONDS", 8);

        Instant first;
        try (RunningDromedary running = instance.start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !fireTimes(database, "every-15s").isEmpty());
            first = fireTimes(database, "every-15s").get(0);
        }
        Instant missedWithinGrace = first.plusSeconds(15);
        awaitClock(missedWithinGrace.plusSeconds(1));
        try (RunningDromedary running = instance.start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> fireTimes(database, "every-15s").contains(missedWithinGrace));
        }
        Instant missedBeyondGrace = missedWithinGrace.plusSeconds(15);
        Instant next = missedBeyondGrace.plusSeconds(15);
        awaitClock(missedBeyondGrace.plusSeconds(9));
        try (RunningDromedary running = instance.start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> fireTimes(database, "every-15s").contains(next));
        }

        assertThat(fireTimes(database, "every-15s")).containsExactly(first, missedWithinGrace, next);
    }

    private static Path schedulesFile(String yaml) throws Exception {
        return Files.writeString(Files.createTempFile(Path.of("target").toAbsolutePath(), "schedules-", ".yaml"), yaml);
    }

    private static void awaitClock(Instant time) {
        await().atMost(Duration.ofSeconds(40)).until(() -> Instant.now().isAfter(time));
    }

    private static List<Instant> fireTimes(RealServices.TestDatabase database, String schedule) throws Exception {
        List<Instant> times = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             var query = connection.prepareStatement("SELECT substr(idempotency_key, length(?) + 1) FROM jobs "
                     + "WHERE idempotency_key LIKE ? || '%' ORDER BY 1")) {
            query.setString(1, "schedule:" + schedule + ":");
            query.setString(2, "schedule:" + schedule + ":");
            ResultSet result = query.executeQuery();
            while (result.next()) {
                times.add(Instant.parse(result.getString(1)));
            }
        }
        return times;
    }

    private static List<String> fireTimesIn(String line) {
        Matcher matcher = FIRED.matcher(line);
        return matcher.find() ? List.of(matcher.group(1) != null ? matcher.group(1) : matcher.group(2)) : List.of();
    }

}
