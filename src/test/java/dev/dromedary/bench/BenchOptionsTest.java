package dev.dromedary.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void aMillionRowsOnEmbeddedServicesUnlessToldOtherwise() {
        assertThat(Bench.Options.parse(List.of()))
                .isEqualTo(new Bench.Options(1_000_000, 500, 4, 1000, 2, 10_000, false));
        assertThat(Bench.Options.parse(List.of("--rows", "100000", "--bulk", "500", "--services", "configured")))
                .isEqualTo(new Bench.Options(100_000, 500, 4, 500, 2, 10_000, true));
    }

    @Test
    void anUnknownOptionOrAMissingValueIsSaid() {
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--speed", "fast"))).hasMessage("unknown option --speed");
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--rows"))).hasMessage("option --rows has no value");
    }
}
