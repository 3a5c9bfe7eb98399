package dev.chase.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;

/**
 * The DJL blocks of the weight-owning layers, with the initialisers of a {@link WeightInit}: one
 * place for how a conv, BatchNorm or linear layer is made, shared by every way of building a network.
 */
public final class LayerBlocks {
    private LayerBlocks() {}

    /**
     * A 2-D convolution; its weight has shape (out, in / groups, kernel, kernel).
     *
     * @param in input channels (with {@code groups} and {@code kernel}, the fan-in of the bias)
     */
    public static Conv2d conv(WeightInit init, int in, int out, int kernel, int stride, int padding, int dilation, int groups,
            boolean bias) {
        Conv2d conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(out)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optDilation(new Shape(dilation, dilation))
                .optGroups(groups)
                .optBias(bias)
                .build();
        conv.setInitializer(switch (init) {
            case VGG_CIFAR -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.OUT, 2);
            case KAIMING_FAN_IN, KAIMING_FAN_IN_CONV -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2);
            case PYTORCH_DEFAULT -> new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 1);
        }, "weight");
        if (bias) {
            long fanIn = (long) in / groups * kernel * kernel;
            conv.setInitializer(init == WeightInit.VGG_CIFAR ? Initializer.ZEROS : pytorchBias(fanIn), "bias");
        }
        return conv;
    }

    /** BatchNorm over the channel axis with {@link Network#BATCH_NORM_EPSILON}; gamma 1, beta 0. */
    public static BatchNorm norm() {
        return BatchNorm.builder().optEpsilon(Network.BATCH_NORM_EPSILON).build();
    }

    /** A fully connected layer from {@code in} features; its weight has shape (out, in). */
    public static Linear linear(WeightInit init, int in, int out, boolean bias) {
        Linear linear = Linear.builder().setUnits(out).optBias(bias).build();
        linear.setInitializer(switch (init) {
            case VGG_CIFAR -> new NormalInitializer(0.01f);
            case KAIMING_FAN_IN -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2);
            case KAIMING_FAN_IN_CONV, PYTORCH_DEFAULT -> new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 1);
        }, "weight");
        if (bias) {
            linear.setInitializer(init == WeightInit.VGG_CIFAR ? Initializer.ZEROS : pytorchBias(in), "bias");
        }
        return linear;
    }

    /** PyTorch's default bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    private static Initializer pytorchBias(long fanIn) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        return (manager, shape, dataType) -> manager.randomUniform(-bound, bound, shape, dataType);
    }
}
