package dev.dromedary.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dromedary.observe.ServiceHealthCheck;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** service_down holds once a service's health check has been down for its {@code for}, and clears when it is up. */
class ServiceDownTest {

    @Test
    void aServiceDownLongerThanItsForHoldsUntilItIsUp() {
        AtomicBoolean down = new AtomicBoolean(true);
        ServiceHealthCheck s3 = new ServiceHealthCheck("s3", () -> {
            if (down.get()) {
                throw new IOException("Connection refused");
            }
            return "bucket dromedary";
        });
        AlertConditions conditions = new AlertConditions(null, null, Map.of("s3", s3));
        AlertRule rule = new AlertRule("s3-down", new AlertCondition(AlertCondition.Kind.SERVICE_DOWN, null, null, null, null,
                false, null, Duration.ofMillis(300), null, null, "s3"), List.of(), null);

        assertThat(conditions.holding(rule, Instant.now())).as("down, but not for 300 ms yet").isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> !conditions.holding(rule, Instant.now()).isEmpty());
        AlertConditions.Hit hit = conditions.holding(rule, Instant.now()).get(0);
        assertThat(hit.subject()).isEqualTo("s3");
        assertThat(hit.summary()).startsWith("s3 has been down since").contains("Connection refused");

        down.set(false);
        assertThat(conditions.holding(rule, Instant.now())).isEmpty();
        down.set(true);
        assertThat(conditions.holding(rule, Instant.now())).as("down again: its 300 ms begin again").isEmpty();
    }
}
