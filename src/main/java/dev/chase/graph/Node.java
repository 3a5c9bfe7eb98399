package dev.chase.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One node of a {@link LayerGraph}: a layer or a join, with a unique name and the names of the
 * nodes it reads. Channel counts are declared where a layer owns weights (convolutions, linear
 * layers) and inferred everywhere else. In JSON a node is an object whose {@code op} names its
 * kind ({@code conv}, {@code add}, ...) and whose other keys are its record components.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Node.Input.class, name = "input"),
    @JsonSubTypes.Type(value = Node.Conv.class, name = "conv"),
    @JsonSubTypes.Type(value = Node.Norm.class, name = "batchnorm"),
    @JsonSubTypes.Type(value = Node.Act.class, name = "activation"),
    @JsonSubTypes.Type(value = Node.Pool.class, name = "pool"),
    @JsonSubTypes.Type(value = Node.GlobalAvgPool.class, name = "global_avg_pool"),
    @JsonSubTypes.Type(value = Node.Flatten.class, name = "flatten"),
    @JsonSubTypes.Type(value = Node.Dropout.class, name = "dropout"),
    @JsonSubTypes.Type(value = Node.Linear.class, name = "linear"),
    @JsonSubTypes.Type(value = Node.Add.class, name = "add"),
    @JsonSubTypes.Type(value = Node.Mul.class, name = "mul"),
    @JsonSubTypes.Type(value = Node.Concat.class, name = "concat")
})
public sealed interface Node {

    /** The node's unique name; for weight-owning layers, the name of their weights in a network. */
    String name();

    /** The names of the nodes this one reads, in order. */
    List<String> inputs();

    /** The graph's input image: its channels, height and width. */
    record Input(String name, int channels, int height, int width) implements Node {
        @Override
        public List<String> inputs() {
            return List.of();
        }
    }

    /**
     * A 2-D convolution. {@code groups} splits input and output channels into that many blocks;
     * a depthwise convolution has {@code groups == in == out}.
     */
    record Conv(String name, String input, int in, int out, int kernel, int stride, int padding, int dilation, int groups,
            boolean bias) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }

        /** Whether each output channel reads exactly its own input channel. */
        public boolean depthwise() {
            return groups > 1 && groups == in && groups == out;
        }

        /**
         * Whether the input and output channels are one set: grouped ({@code groups > 1}) with as
         * many outputs as inputs, so output block k reads exactly input block k of the same
         * {@link #groupWidth()} channels (depthwise: blocks of one). Removing a whole block from both
         * sides leaves a grouped convolution with one group fewer.
         */
        public boolean tied() {
            return groups > 1 && in == out;
        }

        /** Input channels each output channel reads: {@code in / groups}. */
        public int groupWidth() {
            return in / groups;
        }
    }

    /** BatchNorm over the channel axis. */
    record Norm(String name, String input) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** An element-wise activation. */
    record Act(String name, String input, Activation kind) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** The element-wise activations a graph may use. */
    enum Activation {
        @JsonProperty("relu") RELU,
        @JsonProperty("relu6") RELU6,
        @JsonProperty("silu") SILU,
        @JsonProperty("hard_swish") HARD_SWISH,
        @JsonProperty("sigmoid") SIGMOID,
        @JsonProperty("hard_sigmoid") HARD_SIGMOID
    }

    /** Max or average pooling over square windows. */
    record Pool(String name, String input, boolean max, int kernel, int stride, int padding) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** The mean over the spatial axes, keeping channels: (N, C, H, W) to (N, C, 1, 1). */
    record GlobalAvgPool(String name, String input) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** (N, C, H, W) to (N, C * H * W), channel-major: channel c becomes features c*H*W to (c+1)*H*W - 1. */
    record Flatten(String name, String input) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** Dropout; the identity at inference. */
    record Dropout(String name, String input, double p) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** A fully connected layer on (N, in): its input has no spatial extent (flattened or globally pooled). */
    record Linear(String name, String input, int in, int out, boolean bias) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input);
        }
    }

    /** The element-wise sum of inputs with equal channels: a residual join. */
    record Add(String name, List<String> inputs) implements Node {
        public Add {
            inputs = List.copyOf(inputs);
        }
    }

    /**
     * {@code input} times a {@code gate} of the same channels, either per channel (a C x 1 x 1 gate
     * broadcast over the map, as in squeeze-and-excitation) or element-wise (the same shape).
     */
    record Mul(String name, String input, String gate) implements Node {
        @Override
        public List<String> inputs() {
            return List.of(input, gate);
        }
    }

    /** The inputs stacked along the channel axis, in order. */
    record Concat(String name, List<String> inputs) implements Node {
        public Concat {
            inputs = List.copyOf(inputs);
        }
    }
}
