package dev.chase.sparse;

import ai.djl.ndarray.types.Shape;
import dev.chase.Require;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Erdős–Rényi-Kernel densities exactly as the Chase reference computes them (algorithm §3): raw
 * score (s1+…+sk)/(s1·…·sk) over all dims (kernel dims included), then an iteratively grown
 * dense set D — every tensor whose raw score equals the current maximum (exact equality, so
 * identically shaped tensors join together) becomes dense while epsilon·max(raw) exceeds 1 —
 * and rho = 1 on D, epsilon·raw elsewhere, so that sum(rho_l N_l) = d·D_tot. No layer is
 * special-cased; the first conv and the classifier are dense only if ERK makes them so.
 */
public final class ErkDistribution implements SparsityDistribution {

    /**
     * The full ERK result.
     *
     * @param epsilon the scale epsilon of the last iteration (0 if every tensor is dense)
     * @param denseSet indices (layer order) of the tensors in the dense set D
     * @param allocation the resulting per-tensor densities
     */
    public record Solution(double epsilon, Set<Integer> denseSet, DensityAllocation allocation) {
        public Solution {
            denseSet = Collections.unmodifiableSet(new TreeSet<>(denseSet));
        }
    }

    /** Raw ERK score of one shape: sum of dims over product of dims. */
    public static double rawScore(Shape shape) {
        double sum = 0;
        double product = 1;
        for (long dim : shape.getShape()) {
            sum += dim;
            product *= dim;
        }
        return sum / product;
    }

    @Override
    public DensityAllocation allocate(List<Shape> shapes, double density) {
        return solve(shapes, density).allocation();
    }

    /** Computes epsilon, the dense set and the densities. */
    public Solution solve(List<Shape> shapes, double density) {
        Require.density(density);
        int n = shapes.size();
        if (n == 0) {
            throw new IllegalArgumentException("no tensors to allocate densities to");
        }
        double[] raw = new double[n];
        long[] size = new long[n];
        for (int i = 0; i < n; i++) {
            size[i] = shapes.get(i).size();
            if (size[i] <= 0) {
                throw new IllegalArgumentException("tensor " + i + " has no elements: " + shapes.get(i));
            }
            raw[i] = rawScore(shapes.get(i));
        }
        boolean[] dense = new boolean[n];
        int denseCount = 0;
        double epsilon = 0;
        while (denseCount < n) {
            double rhs = 0;
            double div = 0;
            double maxRaw = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (dense[i]) {
                    rhs -= (1 - density) * size[i];
                } else {
                    rhs += density * size[i];
                    div += raw[i] * size[i];
                    maxRaw = Math.max(maxRaw, raw[i]);
                }
            }
            epsilon = rhs / div;
            if (epsilon * maxRaw <= 1) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (!dense[i] && raw[i] == maxRaw) {
                    dense[i] = true;
                    denseCount++;
                }
            }
        }
        if (denseCount == n) {
            epsilon = 0;
        }
        List<Double> rho = new ArrayList<>(n);
        Set<Integer> denseSet = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (dense[i]) {
                denseSet.add(i);
                rho.add(1.0);
            } else {
                rho.add(epsilon * raw[i]);
            }
        }
        return new Solution(epsilon, denseSet, new DensityAllocation(shapes, rho, density));
    }
}
