package dev.dromedary.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void aMillionRowsOnEmbeddedServicesUnlessToldOtherwise() {
        assertThat(Bench.Options.parse(List.of()))
                .isEqualTo(new Bench.Options(1_000_000, 500, 4, 4, 1000, 2, 10_000, 1_000_000, false, Set.copyOf(Bench.Options.STEPS), 1));
        assertThat(Bench.Options.parse(List.of("--rows", "100000", "--bulk", "500", "--services", "configured",
                "--in-flight", "2", "--steps", "bulk, import", "--repeat", "3", "--history", "0")))
                .isEqualTo(new Bench.Options(100_000, 500, 2, 4, 500, 2, 10_000, 0, true, Set.of("bulk", "import"), 3));
    }

    @Test
    void anUnknownOptionOrAMissingValueIsSaid() {
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--speed", "fast"))).hasMessage("unknown option --speed");
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--rows"))).hasMessage("option --rows has no value");
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--steps", "copy,load")))
                .hasMessage("unknown step load; the steps are copy,bulk,import,export,jobs,pickup,formats,partitions,reimport");
        assertThatThrownBy(() -> Bench.Options.parse(List.of("--repeat", "0"))).hasMessageContaining("--repeat is a number of rounds");
    }
}
