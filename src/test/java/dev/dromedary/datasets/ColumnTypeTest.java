package dev.dromedary.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ColumnTypeTest {

    private static final OffsetDateTime NOON = OffsetDateTime.parse("2024-05-31T12:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-31T12:00:00Z", "2024-05-31 12:00:00", "2024-05-31T14:00:00+02:00",
            "2024-05-31T12:00:00.000Z", "Fri, 31 May 2024 12:00:00 GMT"})
    void everyFormOfOneInstantIsThatInstant(String cell) {
        assertThat(((OffsetDateTime) ColumnType.DATE.parse(cell)).toInstant()).isEqualTo(NOON.toInstant());
    }

    @Test
    void aDateAloneIsMidnightUtc() {
        OffsetDateTime midnight = OffsetDateTime.parse("2024-05-31T00:00:00Z");
        assertThat(ColumnType.DATE.parse("2024-05-31")).isEqualTo(midnight);
        assertThat(ColumnType.DATE.parse("2024/05/31")).isEqualTo(midnight);
        assertThat(ColumnType.DATE.parse("20240531")).isEqualTo(midnight);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30T12:00:00Z", "2024-05-31T24:00:00Z", "2024-13-01T12:00:00Z", "2024-05-31X12:00:00Z",
            "2024-05-3aT12:00:00Z", "05/31/2024", "31.05.2024", "yesterday"})
    void anythingElseIsRefusedWithTheFormsThatAreRead(String cell) {
        assertThatThrownBy(() -> ColumnType.DATE.parse(cell)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not a date or time in a form read without doubt");
    }
}
