package dev.chase.metrics;

import java.util.Arrays;

/**
 * Values measured on a grid of (input channels, output channels) and interpolated bilinearly in
 * between. Outside the grid the nearest cell is extended linearly (so widths below the smallest
 * measured one follow the trend of the two smallest), and predictions never go below 0. An axis
 * with a single point is constant along it (a dimension that never changes, such as the image
 * channels of the first conv).
 *
 * <p>The values are first made monotone: each becomes the smallest value measured at that width
 * or any wider one on both axes. Timing noise can make a narrower layer measure slower than a
 * wider one; left as is, removing a channel would then predict a slow-down and a cost-aware event
 * would never pick it. Noise on a loaded machine adds time rather than removing it, so the slower
 * narrow point is the one taken for noise and lowered (raising the wider points instead would
 * spread one disturbed measurement to every wider width). Bilinear interpolation of a monotone
 * grid is monotone, so predicted savings are never negative inside the grid.
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
        for (int i = ins.length - 1; i >= 0; i--) {
            for (int j = outs.length - 1; j >= 0; j--) {
                double v = values[i][j];
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("grid value at (" + ins[i] + ", " + outs[j] + ") is " + v);
                }
                double wider = i + 1 < ins.length ? this.values[i + 1][j] : Double.POSITIVE_INFINITY;
                double above = j + 1 < outs.length ? this.values[i][j + 1] : Double.POSITIVE_INFINITY;
                this.values[i][j] = Math.min(v, Math.min(wider, above));
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
