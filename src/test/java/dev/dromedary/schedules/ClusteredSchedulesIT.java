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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Schedules on several instances: each fire time makes one job, fired by one instance. */
@ExtendWith(RealServices.class)
@ResourceLock(RunningDromedary.SCHEDULER)
class ClusteredSchedulesIT {

    private static final Pattern FIRED = Pattern.compile("Schedule every-2s (?:made job \\S+ \\(noop\\) for (\\S+)"
            + "|: job \\S+ was made already \\(schedule:every-2s:(\\S+)\\))");

    @Test
    void anEveryTwoSecondsScheduleOnTwoInstancesMakesOneJobPerSlotAndSurvivesOneStopping() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path schedules = schedulesFile("""
                schedules:
                  - name: every-2s
                    every: 2s
                    job_type: noop
                    priority: 3
                    timeout_seconds: 60
                    # a job handed back by the instance that stops stays open a while: every slot still makes its job
                    max_running: 100
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
                        .filter(time -> time.isAfter(bothRunning)).count() >= 5);
            } finally {
                a.close();
                logger.detachAppender(log);
            }
            firstStopped = Instant.now();
            await().atMost(Duration.ofSeconds(90)).until(() -> fireTimes(database, "every-2s").stream()
                    .filter(time -> time.isAfter(firstStopped.plusSeconds(2))).count() >= 3);
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
        assertThat(minute.size()).as("fire times while the instances ran").isGreaterThanOrEqualTo(8);
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
        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'schedule:every-2s:%' "
                + "AND (priority <> 3 OR timeout_seconds <> 60)")).as("jobs without the schedule's priority and timeout").isZero();
    }

    /**
     * An instance that was down when a fire time came finds that time in the trigger's stored next fire time at
     * start; the test puts it there instead of waiting for a real fire time to pass, so it takes seconds and
     * does not depend on how fast an instance restarts.
     */
    @Test
    void aFireTimeMissedWithinTheGraceRunsAfterARestartAndAnOlderOneIsSkipped() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Path schedules = schedulesFile("""
                schedules:
                  - name: new-year-2099
                    cron: "0 0 0 1 1 ? 2099"
                    job_type: noop
                """);
        RunningDromedary.Builder instance = RunningDromedary.named("misfires", database)
                .with("SCHEDULES_FILE", schedules).with("SCHEDULE_MISFIRE_GRACE_SECONDS", 60);
        long newYear2099 = Instant.parse("2099-01-01T00:00:00Z").toEpochMilli();
        try (RunningDromedary running = instance.start()) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> nextFireTime(database, "new-year-2099") == newYear2099);
        }

        Instant withinGrace = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5);
        setNextFireTime(database, "new-year-2099", withinGrace);
        try (RunningDromedary running = instance.start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> fireTimes(database, "new-year-2099").contains(withinGrace));
            await().atMost(Duration.ofSeconds(30)).until(() -> nextFireTime(database, "new-year-2099") == newYear2099);
        }

        Instant beyondGrace = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        setNextFireTime(database, "new-year-2099", beyondGrace);
        try (RunningDromedary running = instance.start()) {
            // the misfire is handled (skipped) when the trigger is back at its next real fire time
            await().atMost(Duration.ofSeconds(90)).until(() -> nextFireTime(database, "new-year-2099") == newYear2099);
        }

        assertThat(fireTimes(database, "new-year-2099")).containsExactly(withinGrace);
    }

    private static long nextFireTime(RealServices.TestDatabase database, String schedule) throws Exception {
        return database.queryLong("SELECT next_fire_time FROM qrtz_triggers WHERE trigger_name = ?", schedule);
    }

    private static void setNextFireTime(RealServices.TestDatabase database, String schedule, Instant time) throws Exception {
        assertThat(database.update("UPDATE qrtz_triggers SET next_fire_time = ? WHERE trigger_name = ?",
                time.toEpochMilli(), schedule)).isEqualTo(1);
    }

    private static Path schedulesFile(String yaml) throws Exception {
        return Files.writeString(Files.createTempFile(Path.of("target").toAbsolutePath(), "schedules-", ".yaml"), yaml);
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
