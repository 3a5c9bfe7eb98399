package dev.chase.sparse;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * A tensor that carries an unstructured mask: its name (the key used in weight, gradient and
 * momentum maps) and its original shape. Lists of these are always in layer order, which is
 * the order used for global tie-breaks and for seeded sampling.
 */
public record MaskedTensor(String name, Shape shape) {
    public MaskedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        if (shape.size() <= 0) {
            throw new IllegalArgumentException("masked tensor " + name + " has no elements: " + shape);
        }
    }

    /** Number of elements N. */
    public long size() {
        return shape.size();
    }
}
