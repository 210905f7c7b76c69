package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.schedules.Schedule;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Header;
import org.apache.camel.builder.AdviceWith;
import dev.dromedary.schedules.Schedules;
import dev.dromedary.testing.RouteFiles;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.TriggerKey;

/**
 * routes/schedules.camel.yaml with the schedules bean stubbed: a recurring schedule's cron expression and
 * time_zone reach its Quartz trigger as written.
 */
class ScheduleRoutesTest extends CamelTestSupport {

    @Test
    void aScheduleFiresAtItsCronTimeInItsOwnTimeZone() throws Exception {
        Schedule nineInTokyo = new Schedule("tokyo-morning", "0 0 9 * * ?", "Asia/Tokyo", null, "noop", null, 0, 30,
                dev.dromedary.jobs.JobControls.DEFAULT, 1);
        TemplatedRouteBuilder.builder(context, "recurring-schedule").routeId("schedule-tokyo-morning")
                .parameters(Schedules.templateParameters(nineInTokyo)).add();

        CronTrigger trigger = (CronTrigger) context.getComponent("quartz", QuartzComponent.class).getScheduler()
                .getTrigger(TriggerKey.triggerKey("tokyo-morning", "schedules"));

        assertThat(trigger.getCronExpression()).isEqualTo("0 0 9 * * ?");
        assertThat(trigger.getTimeZone().getID()).isEqualTo("Asia/Tokyo");
        ZonedDateTime next = trigger.getNextFireTime().toInstant().atZone(ZoneId.of("Asia/Tokyo"));
        assertThat(next.getHour()).isEqualTo(9);
        assertThat(next.getMinute()).isZero();
        assertThat(trigger.getNextFireTime().toInstant().atZone(ZoneId.of("UTC")).getHour()).as("09:00 in Tokyo is 00:00 UTC")
                .isZero();
    }

    @Test
    void aFireTimeAsksTheSchedulesBeanToFireThatSchedule() throws Exception {
        Schedule hourly = new Schedule("hourly", "0 0 * * * ?", "UTC", null, "noop", null, 0, 30,
                dev.dromedary.jobs.JobControls.DEFAULT, 1);
        TemplatedRouteBuilder.builder(context, "recurring-schedule").routeId("schedule-hourly")
                .parameters(Schedules.templateParameters(hourly)).add();
        AdviceWith.adviceWith(context, "schedule-hourly", advice -> advice.replaceFromWith("direct:fire-hourly"));

        template.sendBody("direct:fire-hourly", null);

        assertThat(schedules.calls).containsExactly("fire hourly");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("schedules", schedules);
    }

    private final StubSchedules schedules = new StubSchedules();

    /** Schedules' methods the routes call: each call kept with its schedule. */
    public static final class StubSchedules {
        final List<String> calls = new CopyOnWriteArrayList<>();

        public void fire(@Header("Schedule") String schedule) {
            calls.add("fire " + schedule);
        }

        public void runOnce(@Header("Schedule") String schedule) {
            calls.add("once " + schedule);
        }
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.load(context, "schedules.camel.yaml").toArray(RoutesBuilder[]::new);
    }
}
