package dev.chase.model;

import java.util.List;

/**
 * One layer of an architecture, as data: {@link NetSpec#layers()} lists a network's layers in
 * forward order, which is the one description that {@link Network} builds its DJL block from and
 * that other back ends (the ONNX writer) translate, so the two cannot drift apart. Named layers
 * carry the names of {@link Network}'s lookups; all spatial layers are square (one kernel side,
 * stride and padding on every side).
 */
public sealed interface Layer {

    /** A 2-D convolution (no dilation, no groups). */
    record Conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias) implements Layer {}

    /** BatchNorm over the channel axis; eval mode uses its running statistics. */
    record Norm(String name) implements Layer {}

    /** Element-wise max(x, 0). */
    record Relu() implements Layer {}

    /** Max pooling; padded positions never win (PyTorch's and ONNX's padding with minus infinity). */
    record MaxPool(int kernel, int stride, int padding) implements Layer {}

    /** Mean over the spatial axes: (N, C, H, W) to (N, C). */
    record GlobalAvgPool() implements Layer {}

    /** A fully connected layer on (N, in), weight of shape (out, in). */
    record Linear(String name, int in, int out, boolean bias) implements Layer {}

    /**
     * A residual block: {@code relu(main(x) + shortcut(x))}.
     *
     * @param main the block's layers
     * @param shortcut the projection's layers; empty for the identity
     */
    record Residual(List<Layer> main, List<Layer> shortcut) implements Layer {
        public Residual {
            main = List.copyOf(main);
            shortcut = List.copyOf(shortcut);
        }
    }
}
