package dev.chase.sparse;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-tensor densities rho_l for a list of tensor shapes at a target overall density d, as
 * produced by a {@link SparsityDistribution}. By construction sum(rho_l * N_l) equals the
 * budget B = d * D_tot (up to floating-point rounding), where D_tot is the dense count over the
 * given (original) shapes.
 *
 * @param shapes the tensor shapes, in layer order
 * @param densities rho_l in (0, 1], one per shape
 * @param density the target overall density d
 */
public record DensityAllocation(List<Shape> shapes, List<Double> densities, double density) {
    public DensityAllocation {
        shapes = List.copyOf(shapes);
        densities = List.copyOf(densities);
        if (shapes.size() != densities.size()) {
            throw new IllegalArgumentException(shapes.size() + " shapes but " + densities.size() + " densities");
        }
        for (int i = 0; i < densities.size(); i++) {
            double rho = densities.get(i);
            if (!(rho > 0.0 && rho <= 1.0)) {
                throw new IllegalArgumentException("density of tensor " + i + " " + shapes.get(i) + " is " + rho
                        + ", outside (0, 1]");
            }
        }
    }

    /** Density rho_l of tensor {@code index}. */
    public double density(int index) {
        return densities.get(index);
    }

    /** D_tot: total number of elements over all tensors. */
    public long totalParams() {
        return shapes.stream().mapToLong(Shape::size).sum();
    }

    /** B = d * D_tot, the real-valued non-zero budget. */
    public double budget() {
        return density * totalParams();
    }

    /** Sum of rho_l * N_l: the expected number of non-zeros of masks sampled from this allocation. */
    public double expectedNonZeros() {
        double sum = 0;
        for (int i = 0; i < shapes.size(); i++) {
            sum += densities.get(i) * shapes.get(i).size();
        }
        return sum;
    }

    /** round(rho_l * N_l): the number of ones an exact-count mask of tensor {@code index} gets. */
    public long exactCount(int index) {
        return Math.round(densities.get(index) * shapes.get(index).size());
    }

    /** Indices of the tensors that are fully dense (rho = 1). */
    public Set<Integer> denseTensors() {
        Set<Integer> dense = new TreeSet<>();
        for (int i = 0; i < densities.size(); i++) {
            if (densities.get(i) == 1.0) {
                dense.add(i);
            }
        }
        return dense;
    }
}
