package dev.chase.sparse;

import ai.djl.ndarray.types.Shape;
import dev.chase.Require;
import java.util.Collections;
import java.util.List;

/**
 * Gives every tensor the target density d (no layer is special-cased). A baseline against
 * {@link ErkDistribution}; the budget sum(rho_l N_l) = d * D_tot holds trivially.
 */
public final class UniformDistribution implements SparsityDistribution {

    @Override
    public DensityAllocation allocate(List<Shape> shapes, double density) {
        Require.density(density);
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("no tensors to allocate densities to");
        }
        return new DensityAllocation(shapes, Collections.nCopies(shapes.size(), density), density);
    }
}
