package dev.chase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Training FLOPs (RigL's convention) on the tiny VGG of {@link FlopCounterTest}, counted by hand. */
class TrainingFlopsTest {

    @Test
    void sparseStepsCostThreeForwardsAndGradientStepsAddTheDenseWeightGradient() {
        List<TrainingFlops.Interval> trajectory = List.of(
                // full width: f_sparse = 506, f_dense = 1066; 10 steps, 1 with a dense gradient:
                // 10 * 3 * 506 + 1 * (1066 - 506) = 15,740
                new TrainingFlops.Interval(10, 1, FlopCounterTest.tinyNonZeros(), Map.of()),
                // features.0 down to 1 channel: f_sparse = 490, the live dense cost 546; 10 steps, 2 with a dense gradient:
                // 10 * 3 * 490 + 2 * (546 - 490) = 14,812
                new TrainingFlops.Interval(10, 2, FlopCounterTest.tinyNonZeros(), Map.of("features.0", 1)));
        TrainingFlops.Result r = TrainingFlops.of(FlopCounterTest.tinyVgg(), trajectory, 5);
        assertThat(r.steps()).isEqualTo(20);
        assertThat(r.gradientSteps()).isEqualTo(3);
        assertThat(r.sparse()).isEqualTo((15_740 + 14_812) * 5.0);
        // dense training of the same length: 3 * 1066 * 20 steps * 5 images
        assertThat(r.dense()).isEqualTo(3 * 1066 * 20 * 5.0);
        assertThat(r.fraction()).isEqualTo(30_552.0 / 63_960);
    }

    @Test
    void denseMasksCostExactlyDenseTraining() {
        Map<String, Long> all = Map.of("features.0", 18L, "features.4", 54L, "classifier", 6L);
        TrainingFlops.Result r = TrainingFlops.of(FlopCounterTest.tinyVgg(),
                List.of(new TrainingFlops.Interval(7, 0, all, Map.of()), new TrainingFlops.Interval(3, 0, all, Map.of())), 2);
        assertThat(r.sparse()).isEqualTo(r.dense()).isEqualTo(3 * 1066 * 10 * 2.0);
        assertThat(r.fraction()).isEqualTo(1.0);
    }

    @Test
    void anIntervalCannotHaveMoreGradientStepsThanSteps() {
        assertThatThrownBy(() -> new TrainingFlops.Interval(2, 3, Map.of(), Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
