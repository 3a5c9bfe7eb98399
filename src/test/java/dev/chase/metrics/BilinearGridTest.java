package dev.chase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The interpolation of latency tables. */
class BilinearGridTest {

    /** f(i, o) = 1 + 2i + 3o + 0.5·i·o sampled on a 3x2 grid: bilinear interpolation reproduces it exactly. */
    private static BilinearGrid bilinear() {
        int[] ins = {2, 4, 8};
        int[] outs = {4, 8};
        double[][] v = new double[3][2];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                v[i][j] = f(ins[i], outs[j]);
            }
        }
        return new BilinearGrid(ins, outs, v);
    }

    private static double f(double i, double o) {
        return 1 + 2 * i + 3 * o + 0.5 * i * o;
    }

    @Test
    void exactAtGridPointsAndBilinearInBetween() {
        BilinearGrid g = bilinear();
        assertThat(g.at(4, 8)).isEqualTo(f(4, 8));
        assertThat(g.at(8, 4)).isEqualTo(f(8, 4));
        assertThat(g.at(3, 5)).isCloseTo(f(3, 5), within(1e-12));
        assertThat(g.at(7, 6)).isCloseTo(f(7, 6), within(1e-12));
        // by hand in the cell [4, 8] x [4, 8] at (6, 6): the mean of the four corners
        assertThat(g.at(6, 6)).isCloseTo((f(4, 4) + f(8, 4) + f(4, 8) + f(8, 8)) / 4, within(1e-12));
    }

    @Test
    void extendsTheNearestCellLinearlyBelowTheGridAndNeverGoesNegative() {
        BilinearGrid g = bilinear();
        // below the smallest widths, the bilinear form of the corner cell continues
        assertThat(g.at(1, 2)).isCloseTo(f(1, 2), within(1e-12));
        BilinearGrid steep = new BilinearGrid(new int[] {4, 8}, new int[] {8}, new double[][] {{1}, {9}});
        // slope 2 per channel from 1 at 4 channels: 1 - 2·3 at 1 channel, clamped to 0
        assertThat(steep.at(3, 8)).isCloseTo(0.0, within(1e-12)).isGreaterThanOrEqualTo(0);
        assertThat(steep.at(1, 8)).isZero();
    }

    @Test
    void aSinglePointAxisIsConstant() {
        BilinearGrid g = new BilinearGrid(new int[] {3}, new int[] {2, 4}, new double[][] {{1, 3}});
        assertThat(g.at(3, 3)).isEqualTo(2);
        assertThat(g.at(1, 3)).isEqualTo(2);
    }

    @Test
    void noisyMeasurementsAreMadeMonotone() {
        // (2, 8) and (4, 4) measured slower than (4, 8): taken for noise and lowered to the wider point
        BilinearGrid g = new BilinearGrid(new int[] {2, 4}, new int[] {4, 8}, new double[][] {{1, 5}, {3, 2}});
        assertThat(g.at(4, 8)).isEqualTo(2);
        assertThat(g.at(4, 4)).isEqualTo(2);
        assertThat(g.at(2, 8)).isEqualTo(2);
        assertThat(g.at(2, 4)).isEqualTo(1);
        // so a narrower layer never predicts slower
        for (int i = 1; i <= 4; i++) {
            for (int o = 1; o <= 8; o++) {
                assertThat(g.at(i, o)).as("(%d, %d)", i, o).isLessThanOrEqualTo(g.at(Math.min(4, i + 1), o) + 1e-12)
                        .isLessThanOrEqualTo(g.at(i, Math.min(8, o + 1)) + 1e-12);
            }
        }
    }

    @Test
    void rejectsMalformedGrids() {
        assertThatThrownBy(() -> new BilinearGrid(new int[] {4, 2}, new int[] {1}, new double[][] {{1}, {2}}))
                .hasMessageContaining("increasing");
        assertThatThrownBy(() -> new BilinearGrid(new int[] {2}, new int[] {1, 2}, new double[][] {{1}}))
                .hasMessageContaining("grid needs");
        assertThatThrownBy(() -> new BilinearGrid(new int[] {2}, new int[] {1}, new double[][] {{Double.NaN}}))
                .hasMessageContaining("NaN");
    }
}
