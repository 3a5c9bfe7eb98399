package dev.chase.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.config.TrainConfig;
import dev.chase.metrics.TrainingFlops;
import dev.chase.model.VggSpec;
import dev.chase.model.WeightInit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-epoch trajectory that training FLOPs integrate: steps, dense-gradient steps, non-zeros, widths. */
class RunFlopsTest {
    /** features.0 (18 weights), features.4 (54 weights), classifier (6 weights). */
    private static final VggSpec SPEC = new VggSpec(1, 2, 4, WeightInit.VGG_CIFAR, List.of(List.of(2), List.of(3)));

    /** Two epochs of 5 steps each. */
    private static List<EpochMetrics> history(SparsityMetrics.Channels channels) {
        Map<String, Double> layers = Map.of("features.0", 0.5, "features.4", 20.0 / 54, "classifier", 1.0);
        SparsityMetrics s = new SparsityMetrics(35, 35, 0.45, 0.45, 0.6, layers, channels, null);
        return List.of(epoch(1, 5, s), epoch(2, 10, s));
    }

    private static EpochMetrics epoch(int epoch, long step, SparsityMetrics s) {
        return new EpochMetrics(epoch, step, 0.1, 1, 0.5, 1, 0.5, 1, 100, s, null, null);
    }

    private static List<Long> gradientSteps(TrainConfig config) {
        return RunFlops.trajectory(config, history(null), SPEC).stream().map(TrainingFlops.Interval::gradientSteps).toList();
    }

    @Test
    void gradientStepsAreTheUpdaterStepsOfMethodsThatGrowByGradient() {
        TrainConfig base = TrainConfig.defaults().with("model", "vgg11", "epochs", 2, "method", "rigl", "update-interval", 3);
        // RigL: updates at t % 3 == 0 while t < T_end = round(0.75 * 10) = 8, so t = 3 (epoch 1) and 6 (epoch 2)
        assertThat(gradientSteps(base.with("method", "rigl"))).containsExactly(1L, 1L);
        // SET grows at random: no dense gradient
        assertThat(gradientSteps(base.with("method", "set"))).containsExactly(0L, 0L);
        // MEST with the soft bound ending after epoch 1 (t = 5) and the final phase on: t = 3; 6, 9
        TrainConfig mest = base.with("method", "mest", "soft-bound-end", 1);
        assertThat(gradientSteps(mest)).containsExactly(1L, 2L);
        // without the final phase, updates stop at T_dst
        assertThat(gradientSteps(mest.with("final-phase", false))).containsExactly(1L, 0L);
        assertThat(gradientSteps(base.with("method", "static", "update-interval", null, "update-fraction", null,
                "update-end", null, "scope", null))).containsExactly(0L, 0L);
    }

    @Test
    void epochEndDensitiesAndWidthsStandForTheWholeEpoch() {
        TrainConfig chase = TrainConfig.defaults().with("model", "vgg11", "epochs", 2, "update-interval", 3, "method", "chase",
                "soft-bound-end", 1);
        SparsityMetrics.Channels channels = new SparsityMetrics.Channels(0.5, 0.2, Map.of("features.0", 1));
        List<TrainingFlops.Interval> t = RunFlops.trajectory(chase, history(channels), SPEC);
        assertThat(t).extracting(TrainingFlops.Interval::steps).containsExactly(5L, 5L);
        assertThat(t.get(0).nonZeros()).isEqualTo(Map.of("features.0", 9L, "features.4", 20L, "classifier", 6L));
        assertThat(t.get(1).widths()).isEqualTo(Map.of("features.0", 1));
    }

    @Test
    void denseRunsUseEveryWeight() {
        TrainConfig dense = TrainConfig.defaults().with("model", "vgg11", "epochs", 2);
        List<EpochMetrics> h = List.of(epoch(1, 4, null), epoch(2, 8, null));
        List<TrainingFlops.Interval> t = RunFlops.trajectory(dense, h, SPEC);
        assertThat(t.get(1).nonZeros()).isEqualTo(Map.of("features.0", 18L, "features.4", 54L, "classifier", 6L));
        assertThat(t).extracting(TrainingFlops.Interval::gradientSteps).containsExactly(0L, 0L);
    }

    @Test
    void inconsistentMetricsAreUserErrors() {
        TrainConfig dense = TrainConfig.defaults().with("model", "vgg11", "epochs", 2);
        assertThatThrownBy(() -> RunFlops.trajectory(dense, List.of(epoch(1, 4, null), epoch(2, 4, null)), SPEC))
                .isInstanceOf(ChaseException.class).hasMessageContaining("epoch 2 ends at step 4, not after step 4");
        SparsityMetrics alien = new SparsityMetrics(1, 1, 0.1, 0.1, 0.1, Map.of("features.9", 0.5), null, null);
        TrainConfig rigl = dense.with("method", "rigl");
        assertThatThrownBy(() -> RunFlops.trajectory(rigl, List.of(epoch(1, 4, alien)), SPEC))
                .isInstanceOf(ChaseException.class).hasMessageContaining("names a layer features.9");
    }
}
