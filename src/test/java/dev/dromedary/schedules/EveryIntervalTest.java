package dev.dromedary.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An {@code every:} interval is the cron expression of its slots, counted from midnight, or refused. */
class EveryIntervalTest {

    @Test
    void intervalsThatDivideTheirUnitBecomeTheCronOfTheirSlots() {
        assertThat(Schedules.cronOf("2s", "here")).isEqualTo("0/2 * * * * ?");
        assertThat(Schedules.cronOf("30s", "here")).isEqualTo("0/30 * * * * ?");
        assertThat(Schedules.cronOf("60s", "here")).isEqualTo("0 * * * * ?");
        assertThat(Schedules.cronOf("15m", "here")).isEqualTo("0 0/15 * * * ?");
        assertThat(Schedules.cronOf("2h", "here")).isEqualTo("0 0 0/2 * * ?");
        assertThat(Schedules.cronOf("24h", "here")).isEqualTo("0 0 0 * * ?");
        assertThat(Schedules.cronOf("1d", "here")).isEqualTo("0 0 0 * * ?");
    }

    @Test
    void anIntervalWhoseSlotsWouldDriftOrThatIsNotOneIsRefusedWithAReason() {
        for (String every : new String[] {"7m", "0s", "5h", "2d", "15", "15 m", "-5s", "1w"}) {
            assertThatThrownBy(() -> Schedules.cronOf(every, "schedules.yaml, schedule x")).as(every)
                    .hasMessage("schedules.yaml, schedule x: 'every' is an interval that divides its next unit evenly, such as "
                            + "30s, 15m, 2h or 1d (seconds and minutes dividing 60, hours dividing 24), not '" + every + "'");
        }
    }
}
