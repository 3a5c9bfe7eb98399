package dev.chase.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import dev.chase.model.Layer;

/**
 * The engine ops of the parameter-free layers (ReLU, max-pool, global average pooling), the same
 * calls the blocks of {@link dev.chase.model.Network} make, for the profilers that run a network
 * op by op.
 */
final class LayerOps {

    private LayerOps() {}

    /** Whether {@link #apply} runs this layer. */
    static boolean parameterFree(Layer layer) {
        return layer instanceof Layer.Relu || layer instanceof Layer.MaxPool || layer instanceof Layer.GlobalAvgPool;
    }

    /** The layer applied to {@code x}; the result goes to {@code x}'s manager. */
    static NDArray apply(Layer layer, NDArray x) {
        if (layer instanceof Layer.Relu) {
            return Activation.relu(x);
        } else if (layer instanceof Layer.MaxPool p) {
            return Pool.maxPool2d(x, new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()),
                    new Shape(p.padding(), p.padding()), false);
        } else if (layer instanceof Layer.GlobalAvgPool) {
            return Pool.globalAvgPool2d(x);
        }
        throw new IllegalArgumentException("not a parameter-free layer: " + layer);
    }
}
