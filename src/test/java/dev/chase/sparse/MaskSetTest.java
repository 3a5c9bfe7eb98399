package dev.chase.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskSetTest extends NdTest {
    private static final List<MaskedTensor> TENSORS = List.of(
            new MaskedTensor("conv", new Shape(16, 8, 3, 3)),
            new MaskedTensor("small", new Shape(4, 3)),
            new MaskedTensor("fc", new Shape(10, 64)));

    private DensityAllocation allocation(double... rho) {
        List<Shape> shapes = TENSORS.stream().map(MaskedTensor::shape).toList();
        return new DensityAllocation(shapes, java.util.Arrays.stream(rho).boxed().toList(), 0.3);
    }

    @Test
    void exactSamplingGivesExactlyRoundRhoTimesNOnes() {
        DensityAllocation a = allocation(0.3, 0.5, 0.123);
        try (MaskSet masks = MaskSet.sample(manager, TENSORS, a, MaskSampling.EXACT, 7)) {
            assertThat(masks.nonZerosPerTensor()).containsExactly(
                    Map.entry("conv", Math.round(0.3 * 1152)), Map.entry("small", 6L), Map.entry("fc", Math.round(0.123 * 640)));
            assertThat(masks.nonZeros()).isEqualTo(346 + 6 + 79);
            assertThat(masks.mask("conv").getShape()).isEqualTo(new Shape(16, 8, 3, 3));
            // Only zeros and ones.
            NDArray m = masks.mask("fc");
            assertThat(m.eq(0).logicalOr(m.eq(1)).all().getBoolean()).isTrue();
            assertThat(masks.size()).isEqualTo(1152 + 12 + 640);
            assertThat(masks.density(1804)).isEqualTo(431.0 / 1804);
        }
    }

    @Test
    void exactSamplingOfTheErkAllocationHitsTheBudget() {
        List<Shape> shapes = TENSORS.stream().map(MaskedTensor::shape).toList();
        DensityAllocation a = new ErkDistribution().allocate(shapes, 0.2);
        try (MaskSet masks = MaskSet.sample(manager, TENSORS, a, MaskSampling.EXACT, 1)) {
            assertThat((double) masks.nonZeros()).isCloseTo(a.budget(), org.assertj.core.api.Assertions.within(1.5));
        }
    }

    @Test
    void bernoulliIsCloseInExpectation() {
        List<MaskedTensor> big = List.of(new MaskedTensor("w", new Shape(200, 100)));
        DensityAllocation a = new DensityAllocation(List.of(new Shape(200, 100)), List.of(0.3), 0.3);
        try (MaskSet masks = MaskSet.sample(manager, big, a, MaskSampling.BERNOULLI, 3)) {
            // mean 6000, sd = sqrt(20000 * 0.3 * 0.7) ~ 65; allow 5 sd.
            assertThat(masks.nonZeros()).isBetween(6000L - 325, 6000L + 325);
        }
    }

    @Test
    void sameSeedSameMasksDifferentSeedDifferentMasks() {
        DensityAllocation a = allocation(0.3, 0.5, 0.2);
        for (MaskSampling sampling : MaskSampling.values()) {
            try (MaskSet one = MaskSet.sample(manager, TENSORS, a, sampling, 42);
                    MaskSet two = MaskSet.sample(manager, TENSORS, a, sampling, 42);
                    MaskSet other = MaskSet.sample(manager, TENSORS, a, sampling, 43)) {
                for (String n : List.of("conv", "fc")) {
                    assertThat(one.mask(n).contentEquals(two.mask(n))).as(sampling + " " + n).isTrue();
                    assertThat(one.mask(n).contentEquals(other.mask(n))).as(sampling + " " + n).isFalse();
                }
            }
        }
    }

    @Test
    void appliesToWeightsAndOptionalMomentumInPlace() {
        try (MaskSet masks = MaskSet.of(manager, map("a", floats(1, 0, 1), "b", floats(new Shape(2, 2), 0, 1, 1, 0)))) {
            NDArray wa = floats(5, 6, 7);
            NDArray wb = floats(new Shape(2, 2), 1, 2, 3, 4);
            NDArray bias = floats(9, 9);
            masks.applyToWeights(map("a", wa, "b", wb, "bias", bias));
            assertThat(wa.toFloatArray()).containsExactly(5, 0, 7);
            assertThat(wb.toFloatArray()).containsExactly(0, 2, 3, 0);
            assertThat(bias.toFloatArray()).containsExactly(9, 9);
            NDArray mom = floats(1, 1, 1);
            masks.applyToOptional(map("a", mom)); // "b" has no momentum yet
            assertThat(mom.toFloatArray()).containsExactly(1, 0, 1);
        }
    }

    @Test
    void removeAddAndRestrict() {
        try (MaskSet masks = MaskSet.of(manager, map("a", floats(1, 1, 0, 0)))) {
            try (MaskChange off = new MaskChange(manager.newSubManager(), map("a", bools(true, false, false, false)));
                    MaskChange on = new MaskChange(manager.newSubManager(), map("a", bools(false, true, true, false)))) {
                masks.remove(off);
                assertThat(masks.mask("a").toFloatArray()).containsExactly(0, 1, 0, 0);
                masks.add(on); // switching an active position "on" again keeps it at 1
                assertThat(masks.mask("a").toFloatArray()).containsExactly(0, 1, 1, 0);
            }
            masks.restrictTo(map("a", floats(1, 1, 0, 1)));
            assertThat(masks.mask("a").toFloatArray()).containsExactly(0, 1, 0, 0);
            assertThat(masks.nonZeros("a")).isEqualTo(1);
        }
    }

    @Test
    void denseMasksAreAllOnes() {
        try (MaskSet masks = MaskSet.dense(manager, TENSORS)) {
            assertThat(masks.nonZeros()).isEqualTo(masks.size());
            assertThat(masks.names()).containsExactly("conv", "small", "fc");
        }
    }
}
