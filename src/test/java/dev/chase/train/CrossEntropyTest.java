package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
    @Test
    void matchesHandComputedLossWithAndWithoutSmoothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {2f, 0f, 0f, 0f, 1f, 3f}, new Shape(2, 3));
            NDArray labels = m.create(new long[] {0, 1});
            double lse0 = Math.log(Math.exp(2) + 2);
            double lse1 = Math.log(1 + Math.exp(1) + Math.exp(3));
            double nll = ((lse0 - 2) + (lse1 - 1)) / 2;
            assertThat(new CrossEntropy(0).loss(logits, labels).getFloat()).isCloseTo((float) nll, within(1e-5f));
            double uniform = (((lse0 - 2) + 2 * lse0) / 3 + ((lse1 - 0) + (lse1 - 1) + (lse1 - 3)) / 3) / 2;
            double smoothed = 0.9 * nll + 0.1 * uniform;
            assertThat(new CrossEntropy(0.1).loss(logits, labels).getFloat()).isCloseTo((float) smoothed, within(1e-5f));
            assertThat(CrossEntropy.correct(logits, labels)).isEqualTo(1);
        }
    }
}
