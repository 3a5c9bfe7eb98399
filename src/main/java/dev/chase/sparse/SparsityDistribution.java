package dev.chase.sparse;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * How a target overall density d is split into per-tensor densities rho_l. It sees only the
 * tensor shapes, so it can be evaluated on full-size architectures without allocating them.
 * Implementations throw {@link dev.chase.ChaseException} for a density outside (0, 1].
 */
public interface SparsityDistribution {

    /** Per-tensor densities for {@code shapes} (layer order) at overall density {@code density}. */
    DensityAllocation allocate(List<Shape> shapes, double density);

    /** Erdős–Rényi-Kernel, the Chase default (algorithm §3). */
    static SparsityDistribution erk() {
        return new ErkDistribution();
    }

    /** The same density for every tensor. */
    static SparsityDistribution uniform() {
        return new UniformDistribution();
    }
}
