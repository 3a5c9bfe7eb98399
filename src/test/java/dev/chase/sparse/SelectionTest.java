package dev.chase.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionTest extends NdTest {

    @Test
    void smallestInOneTensor() {
        NDArray s = floats(5, 1, 4, 2, 3);
        Selection.Selected sel = Selection.smallest(manager, List.of(s), null, 2);
        assertThat(sel.count()).isEqualTo(2);
        assertThat(bits(sel.positions().get(0))).containsExactly(0, 1, 0, 1, 0);
    }

    @Test
    void largestInOneTensor() {
        Selection.Selected sel = Selection.largest(manager, List.of(floats(5, 1, 4, 2, 3)), null, 2);
        assertThat(bits(sel.positions().get(0))).containsExactly(1, 0, 1, 0, 0);
    }

    @Test
    void tiesAtTheThresholdGoToTheLowerIndexFirst() {
        NDArray s = floats(2, 1, 2, 0, 2, 2);
        // 0 and 1 are strictly below tau = 2; two of the four 2s are needed: indices 0 and 2.
        assertThat(bits(Selection.smallest(manager, List.of(s), null, 4).positions().get(0)))
                .containsExactly(1, 1, 1, 1, 0, 0);
        // All equal: the first k in index order.
        NDArray same = floats(7, 7, 7, 7, 7);
        assertThat(bits(Selection.largest(manager, List.of(same), null, 3).positions().get(0)))
                .containsExactly(1, 1, 1, 0, 0);
    }

    @Test
    void eligibilityExcludesEntriesEvenWithTheBestScore() {
        NDArray s = floats(0, 1, 2, 3, 4);
        NDArray eligible = bools(false, true, false, true, true);
        Selection.Selected sel = Selection.smallest(manager, List.of(s), List.of(eligible), 2);
        assertThat(bits(sel.positions().get(0))).containsExactly(0, 1, 0, 1, 0);
        // A 0/1 float mask works as eligibility too.
        Selection.Selected f = Selection.smallest(manager, List.of(s), List.of(floats(0, 1, 0, 1, 1)), 2);
        assertThat(bits(f.positions().get(0))).containsExactly(0, 1, 0, 1, 0);
    }

    @Test
    void globalSelectionUsesOneThresholdAcrossTensors() {
        NDArray a = floats(new Shape(2, 2), 0.5f, 0.1f, 0.9f, 0.3f);
        NDArray b = floats(0.2f, 0.8f, 0.05f);
        Selection.Selected sel = Selection.smallest(manager, List.of(a, b), null, 3);
        assertThat(sel.count()).isEqualTo(3);
        assertThat(sel.positions().get(0).getShape()).isEqualTo(new Shape(2, 2));
        assertThat(bits(sel.positions().get(0))).containsExactly(0, 1, 0, 0);
        assertThat(bits(sel.positions().get(1))).containsExactly(1, 0, 1);
    }

    @Test
    void globalTiesFollowLayerOrderThenFlatIndex() {
        NDArray a = floats(1, 0, 1);
        NDArray b = floats(1, 1, 0);
        // Strictly below tau = 1: a[1], b[2]. Then two of the four 1s: a[0], a[2] (layer a first).
        Selection.Selected sel = Selection.smallest(manager, List.of(a, b), null, 4);
        assertThat(bits(sel.positions().get(0))).containsExactly(1, 1, 1);
        assertThat(bits(sel.positions().get(1))).containsExactly(0, 0, 1);
        // Largest 3 of all-ones-but-zeros: a[0], a[2], b[0].
        Selection.Selected big = Selection.largest(manager, List.of(a, b), null, 3);
        assertThat(bits(big.positions().get(0))).containsExactly(1, 0, 1);
        assertThat(bits(big.positions().get(1))).containsExactly(1, 0, 0);
    }

    @Test
    void kBeyondEligibleTakesAllEligibleAndReportsTheCount() {
        NDArray s = floats(3, 1, 2);
        Selection.Selected sel = Selection.largest(manager, List.of(s), List.of(bools(true, false, true)), 10);
        assertThat(sel.count()).isEqualTo(2);
        assertThat(bits(sel.positions().get(0))).containsExactly(1, 0, 1);
    }

    @Test
    void kZeroOrNegativeTakesNothing() {
        NDArray s = floats(3, 1, 2);
        for (long k : new long[] {0, -5}) {
            Selection.Selected sel = Selection.smallest(manager, List.of(s), null, k);
            assertThat(sel.count()).isZero();
            assertThat(bits(sel.positions().get(0))).containsExactly(0, 0, 0);
        }
    }

    @Test
    void kthFromTheOtherSideGivesTheSameAnswer() {
        // k > n/2 takes the top-k from the other side; check against k <= n/2 via complements.
        NDArray s = manager.randomUniform(0f, 1f, new Shape(1000));
        Selection.Selected small = Selection.smallest(manager, List.of(s), null, 900);
        Selection.Selected large = Selection.largest(manager, List.of(s), null, 100);
        assertThat(small.count()).isEqualTo(900);
        assertThat(large.count()).isEqualTo(100);
        assertThat(small.positions().get(0).logicalXor(large.positions().get(0)).all().getBoolean()).isTrue();
    }

    @Test
    void integerScoresWork() {
        NDArray s = manager.create(new long[] {4, 0, 3, 1, 2});
        assertThat(bits(Selection.smallest(manager, List.of(s), null, 3).positions().get(0)))
                .containsExactly(0, 1, 0, 1, 1);
    }
}
