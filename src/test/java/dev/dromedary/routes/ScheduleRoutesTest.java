package dev.dromedary.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dromedary.schedules.Schedule;
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
                dev.dromedary.jobs.JobControls.DEFAULT);
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

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("schedules", new Object() {
            public void fire() {
            }

            public void runOnce() {
            }
        });
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.load(context, "schedules.camel.yaml").toArray(RoutesBuilder[]::new);
    }
}
