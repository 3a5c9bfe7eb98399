package dev.chase.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import dev.chase.graph.ChannelGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A {@link NetSpec} turned into a DJL {@link Block} (NCHW float images in, logits of shape (N,
 * numClasses) out, no softmax), together with what the sparse-training code needs to reach inside
 * it: the maskable weights in forward order, the channel groups, and the conv, BatchNorm and linear
 * layers by their PyTorch-style names. The block is made of standard DJL {@code SequentialBlock}s
 * and {@code ParallelBlock}s, so {@code saveParameters}/{@code loadParameters}, {@code
 * ParameterStore} and {@code Trainer} work on it as usual. Build with {@link #build(NetSpec)}, then
 * {@link #initialize(NDManager)} once.
 */
public final class Network {
    /** The epsilon every BatchNorm adds to the running variance (PyTorch's default). */
    public static final float BATCH_NORM_EPSILON = 1e-5f;

    private final NetSpec spec;
    private final Block block;
    private final List<MaskableWeight> maskableWeights;
    private final Map<String, MaskableWeight> weightsByName;
    private final Map<String, Conv2d> convs;
    private final Map<String, BatchNorm> norms;
    private final Map<String, Linear> linears;
    private final List<ChannelGroup> channelGroups;

    private Network(NetSpec spec, Block block, Layers parts) {
        this.spec = spec;
        this.block = block;
        this.maskableWeights = List.copyOf(parts.weights);
        Map<String, MaskableWeight> byName = new LinkedHashMap<>();
        maskableWeights.forEach(w -> byName.put(w.name(), w));
        this.weightsByName = byName;
        this.convs = Map.copyOf(parts.convs);
        this.norms = Map.copyOf(parts.norms);
        this.linears = Map.copyOf(parts.linears);
        this.channelGroups = spec.channelGroups();
    }

    /**
     * Builds the (uninitialised) network described by a spec: nested sequential and parallel blocks
     * for a {@link LayerListSpec}, a {@link GraphBlock} for a {@link GraphSpec}.
     */
    public static Network build(NetSpec spec) {
        if (spec instanceof LayerListSpec list) {
            Assembler parts = new Assembler(spec.init());
            Block block = parts.sequence(list.layers());
            return new Network(spec, block, parts);
        }
        GraphBlock block = new GraphBlock(spec.graph(), spec.init());
        Layers parts = new Layers();
        for (dev.chase.graph.Node n : spec.graph().nodes()) {
            if (n instanceof dev.chase.graph.Node.Conv c) {
                Conv2d conv = (Conv2d) block.layer(c.name());
                parts.convs.put(c.name(), conv);
                parts.weights.add(new MaskableWeight(c.name(), new Shape(c.out(), c.in() / c.groups(), c.kernel(), c.kernel()), conv));
            } else if (n instanceof dev.chase.graph.Node.Norm norm) {
                parts.norms.put(norm.name(), (BatchNorm) block.layer(norm.name()));
            } else if (n instanceof dev.chase.graph.Node.Linear l) {
                Linear linear = (Linear) block.layer(l.name());
                parts.linears.put(l.name(), linear);
                parts.weights.add(new MaskableWeight(l.name(), new Shape(l.out(), l.in()), linear));
            }
        }
        return new Network(spec, block, parts);
    }

    /** The architecture. */
    public NetSpec spec() {
        return spec;
    }

    /** The DJL block: forward maps (N, C, H, W) float images to (N, numClasses) logits. */
    public Block block() {
        return block;
    }

    /**
     * Creates every parameter with the spec's {@link WeightInit}, drawing from the engine's random
     * generator (seed it with {@code Engine.getInstance().setRandomSeed}). The manager owns the
     * parameters and must outlive the network's use.
     */
    public void initialize(NDManager manager) {
        block.initialize(manager, DataType.FLOAT32,
                new Shape(1, spec.inChannels(), spec.inputSize(), spec.inputSize()));
    }

    /** Every conv and linear weight, in forward order. */
    public List<MaskableWeight> maskableWeights() {
        return maskableWeights;
    }

    /** The maskable weight of the named conv or linear layer. */
    public MaskableWeight maskableWeight(String name) {
        return lookup(weightsByName, name, "maskable weight");
    }

    /** The channel groups of {@link NetSpec#channelGroups()}. */
    public List<ChannelGroup> channelGroups() {
        return channelGroups;
    }

    /** The channel group with this name. */
    public ChannelGroup channelGroup(String name) {
        return channelGroups.stream().filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no channel group named " + name));
    }

    /** The conv layer with this name, e.g. {@code features.3} or {@code layer2.0.shortcut.0}. */
    public Conv2d conv(String name) {
        return lookup(convs, name, "conv layer");
    }

    /** The BatchNorm layer with this name, e.g. {@code features.4} or {@code layer2.0.bn1}. */
    public BatchNorm norm(String name) {
        return lookup(norms, name, "BatchNorm layer");
    }

    /** The linear layer with this name ({@code classifier} for VGG, {@code fc} for ResNets). */
    public Linear linear(String name) {
        return lookup(linears, name, "linear layer");
    }

    private static <T> T lookup(Map<String, T> map, String name, String what) {
        T value = map.get(name);
        if (value == null) {
            throw new NoSuchElementException("no " + what + " named " + name);
        }
        return value;
    }

    /** The named layers of a network, as they are met in forward order. */
    private static class Layers {
        final List<MaskableWeight> weights = new ArrayList<>();
        final Map<String, Conv2d> convs = new LinkedHashMap<>();
        final Map<String, BatchNorm> norms = new LinkedHashMap<>();
        final Map<String, Linear> linears = new LinkedHashMap<>();
    }

    /** Creates the named layers of a layer list, sets their initialisers and records them, while walking it. */
    private static final class Assembler extends Layers {
        private final WeightInit init;

        Assembler(WeightInit init) {
            this.init = init;
        }

        /** The layers as one sequential block. */
        Block sequence(List<Layer> layers) {
            SequentialBlock net = new SequentialBlock();
            for (Layer layer : layers) {
                net.add(block(layer));
            }
            return net;
        }

        private Block block(Layer layer) {
            if (layer instanceof Layer.Conv c) {
                return conv(c);
            } else if (layer instanceof Layer.Norm n) {
                return norm(n.name());
            } else if (layer instanceof Layer.Relu) {
                return Activation.reluBlock();
            } else if (layer instanceof Layer.MaxPool p) {
                Shape kernel = new Shape(p.kernel(), p.kernel());
                Shape stride = new Shape(p.stride(), p.stride());
                return Pool.maxPool2dBlock(kernel, stride, new Shape(p.padding(), p.padding()));
            } else if (layer instanceof Layer.GlobalAvgPool) {
                return Pool.globalAvgPool2dBlock();
            } else if (layer instanceof Layer.Linear l) {
                return linear(l.name(), l.in(), l.out(), l.bias());
            }
            Layer.Residual r = (Layer.Residual) layer;
            // Main branch first, so the maskable-weight registry stays in forward order (conv1, conv2, shortcut).
            Block main = sequence(r.main());
            Block shortcut = r.shortcut().isEmpty() ? Blocks.identityBlock() : sequence(r.shortcut());
            return new ParallelBlock(
                    branches -> new NDList(Activation.relu(
                            branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()))),
                    List.of(main, shortcut));
        }

        private Conv2d conv(Layer.Conv c) {
            Conv2d conv = LayerBlocks.conv(init, c.in(), c.out(), c.kernel(), c.stride(), c.padding(), 1, 1, c.bias());
            convs.put(c.name(), conv);
            weights.add(new MaskableWeight(c.name(), new Shape(c.out(), c.in(), c.kernel(), c.kernel()), conv));
            return conv;
        }

        private BatchNorm norm(String name) {
            BatchNorm norm = LayerBlocks.norm();
            norms.put(name, norm);
            return norm;
        }

        private Linear linear(String name, int in, int out, boolean bias) {
            Linear linear = LayerBlocks.linear(init, in, out, bias);
            linears.put(name, linear);
            weights.add(new MaskableWeight(name, new Shape(out, in), linear));
            return linear;
        }
    }
}
