package dev.chase.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import dev.chase.ChaseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErkDistributionTest {
    private static final double TOL = 5e-5; // "match to 4 decimals"

    private final ErkDistribution erk = new ErkDistribution();

    private static double rho(ErkDistribution.Solution s, Map<String, Shape> named, String name) {
        return s.allocation().density(Architectures.indexOf(named, name));
    }

    @Test
    void vgg19Cifar100() {
        Map<String, Shape> vgg = Architectures.vgg19(100);
        assertThat(vgg).hasSize(17);
        ErkDistribution.Solution s = erk.solve(Architectures.shapes(vgg), 0.1);
        assertThat(s.allocation().totalParams()).isEqualTo(20_070_080L);
        assertThat(s.epsilon()).isCloseTo(185.7137, within(TOL));
        assertThat(s.denseSet()).containsExactly(0, 16);
        assertThat(rho(s, vgg, "features.0")).isEqualTo(1.0);
        assertThat(rho(s, vgg, "features.3")).isCloseTo(0.6751, within(TOL));
        assertThat(rho(s, vgg, "features.7")).isCloseTo(0.4987, within(TOL));
        assertThat(rho(s, vgg, "features.10")).isCloseTo(0.3300, within(TOL));
        assertThat(rho(s, vgg, "features.14")).isCloseTo(0.2456, within(TOL));
        for (String n : List.of("features.17", "features.20", "features.23")) {
            assertThat(rho(s, vgg, n)).as(n).isCloseTo(0.1631, within(TOL));
        }
        assertThat(rho(s, vgg, "features.27")).isCloseTo(0.1219, within(TOL));
        for (String n : List.of("features.30", "features.33", "features.36", "features.40", "features.43",
                "features.46", "features.49")) {
            assertThat(rho(s, vgg, n)).as(n).isCloseTo(0.0811, within(TOL));
        }
        assertThat(rho(s, vgg, "classifier")).isEqualTo(1.0);
        assertBudget(s.allocation());
    }

    @Test
    void vgg19Cifar10() {
        Map<String, Shape> vgg = Architectures.vgg19(10);
        ErkDistribution.Solution s = erk.solve(Architectures.shapes(vgg), 0.1);
        assertThat(s.allocation().totalParams()).isEqualTo(20_024_000L);
        assertThat(s.epsilon()).isCloseTo(189.6552, within(TOL));
        assertThat(s.denseSet()).containsExactly(0, 16);
        assertThat(rho(s, vgg, "features.30")).isCloseTo(0.0828, within(TOL));
        assertThat(rho(s, vgg, "features.49")).isCloseTo(0.0828, within(TOL));
        assertBudget(s.allocation());
    }

    @Test
    void resnet50Cifar100() {
        Map<String, Shape> r50 = Architectures.resnet50(100);
        assertThat(r50).hasSize(54);
        ErkDistribution.Solution s = erk.solve(Architectures.shapes(r50), 0.1);
        assertThat(s.allocation().totalParams()).isEqualTo(23_652_032L);
        assertThat(s.epsilon()).isCloseTo(46.0726, within(TOL));
        assertThat(s.denseSet()).containsExactly(Architectures.indexOf(r50, "conv1"),
                Architectures.indexOf(r50, "layer1.0.conv1"));
        for (int b = 0; b < 3; b++) {
            assertThat(rho(s, r50, "layer1." + b + ".conv2")).isCloseTo(0.1675, within(TOL));
            assertThat(rho(s, r50, "layer1." + b + ".conv3")).isCloseTo(0.9055, within(TOL));
            assertThat(rho(s, r50, "layer4." + b + ".conv2")).isCloseTo(0.0201, within(TOL));
            assertThat(rho(s, r50, "layer4." + b + ".conv3")).isCloseTo(0.1126, within(TOL));
        }
        assertThat(rho(s, r50, "layer1.0.shortcut.0")).isCloseTo(0.9055, within(TOL));
        assertThat(rho(s, r50, "layer1.1.conv1")).isCloseTo(0.9055, within(TOL));
        assertThat(rho(s, r50, "layer4.1.conv1")).isCloseTo(0.1126, within(TOL));
        assertThat(rho(s, r50, "layer4.0.shortcut.0")).isCloseTo(0.0675, within(TOL));
        assertThat(rho(s, r50, "linear")).isCloseTo(0.4832, within(TOL));
        assertBudget(s.allocation());
    }

    @Test
    void resnet50Cifar10MakesTheClassifierDenseToo() {
        Map<String, Shape> r50 = Architectures.resnet50(10);
        ErkDistribution.Solution s = erk.solve(Architectures.shapes(r50), 0.1);
        assertThat(s.allocation().totalParams()).isEqualTo(23_467_712L);
        assertThat(s.epsilon()).isCloseTo(47.2966, within(TOL));
        assertThat(s.denseSet()).containsExactly(0, 1, Architectures.indexOf(r50, "linear"));
        assertBudget(s.allocation());
    }

    @Test
    void identicallyShapedTensorsJoinTheDenseSetTogether() {
        // Two equal small tensors share the max raw score: both become dense in the same round.
        List<Shape> shapes = List.of(new Shape(2, 2), new Shape(2, 2), new Shape(100, 100));
        ErkDistribution.Solution s = erk.solve(shapes, 0.1);
        assertThat(s.denseSet()).containsExactly(0, 1);
        assertThat(s.allocation().density(2)).isCloseTo((0.1 * 10_008 - 8) / 10_000, within(1e-12));
        assertBudget(s.allocation());
    }

    @Test
    void densityOneMakesEverythingDense() {
        DensityAllocation a = erk.allocate(List.of(new Shape(3, 4), new Shape(8, 8, 3, 3)), 1.0);
        assertThat(a.densities()).containsExactly(1.0, 1.0);
    }

    @Test
    void uniformGivesEveryTensorTheTargetDensity() {
        DensityAllocation a = new UniformDistribution().allocate(Architectures.shapes(Architectures.vgg19(10)), 0.2);
        assertThat(a.densities()).hasSize(17).containsOnly(0.2);
        assertBudget(a);
    }

    @Test
    void rejectsDensityOutsideZeroOne() {
        List<Shape> shapes = List.of(new Shape(4, 4));
        for (double bad : new double[] {0.0, -0.1, 1.0001, Double.NaN}) {
            assertThatThrownBy(() -> erk.allocate(shapes, bad)).isInstanceOf(ChaseException.class)
                    .hasMessageContaining("density");
            assertThatThrownBy(() -> SparsityDistribution.uniform().allocate(shapes, bad))
                    .isInstanceOf(ChaseException.class);
        }
    }

    private static void assertBudget(DensityAllocation a) {
        assertThat(a.expectedNonZeros()).isCloseTo(a.budget(), within(1e-6 * a.totalParams()));
        assertThat(a.densities()).allSatisfy(r -> assertThat(r).isGreaterThan(0.0).isLessThanOrEqualTo(1.0));
    }
}
