package dev.chase.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Objects;

/**
 * The weight tensor of one conv or linear layer: what dynamic sparse training masks (biases and
 * BatchNorm parameters never are). Shapes are PyTorch's: (out, in, kh, kw) for a conv and (out,
 * in) for a linear layer; the name is the layer's name in {@link Network}.
 *
 * @param name the layer's name, e.g. {@code features.0} or {@code layer1.0.conv2}
 * @param shape the weight's shape, known before initialisation
 * @param layer the DJL conv or linear block owning the weight
 */
public record MaskableWeight(String name, Shape shape, Block layer) {

    public MaskableWeight {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(layer, "layer");
    }

    /** The DJL parameter; its array exists once the network is initialised. */
    public Parameter parameter() {
        return layer.getParameters().get("weight");
    }

    /** Number of elements. */
    public long size() {
        return shape.size();
    }
}
