package dev.dromedary.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dromedary.db.Database;
import dev.dromedary.db.DatabaseUrl;
import dev.dromedary.embedded.EmbeddedPostgresServer;
import dev.dromedary.jobs.JobControls;
import dev.dromedary.jobs.JobStore;
import dev.dromedary.testing.RealServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Given a schedule with max_running 1 on two instances, when several of its fire times are decided at once (Quartz
 * catching up on missed ones on several threads, or two instances), then one of them makes a job and every other
 * is a recorded skip.
 */
@ExtendWith(RealServices.class)
class FireTimesAtOnceIT {

    private static final int FIRE_TIMES = 8;

    @Test
    void fireTimesDecidedAtOnceMakeOneJobAndRecordTheOthersAsSkips() throws Exception {
        RealServices.TestDatabase database = RealServices.freshDatabase();
        Schedule everySecond = new Schedule("every-second", "* * * * * ?", "UTC", null, "noop",
                new ObjectMapper().createObjectNode(), 0, 30, JobControls.DEFAULT, 1);
        AtomicInteger skipsCounted = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(FIRE_TIMES);
        try (Database pool = Database.open(new DatabaseUrl(database.jdbcUrl(), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD), FIRE_TIMES + 2); DefaultCamelContext context = new DefaultCamelContext()) {
            ObjectMapper json = new ObjectMapper();
            List<Schedules> instances = List.of(
                    new Schedules(List.of(everySecond), new JobStore(pool.dataSource(), json, "a"))
                            .countingIn(pool.dataSource(), name -> skipsCounted.incrementAndGet()),
                    new Schedules(List.of(everySecond), new JobStore(pool.dataSource(), json, "b"))
                            .countingIn(pool.dataSource(), name -> skipsCounted.incrementAndGet()));
            CyclicBarrier together = new CyclicBarrier(FIRE_TIMES);
            Instant first = Instant.parse("2026-12-08T00:38:38Z");
            List<Future<?>> fired = new ArrayList<>();
            for (int i = 0; i < FIRE_TIMES; i++) {
                Exchange exchange = new DefaultExchange(context);
                exchange.getMessage().setHeader("Schedule", "every-second");
                exchange.getMessage().setHeader("scheduledFireTime", Date.from(first.plusSeconds(i)));
                Schedules instance = instances.get(i % 2);
                fired.add(threads.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    instance.fire(exchange);
                    return null;
                }));
            }
            for (Future<?> fire : fired) {
                fire.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(database.queryLong("SELECT count(*) FROM jobs WHERE idempotency_key LIKE 'schedule:every-second:%'"))
                .as("jobs made").isEqualTo(1);
        assertThat(database.queryLong("SELECT count(*) FROM schedule_skips WHERE schedule = 'every-second' "
                + "AND reason = '1 of its jobs are still open or running (max_running 1)'")).as("skips recorded").isEqualTo(FIRE_TIMES - 1);
        assertThat(skipsCounted).hasValue(FIRE_TIMES - 1);
    }
}
