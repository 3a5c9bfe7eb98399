package dev.chase.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The soft memory bound on hand-made tensors: two tensors of 8 weights each (D_tot = 16) at
 * density 0.25 (B = 4), p0 0.25, soft bound until step 100, an update every 10 steps.
 */
class MestUpdaterTest {
    private static final Shape A = new Shape(2, 4);
    private static final Shape B = new Shape(1, 8);

    private static SparseModel model(NDManager m, float[] maskA, float[] maskB) {
        Map<String, NDArray> masks = new LinkedHashMap<>();
        masks.put("a", m.create(maskA, A));
        masks.put("b", m.create(maskB, B));
        return SparseModel.restore(m, List.of(new MaskedTensor("a", A), new MaskedTensor("b", B)), masks, masks, 0.25, 0);
    }

    private static Map<String, NDArray> tensors(NDManager m, float[] a, float[] b) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("a", m.create(a, A));
        out.put("b", m.create(b, B));
        return out;
    }

    private static float[] values(NDArray x) {
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.0f; // -0.0 from masking a negative weight reads as 0
        }
        return v;
    }

    @Test
    void prunesGloballyToTheBudgetThenGrowsGloballyByGradientToTheSoftBound() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 6 active weights, 2 above B = 4
            SparseModel model = model(m, new float[] {1, 1, 1, 1, 0, 0, 0, 0}, new float[] {1, 1, 0, 0, 0, 0, 0, 0});
            Map<String, NDArray> w = tensors(m, new float[] {0.9f, -0.02f, 0.5f, 0.01f, 0, 0, 0, 0},
                    new float[] {-0.03f, 0.8f, 0, 0, 0, 0, 0, 0});
            Map<String, NDArray> grad = tensors(m, new float[] {0, 0, 0, 0, 0.3f, 0.05f, 0.6f, 0},
                    new float[] {0, 0, 0.2f, -0.9f, 0.01f, 0, 0, 0});
            Map<String, NDArray> momentum = tensors(m, new float[] {1, 1, 1, 1, 1, 1, 1, 1}, new float[] {1, 1, 1, 1, 1, 1, 1, 1});
            MestUpdater mest = new MestUpdater(0.25, 0.25, 10, 100, 200, false, 1);

            DstUpdater.Update u = mest.update(10, model, w, grad, momentum);

            // Pruning ranks both tensors together: the two smallest magnitudes (0.01, -0.02) are both in a,
            // while b's -0.03 survives. g(10) = 0.25 + 0.25 (1 + cos(pi/10)) / 2 = 0.4939, so the network grows
            // to floor(16 g(10)) = 7 weights: the three largest gradients over both tensors.
            assertThat(u).isEqualTo(new DstUpdater.Update(2, 3, 0, 7));
            assertThat(model.masks().mask("a").toFloatArray()).containsExactly(1, 0, 1, 0, 1, 0, 1, 0);
            assertThat(model.masks().mask("b").toFloatArray()).containsExactly(1, 1, 0, 1, 0, 0, 0, 0);
            // new weights start at 0 with momentum 0; pruned ones are 0 with momentum 0; kept ones keep both
            assertThat(values(w.get("a"))).containsExactly(0.9f, 0, 0.5f, 0, 0, 0, 0, 0);
            assertThat(values(w.get("b"))).containsExactly(-0.03f, 0.8f, 0, 0, 0, 0, 0, 0);
            assertThat(values(momentum.get("a"))).containsExactly(1, 0, 1, 0, 0, 0, 0, 0);
            assertThat(values(momentum.get("b"))).containsExactly(1, 1, 0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void updatesEveryIntervalUntilTheSoftBoundEndsAndThenOnlyWithTheFinalPhase() {
        MestUpdater soft = new MestUpdater(0.25, 0.25, 10, 100, 200, false, 1);
        assertThat(soft.updatesAt(10)).isTrue();
        assertThat(soft.updatesAt(15)).isFalse();
        assertThat(soft.updatesAt(90)).isTrue();
        assertThat(soft.updatesAt(100)).isFalse();
        assertThat(new MestUpdater(0.25, 0.25, 10, 100, 200, true, 1).updatesAt(100)).isTrue();
    }

    @Test
    void theFinalPhaseSwapsWeightsAtTheHardBudget() {
        try (NDManager m = NDManager.newBaseManager()) {
            SparseModel model = model(m, new float[] {1, 1, 1, 0, 0, 0, 0, 0}, new float[] {1, 0, 0, 0, 0, 0, 0, 0});
            Map<String, NDArray> w = tensors(m, new float[] {0.9f, -0.02f, 0.5f, 0, 0, 0, 0, 0}, new float[] {0.01f, 0, 0, 0, 0, 0, 0, 0});
            Map<String, NDArray> grad = tensors(m, new float[] {0, 0, 0, 0.4f, 0, 0, 0, 0}, new float[] {0, 0, 0, 0, 0, 0, 0.7f, 0});
            // t = 100 of 200: r_post = 0.005 + 0.495 (1 + cos(pi/2)) / 2 = 0.2525, so ceil(0.2525 * 4) = 2 swaps
            DstUpdater.Update u = new MestUpdater(0.25, 0.25, 10, 100, 200, true, 1).update(100, model, w, grad, Map.of());
            assertThat(u).isEqualTo(new DstUpdater.Update(2, 2, 0, 4));
            assertThat(model.masks().mask("a").toFloatArray()).containsExactly(1, 0, 1, 1, 0, 0, 0, 0);
            assertThat(model.masks().mask("b").toFloatArray()).containsExactly(0, 0, 0, 0, 0, 0, 1, 0);
        }
    }

    @Test
    void withoutExcessTheSoftBoundOnlyRegrowsWhatItPrunes() {
        try (NDManager m = NDManager.newBaseManager()) {
            SparseModel model = model(m, new float[] {1, 1, 1, 1, 0, 0, 0, 0}, new float[] {0, 0, 0, 0, 0, 0, 0, 0});
            Map<String, NDArray> w = tensors(m, new float[] {0.9f, -0.02f, 0.5f, 0.3f, 0, 0, 0, 0}, new float[8]);
            Map<String, NDArray> grad = tensors(m, new float[] {0, 0, 0, 0, 0.3f, 0.05f, 0.6f, 0}, new float[8]);
            // at B already and p0 = 0: nothing to prune, nothing to grow
            DstUpdater.Update u = new MestUpdater(0.25, 0, 10, 100, 200, false, 1).update(10, model, w, grad, Map.of());
            assertThat(u).isEqualTo(new DstUpdater.Update(0, 0, 0, 4));
        }
    }
}
