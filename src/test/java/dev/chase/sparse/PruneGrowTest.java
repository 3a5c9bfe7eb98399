package dev.chase.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruneGrowTest extends NdTest {

    private MaskSet twoLayers() {
        return MaskSet.of(manager, map("a", floats(1, 1, 0, 1, 1, 0), "b", floats(new Shape(2, 2), 1, 0, 1, 1)));
    }

    private Map<String, NDArray> weights() {
        return map("a", floats(0.5f, -0.1f, 0f, 0.9f, -0.3f, 0f), "b", floats(new Shape(2, 2), 0.2f, 0f, -0.05f, 0.8f));
    }

    @Test
    void globalMagnitudePruningRemovesTheSmallestActiveAcrossLayers() {
        try (MaskSet masks = twoLayers(); MaskChange pruned = MagnitudePruning.global(masks, weights(), 3)) {
            // Active |W|: a: .5 .1 . .9 .3 ; b: .2 . .05 .8 -> the three smallest are b[2]=.05, a[1]=.1, b[0]=.2
            assertThat(pruned.total()).isEqualTo(3);
            assertThat(pruned.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 2L));
            assertThat(bits(pruned.positions("a"))).containsExactly(0, 1, 0, 0, 0, 0);
            assertThat(bits(pruned.positions("b"))).containsExactly(1, 0, 1, 0);
            masks.remove(pruned);
            assertThat(masks.nonZeros()).isEqualTo(4);
        }
    }

    @Test
    void perTensorPruningTakesItsOwnKPerLayer() {
        try (MaskSet masks = twoLayers();
                MaskChange pruned = MagnitudePruning.perTensor(masks, weights(), map("a", 2L, "b", 1L))) {
            assertThat(bits(pruned.positions("a"))).containsExactly(0, 1, 0, 0, 1, 0);
            assertThat(bits(pruned.positions("b"))).containsExactly(0, 0, 1, 0);
        }
        try (MaskSet masks = twoLayers(); MaskChange none = MagnitudePruning.perTensor(masks, weights(), map("b", 0L))) {
            assertThat(none.total()).isZero();
        }
    }

    @Test
    void inactivePositionsAreNeverPruneCandidatesAndZeroActiveWeightsGoFirst() {
        // Many exact zeros: 3 active zeros, 2 inactive zeros. The reference's tau = 0 bug would
        // switch every position on; here the network can only get sparser, by exactly k.
        try (MaskSet masks = MaskSet.of(manager, map("w", floats(0, 1, 1, 0, 1, 1, 1)))) {
            NDArray w = floats(0, 0, 0, 0, 0.7f, 0.2f, 0);
            try (MaskChange pruned = MagnitudePruning.global(masks, map("w", w), 2)) {
                assertThat(bits(pruned.positions("w"))).containsExactly(0, 1, 1, 0, 0, 0, 0);
                masks.remove(pruned);
            }
            assertThat(bits(masks.mask("w"))).containsExactly(0, 0, 0, 0, 1, 1, 1);
            try (MaskChange pruned = MagnitudePruning.global(masks, map("w", w), 1)) {
                assertThat(bits(pruned.positions("w"))).containsExactly(0, 0, 0, 0, 0, 0, 1);
            }
            // k beyond the active count prunes everything active, nothing else.
            try (MaskChange all = MagnitudePruning.global(masks, map("w", w), 100)) {
                assertThat(all.total()).isEqualTo(3);
                assertThat(bits(all.positions("w"))).containsExactly(0, 0, 0, 0, 1, 1, 1);
            }
        }
    }

    @Test
    void pruningWithKZeroChangesNothing() {
        try (MaskSet masks = twoLayers(); MaskChange none = MagnitudePruning.global(masks, weights(), 0)) {
            assertThat(none.total()).isZero();
            masks.remove(none);
            assertThat(masks.nonZeros()).isEqualTo(7);
        }
    }

    @Test
    void globalGradientGrowthPicksTheLargestInactiveAllowedGradients() {
        Map<String, NDArray> grads = map("a", floats(9, 9, 0.4f, 9, 9, -0.7f), "b", floats(new Shape(2, 2), 9, -0.5f, 9, 9));
        try (MaskSet masks = twoLayers(); MaskChange grown = GradientGrowth.global(masks, grads, null, 2)) {
            // Inactive: a[2]=.4, a[5]=.7, b[1]=.5 -> grow a[5], b[1]; active 9s are not candidates.
            assertThat(bits(grown.positions("a"))).containsExactly(0, 0, 0, 0, 0, 1);
            assertThat(bits(grown.positions("b"))).containsExactly(0, 1, 0, 0);
            masks.add(grown);
            assertThat(masks.nonZeros()).isEqualTo(9);
        }
    }

    @Test
    void growthRespectsTheStructuralMaskAndReportsShortfall() {
        Map<String, NDArray> grads = map("a", floats(0, 0, 0.4f, 0, 0, 0.7f), "b", floats(new Shape(2, 2), 0, 0.5f, 0, 0));
        // F forbids a[5] (a dead channel); b has no structural mask.
        Map<String, NDArray> allowed = map("a", floats(1, 1, 1, 1, 1, 0));
        try (MaskSet masks = twoLayers(); MaskChange grown = GradientGrowth.global(masks, grads, allowed, 5)) {
            assertThat(grown.total()).isEqualTo(2);
            assertThat(bits(grown.positions("a"))).containsExactly(0, 0, 1, 0, 0, 0);
            assertThat(bits(grown.positions("b"))).containsExactly(0, 1, 0, 0);
        }
    }

    @Test
    void zeroGradientsAreNotGrownAndGrowthTiesGoToTheLowerIndex() {
        try (MaskSet masks = MaskSet.of(manager, map("w", floats(0, 0, 0, 0, 0, 1)))) {
            NDArray g = floats(0.3f, 0, 0.3f, 0.3f, 0, 5);
            try (MaskChange two = GradientGrowth.global(masks, map("w", g), null, 2)) {
                assertThat(bits(two.positions("w"))).containsExactly(1, 0, 1, 0, 0, 0);
            }
            try (MaskChange many = GradientGrowth.global(masks, map("w", g), null, 10)) {
                assertThat(many.total()).isEqualTo(3);
                assertThat(bits(many.positions("w"))).containsExactly(1, 0, 1, 1, 0, 0);
            }
        }
    }

    @Test
    void perTensorGradientGrowth() {
        Map<String, NDArray> grads = map("a", floats(0, 0, 0.4f, 0, 0, 0.7f), "b", floats(new Shape(2, 2), 0, 0.5f, 0, 0));
        try (MaskSet masks = twoLayers();
                MaskChange grown = GradientGrowth.perTensor(masks, grads, null, map("a", 1L, "b", 3L))) {
            assertThat(bits(grown.positions("a"))).containsExactly(0, 0, 0, 0, 0, 1);
            assertThat(bits(grown.positions("b"))).containsExactly(0, 1, 0, 0);
            assertThat(grown.counts()).containsExactly(Map.entry("a", 1L), Map.entry("b", 1L));
        }
    }

    @Test
    void grownWeightsAndMomentumStartAtZero() {
        try (MaskSet masks = MaskSet.of(manager, map("w", floats(1, 0, 0)))) {
            NDArray w = floats(0.5f, 0.25f, 0.75f); // stale values at inactive positions
            NDArray mom = floats(0.1f, 0.2f, 0.3f);
            try (MaskChange grown = GradientGrowth.global(masks, map("w", floats(0, 1, 0.5f)), null, 1)) {
                masks.add(grown);
                grown.zeroIn(map("w", w));
                grown.zeroIn(map("w", mom));
                grown.zeroIn(Map.of()); // no momentum yet: nothing to do
            }
            assertThat(w.toFloatArray()).containsExactly(0.5f, 0f, 0.75f);
            assertThat(mom.toFloatArray()).containsExactly(0.1f, 0f, 0.3f);
            assertThat(bits(masks.mask("w"))).containsExactly(1, 1, 0);
        }
    }

    @Test
    void oneDstUpdatePrunesThenGrowsAndKeepsTheCountExact() {
        try (MaskSet masks = twoLayers()) {
            Map<String, NDArray> w = weights();
            Map<String, NDArray> grads = map("a", floats(1, 1, 0.4f, 1, 1, 0.7f), "b", floats(new Shape(2, 2), 1, 0.5f, 1, 1));
            try (MaskChange pruned = MagnitudePruning.global(masks, w, 2)) {
                masks.remove(pruned);
            }
            try (MaskChange grown = GradientGrowth.global(masks, grads, null, 2)) {
                masks.add(grown);
                grown.zeroIn(w);
            }
            masks.applyToWeights(w);
            // Pruned b[2] (.05) and a[1] (.1); their gradient (1) is then the largest, so they regrow at 0.
            assertThat(masks.nonZeros()).isEqualTo(7);
            // (adding +0 turns the -0.0 of a masked negative weight into 0.0 for the comparison)
            assertThat(w.get("a").add(0f).toFloatArray()).containsExactly(0.5f, 0f, 0f, 0.9f, -0.3f, 0f);
            assertThat(w.get("b").add(0f).toFloatArray()).containsExactly(0.2f, 0f, 0f, 0.8f);
        }
    }

    @Test
    void randomGrowthGrowsExactlyGAtInactiveAllowedPositionsReproducibly() {
        float[] m = new float[400];
        for (int i = 0; i < m.length; i += 2) {
            m[i] = 1; // even positions active
        }
        NDArray allowedB = manager.ones(new Shape(10, 10)).concat(manager.zeros(new Shape(10, 10)), 1); // left half only
        Map<String, NDArray> allowed = map("b", allowedB);
        try (MaskSet masks = MaskSet.of(manager, map("a", floats(new Shape(20, 10), java.util.Arrays.copyOf(m, 200)),
                "b", floats(new Shape(10, 20), java.util.Arrays.copyOfRange(m, 200, 400))))) {
            try (MaskChange one = RandomGrowth.global(masks, allowed, 37, 5);
                    MaskChange two = RandomGrowth.global(masks, allowed, 37, 5);
                    MaskChange other = RandomGrowth.global(masks, allowed, 37, 6)) {
                assertThat(one.total()).isEqualTo(37);
                for (String n : List.of("a", "b")) {
                    NDArray pos = one.positions(n);
                    assertThat(pos.logicalAnd(masks.mask(n).neq(0)).any().getBoolean()).as("hits active in " + n).isFalse();
                    assertThat(pos.contentEquals(two.positions(n))).isTrue();
                }
                assertThat(one.positions("b").logicalAnd(allowedB.eq(0)).any().getBoolean()).isFalse();
                assertThat(one.positions("a").contentEquals(other.positions("a"))
                        && one.positions("b").contentEquals(other.positions("b"))).isFalse();
            }
            // Candidates: a has 100 inactive; b has 100 inactive (odd columns), 50 of them allowed (left half).
            try (MaskChange all = RandomGrowth.global(masks, allowed, 1000, 1)) {
                assertThat(all.counts()).containsExactly(Map.entry("a", 100L), Map.entry("b", 50L));
            }
            try (MaskChange per = RandomGrowth.perTensor(masks, allowed, map("a", 3L, "b", 4L), 9);
                    MaskChange again = RandomGrowth.perTensor(masks, allowed, map("a", 3L, "b", 4L), 9)) {
                assertThat(per.counts()).containsExactly(Map.entry("a", 3L), Map.entry("b", 4L));
                assertThat(per.positions("a").contentEquals(again.positions("a"))).isTrue();
                assertThat(per.positions("b").contentEquals(again.positions("b"))).isTrue();
            }
        }
    }

    @Test
    void randomGrowthIsRoughlyUniform() {
        try (MaskSet masks = MaskSet.of(manager, map("a", manager.zeros(new Shape(10)), "b", manager.zeros(new Shape(10))))) {
            long inA = 0;
            for (int seed = 0; seed < 40; seed++) {
                try (MaskChange c = RandomGrowth.global(masks, null, 10, seed)) {
                    inA += c.counts().get("a");
                }
            }
            // 400 draws, half expected in "a" (sd ~ 7 with the hypergeometric correction).
            assertThat(inA).isBetween(160L, 240L);
        }
    }

    @Test
    void aClosedUpdateLeavesNoNativeArraysBehind() {
        try (MaskSet masks = twoLayers()) {
            Map<String, NDArray> w = weights();
            Map<String, NDArray> grads = map("a", floats(1, 1, 0.4f, 1, 1, 0.7f), "b", floats(new Shape(2, 2), 1, 0.5f, 1, 1));
            int before = manager.getManagedArrays().size();
            for (int round = 0; round < 3; round++) {
                try (MaskChange pruned = MagnitudePruning.global(masks, w, 2)) {
                    masks.remove(pruned);
                }
                try (MaskChange grown = GradientGrowth.global(masks, grads, null, 2);
                        MaskChange random = RandomGrowth.global(masks, null, 1, round)) {
                    masks.add(grown);
                    grown.zeroIn(w);
                }
                masks.applyToWeights(w);
                masks.nonZerosPerTensor();
            }
            assertThat(manager.getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void anEmptyMaskSetSelectsNothing() {
        try (MaskSet masks = MaskSet.of(manager, Map.of());
                MaskChange p = MagnitudePruning.global(masks, Map.of(), 3);
                MaskChange r = RandomGrowth.global(masks, null, 3, 1)) {
            assertThat(p.total()).isZero();
            assertThat(r.total()).isZero();
            assertThat(masks.nonZeros()).isZero();
        }
    }

    @Test
    void missingWeightIsAClearError() {
        try (MaskSet masks = twoLayers()) {
            assertThatThrownBy(() -> MagnitudePruning.global(masks, map("a", floats(1, 1, 1, 1, 1, 1)), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b");
        }
    }
}
