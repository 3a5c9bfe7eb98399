package dev.chase.metrics;

import java.util.Arrays;

/**
 * Values measured on a grid of (input channels, output channels) and interpolated bilinearly in
 * between. Outside the grid the nearest cell is extended linearly (so widths below the smallest
 * measured one follow the trend of the two smallest), and predictions never go below 0. An axis
 * with a single point is constant along it (a dimension that never changes, such as the image
 * channels of the first conv).
 *
 * <p>The values are first made monotone: each becomes the largest value measured at that width
 * or any narrower one on both axes. Timing noise can make a narrower layer measure slower than a
 * wider one; left as is, removing a channel would then predict a slow-down and a cost-aware event
 * would never pick it. Bilinear interpolation of a monotone grid is monotone, so predicted savings
 * are never negative.
 */
final class BilinearGrid {
    private final int[] ins;
    private final int[] outs;
    private final double[][] values;

    /**
     * @param ins input channel counts, strictly increasing
     * @param outs output channel counts, strictly increasing
     * @param values values[i][j] at (ins[i], outs[j])
     */
    BilinearGrid(int[] ins, int[] outs, double[][] values) {
        checkAxis("input", ins);
        checkAxis("output", outs);
        if (values.length != ins.length || Arrays.stream(values).anyMatch(row -> row.length != outs.length)) {
            throw new IllegalArgumentException("a " + ins.length + "x" + outs.length + " grid needs as many values");
        }
        this.ins = ins.clone();
        this.outs = outs.clone();
        this.values = new double[ins.length][outs.length];
        for (int i = 0; i < ins.length; i++) {
            for (int j = 0; j < outs.length; j++) {
                double v = values[i][j];
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("grid value at (" + ins[i] + ", " + outs[j] + ") is " + v);
                }
                double left = i > 0 ? this.values[i - 1][j] : 0;
                double below = j > 0 ? this.values[i][j - 1] : 0;
                this.values[i][j] = Math.max(v, Math.max(left, below));
            }
        }
    }

    /** The interpolated value at (in, out) channels. */
    double at(int in, int out) {
        int i = cell(ins, in);
        int j = cell(outs, out);
        double u = weight(ins, i, in);
        double v = weight(outs, j, out);
        int i1 = Math.min(i + 1, ins.length - 1);
        int j1 = Math.min(j + 1, outs.length - 1);
        double value = (1 - u) * (1 - v) * values[i][j] + u * (1 - v) * values[i1][j]
                + (1 - u) * v * values[i][j1] + u * v * values[i1][j1];
        return Math.max(0, value);
    }

    /** The lower corner of the cell used for x: the last point &lt;= x, kept inside [0, n − 2]. */
    private static int cell(int[] axis, int x) {
        if (axis.length == 1) {
            return 0;
        }
        int k = 0;
        while (k < axis.length - 2 && axis[k + 1] <= x) {
            k++;
        }
        return k;
    }

    /** Position of x in cell k, 0 at its lower and 1 at its upper point (beyond for extrapolation). */
    private static double weight(int[] axis, int k, int x) {
        return axis.length == 1 ? 0 : (double) (x - axis[k]) / (axis[k + 1] - axis[k]);
    }

    private static void checkAxis(String what, int[] axis) {
        if (axis.length == 0) {
            throw new IllegalArgumentException("the " + what + " axis has no points");
        }
        for (int k = 0; k < axis.length; k++) {
            if (axis[k] < 1 || (k > 0 && axis[k] <= axis[k - 1])) {
                throw new IllegalArgumentException("the " + what + " axis must be increasing positive channel counts: "
                        + Arrays.toString(axis));
            }
        }
    }
}
