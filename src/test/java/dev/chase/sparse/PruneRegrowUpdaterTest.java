package dev.chase.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SET and RigL on hand-made tensors: exactly which positions are removed and grown. */
class PruneRegrowUpdaterTest {
    private static final Shape SHAPE = new Shape(2, 4);

    private static SparseModel model(NDManager m, float[] mask) {
        NDArray mk = m.create(mask, SHAPE);
        return SparseModel.restore(m, List.of(new MaskedTensor("a", SHAPE)), Map.of("a", mk), Map.of("a", mk), 0.5, 0);
    }

    /** Masking a negative weight gives -0.0; compare values, not signs of zero. */
    private static float[] positiveZero(float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + 0.0f;
        }
        return out;
    }

    @Test
    void riglRemovesTheSmallestMagnitudesAndGrowsTheLargestGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            SparseModel model = model(m, new float[] {1, 1, 1, 1, 0, 0, 0, 0});
            Map<String, NDArray> w = Map.of("a", m.create(new float[] {0.5f, -0.1f, 0.3f, -0.05f, 0, 0, 0, 0}, SHAPE));
            Map<String, NDArray> grad = Map.of("a", m.create(new float[] {0.01f, 0.01f, 0.01f, 0.01f, 0.2f, -0.7f, 0.1f, 0.4f}, SHAPE));
            Map<String, NDArray> momentum = Map.of("a", m.ones(SHAPE));
            // alpha 0.5 at t = 0: swap ceil(0.5 * 4) = 2 weights.
            DstUpdater rigl = new PruneRegrowUpdater(true, false, 10, 0.5, 100, 1);
            DstUpdater.Update u = rigl.update(0, model, w, grad, momentum);
            assertThat(u).isEqualTo(new DstUpdater.Update(2, 2, 0, 4));
            assertThat(model.masks().mask("a").toFloatArray()).containsExactly(1, 0, 1, 0, 0, 1, 0, 1);
            assertThat(positiveZero(w.get("a").toFloatArray())).containsExactly(0.5f, 0, 0.3f, 0, 0, 0, 0, 0);
            // grown and pruned positions have zero momentum; kept ones keep theirs
            assertThat(momentum.get("a").toFloatArray()).containsExactly(1, 0, 1, 0, 0, 0, 0, 0);
            assertThat(rigl.updatesAt(10)).isTrue();
            assertThat(rigl.updatesAt(15)).isFalse();
            assertThat(rigl.updatesAt(100)).isFalse();
        }
    }

    @Test
    void riglFillsPositionsWithoutGradientSignalAtRandomSoTheCountStaysExact() {
        try (NDManager m = NDManager.newBaseManager()) {
            SparseModel model = model(m, new float[] {1, 1, 1, 1, 0, 0, 0, 0});
            Map<String, NDArray> w = Map.of("a", m.create(new float[] {0.5f, -0.1f, 0.3f, -0.05f, 0, 0, 0, 0}, SHAPE));
            Map<String, NDArray> grad = Map.of("a", m.create(new float[] {0, 0, 0, 0, 0, -0.7f, 0, 0}, SHAPE));
            DstUpdater.Update u = new PruneRegrowUpdater(true, false, 10, 0.5, 100, 1).update(0, model, w, grad, Map.of());
            assertThat(u.grown()).isEqualTo(2);
            assertThat(model.masks().nonZeros()).isEqualTo(4);
            assertThat(model.masks().mask("a").toFloatArray()[5]).isEqualTo(1f);
        }
    }

    @Test
    void setGrowsExactlyAsManyAtRandomInactivePositionsReproducibly() {
        float[][] results = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (NDManager m = NDManager.newBaseManager()) {
                SparseModel model = model(m, new float[] {1, 1, 1, 1, 0, 0, 0, 0});
                Map<String, NDArray> w = Map.of("a", m.create(new float[] {0.5f, -0.1f, 0.3f, -0.05f, 0, 0, 0, 0}, SHAPE));
                DstUpdater.Update u = new PruneRegrowUpdater(false, false, 10, 0.5, 100, 7).update(0, model, w, Map.of(), Map.of());
                assertThat(u).isEqualTo(new DstUpdater.Update(2, 2, 0, 4));
                float[] mask = model.masks().mask("a").toFloatArray();
                // the two largest magnitudes survive
                assertThat(mask[0]).isEqualTo(1f);
                assertThat(mask[2]).isEqualTo(1f);
                assertThat(positiveZero(w.get("a").toFloatArray())).containsExactly(0.5f, 0, 0.3f, 0, 0, 0, 0, 0);
                results[run] = mask;
            }
        }
        assertThat(results[1]).containsExactly(results[0]);
    }

    @Test
    void globalScopeRanksAcrossLayers() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> masks = new LinkedHashMap<>();
            masks.put("a", m.create(new float[] {1, 1, 0, 0}, new Shape(4)));
            masks.put("b", m.create(new float[] {1, 1, 0, 0}, new Shape(4)));
            SparseModel model = SparseModel.restore(m, List.of(new MaskedTensor("a", new Shape(4)), new MaskedTensor("b", new Shape(4))),
                    masks, masks, 0.5, 0);
            Map<String, NDArray> w = new LinkedHashMap<>();
            w.put("a", m.create(new float[] {0.01f, 0.02f, 0, 0}));
            w.put("b", m.create(new float[] {0.9f, 0.8f, 0, 0}));
            Map<String, NDArray> grad = new LinkedHashMap<>();
            grad.put("a", m.create(new float[] {0, 0, 0.1f, 0.2f}));
            grad.put("b", m.create(new float[] {0, 0, 0.5f, 0.3f}));
            // rate 0.5 of 4 active: both small weights of "a" go, the two largest gradients ("b") grow.
            new PruneRegrowUpdater(true, true, 10, 0.5, 100, 1).update(0, model, w, grad, Map.of());
            assertThat(model.masks().mask("a").toFloatArray()).containsExactly(0, 0, 0, 0);
            assertThat(model.masks().mask("b").toFloatArray()).containsExactly(1, 1, 1, 1);
        }
    }
}
