package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chase.ChaseException;
import dev.chase.config.Optimisation.Schedule;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void stepScheduleDropsAtHalfAndThreeQuartersLikeTheReference() {
        // 160 epochs of 500 steps: 0.1 for epochs 0-79, 0.01 for 80-119, 0.001 for 120-159.
        LrSchedule s = new LrSchedule(Schedule.STEP, 0.1, 0, 160, 500);
        assertThat(s.at(0)).isEqualTo(0.1);
        assertThat(s.at(80L * 500 - 1)).isEqualTo(0.1);
        assertThat(s.at(80L * 500)).isCloseTo(0.01, within(1e-12));
        assertThat(s.at(120L * 500 - 1)).isCloseTo(0.01, within(1e-12));
        assertThat(s.at(120L * 500)).isCloseTo(0.001, within(1e-12));
        assertThat(s.at(160L * 500 - 1)).isCloseTo(0.001, within(1e-12));
    }

    @Test
    void cosineWarmsUpLinearlyThenAnnealsToZero() {
        LrSchedule s = new LrSchedule(Schedule.COSINE, 0.4, 2, 10, 100);
        assertThat(s.at(0)).isCloseTo(0.4 / 200, within(1e-12));
        assertThat(s.at(99)).isCloseTo(0.2, within(1e-12));
        assertThat(s.at(199)).isCloseTo(0.4, within(1e-12));
        // Half-way through the 800 post-warm-up steps the rate is half the base rate.
        assertThat(s.at(600)).isCloseTo(0.2, within(1e-12));
        assertThat(s.at(1000)).isCloseTo(0.0, within(1e-12));
        assertThat(s.at(999)).isGreaterThan(0).isLessThan(1e-5);
    }

    @Test
    void badSettingsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> Schedule.parse("linear")).isInstanceOf(ChaseException.class)
                .hasMessageContaining("unknown learning-rate schedule 'linear'");
        assertThatThrownBy(() -> new LrSchedule(Schedule.STEP, 0.1, 1, 10, 10)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("warm-up is only supported with the cosine schedule");
        assertThatThrownBy(() -> new LrSchedule(Schedule.COSINE, -1, 0, 10, 10)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("learning rate must be positive");
    }
}
