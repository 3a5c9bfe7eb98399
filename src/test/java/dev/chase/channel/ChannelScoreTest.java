package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.chase.ChaseException;
import dev.chase.ManagedTest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Channel scores on hand-made tensors. */
class ChannelScoreTest extends ManagedTest {
    /** A 3 x 2 x 2 x 1 conv weight: channel 0 has one masked zero, channel 2 is empty. */
    private NDArray weight() {
        return manager.create(new float[] {
            1, -2, 0, 3, //
            0.5f, 0.5f, -0.5f, 0.5f, //
            0, 0, 0, 0}, new Shape(3, 2, 2, 1));
    }

    private NDArray mask() {
        return manager.create(new float[] {
            1, 1, 0, 1, //
            1, 1, 1, 1, //
            0, 0, 0, 0}, new Shape(3, 2, 2, 1));
    }

    private static double[] values(NDArray a) {
        float[] f = a.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void ummDividesTheAbsoluteSumByTheOriginalFanIn() {
        ChannelScore umm = ChannelScore.named("umm");
        // Fan-in as it is: 2 * 2 * 1 = 4.
        assertThat(values(umm.score(weight(), mask(), 4))).containsExactly(new double[] {1.5, 0.5, 0}, within(1e-6));
        // Two input channels were removed upstream: the original fan-in 4 * 2 * 1 = 8 is the denominator.
        assertThat(values(umm.score(weight(), mask(), 8))).containsExactly(new double[] {0.75, 0.25, 0}, within(1e-6));
        // No mask: masked weights are zeros already, same scores.
        assertThat(values(umm.score(weight(), null, 4))).containsExactly(new double[] {1.5, 0.5, 0}, within(1e-6));
    }

    @Test
    void ummIgnoresValuesUnderAZeroMaskBit() {
        NDArray w = manager.create(new float[] {1, 100, 1, 1}, new Shape(2, 2));
        NDArray m = manager.create(new float[] {1, 0, 1, 1}, new Shape(2, 2));
        assertThat(values(new UmmScore().score(w, m, 2))).containsExactly(new double[] {0.5, 1.0}, within(1e-6));
    }

    @Test
    void activeMeanAveragesActiveWeightsOnlyAndEmptyChannelsScoreZero() {
        double[] s = values(ChannelScore.named("active-mean").score(weight(), mask(), 4));
        assertThat(s).containsExactly(new double[] {2.0, 0.5, 0.0}, within(1e-6));
        assertThat(Arrays.stream(s).noneMatch(Double::isNaN)).isTrue();
        // Without a mask, "active" means non-zero.
        assertThat(values(new ActiveMeanScore().score(weight(), null, 4)))
                .containsExactly(new double[] {2.0, 0.5, 0.0}, within(1e-6));
    }

    @Test
    void densityIsTheActiveFraction() {
        assertThat(values(ChannelScore.named("Density").score(weight(), mask(), 99)))
                .containsExactly(new double[] {0.75, 1.0, 0.0}, within(1e-6));
        NDArray bool = mask().neq(0);
        assertThat(values(new DensityScore().score(weight(), bool, 4)))
                .containsExactly(new double[] {0.75, 1.0, 0.0}, within(1e-6));
    }

    @Test
    void groupScoreIsTheMeanOverProducers() {
        NDArray a = manager.create(new float[] {1, 1, 2, 2}, new Shape(2, 2, 1, 1));
        NDArray b = manager.create(new float[] {3, 3, 0, 0}, new Shape(2, 2, 1, 1));
        double[] s = GroupScorer.mean(new UmmScore(), List.of(a, b), null, List.of(2L, 2L));
        assertThat(s).containsExactly(new double[] {(1 + 3) / 2.0, (2 + 0) / 2.0}, within(1e-6));
        double[] single = GroupScorer.mean(new UmmScore(), List.of(a), Arrays.asList((NDArray) null), List.of(4L));
        assertThat(single).containsExactly(new double[] {0.5, 1.0}, within(1e-6));
    }

    @Test
    void scoresAreFreshTensorsAndLeaveTheWeightAlone() {
        NDArray w = weight();
        NDArray before = w.duplicate();
        new UmmScore().score(w, mask(), 4);
        new ActiveMeanScore().score(w, mask(), 4);
        new DensityScore().score(w, mask(), 4);
        assertThat(w.contentEquals(before)).isTrue();
    }

    @Test
    void unknownNameIsAUserError() {
        assertThatThrownBy(() -> ChannelScore.named("l2"))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("l2").hasMessageContaining("umm, active-mean, density");
        assertThat(ChannelScore.named(" UMM ").name()).isEqualTo("umm");
    }
}
