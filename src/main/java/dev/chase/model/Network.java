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
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
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
    private final NetSpec spec;
    private final Block block;
    private final List<MaskableWeight> maskableWeights;
    private final Map<String, MaskableWeight> weightsByName;
    private final Map<String, Conv2d> convs;
    private final Map<String, BatchNorm> norms;
    private final Map<String, Linear> linears;
    private final List<ChannelGroup> channelGroups;

    private Network(NetSpec spec, Block block, Assembler parts) {
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

    /** Builds the (uninitialised) network described by a spec. */
    public static Network build(NetSpec spec) {
        Assembler parts = new Assembler(spec.init());
        Block block = spec instanceof VggSpec vgg ? parts.vgg(vgg) : parts.resnet((ResNetSpec) spec);
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

    /** Creates the named layers, sets their initialisers and records them, while walking a spec. */
    private static final class Assembler {
        private final WeightInit init;
        private final List<MaskableWeight> weights = new ArrayList<>();
        private final Map<String, Conv2d> convs = new LinkedHashMap<>();
        private final Map<String, BatchNorm> norms = new LinkedHashMap<>();
        private final Map<String, Linear> linears = new LinkedHashMap<>();

        Assembler(WeightInit init) {
            this.init = init;
        }

        Block vgg(VggSpec spec) {
            SequentialBlock net = new SequentialBlock();
            List<Integer> indices = spec.convIndices();
            int conv = 0;
            int in = spec.inChannels();
            for (int s = 0; s < spec.stages().size(); s++) {
                for (int width : spec.stages().get(s)) {
                    int idx = indices.get(conv++);
                    net.add(conv(VggSpec.featureName(idx), in, width, 3, 1, 1, true))
                            .add(norm(VggSpec.featureName(idx + 1)))
                            .add(Activation.reluBlock());
                    in = width;
                }
                if (s < spec.stages().size() - 1) {
                    net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                }
            }
            return net.add(Pool.globalAvgPool2dBlock())
                    .add(linear("classifier", in, spec.numClasses(), true));
        }

        Block resnet(ResNetSpec spec) {
            SequentialBlock net = new SequentialBlock();
            if (spec.stem() == ResNetSpec.StemType.CIFAR) {
                net.add(conv("conv1", spec.inChannels(), spec.stemWidth(), 3, 1, 1, false));
            } else {
                net.add(conv("conv1", spec.inChannels(), spec.stemWidth(), 7, 2, 3, false));
            }
            net.add(norm("bn1")).add(Activation.reluBlock());
            if (spec.stem() == ResNetSpec.StemType.IMAGENET) {
                net.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
            }
            int in = spec.stemWidth();
            for (int s = 0; s < spec.stages().size(); s++) {
                ResNetSpec.Stage stage = spec.stages().get(s);
                for (int b = 0; b < stage.blocks().size(); b++) {
                    int stride = b == 0 ? stage.stride() : 1;
                    net.add(residual(spec.blockType(), ResNetSpec.blockPrefix(s, b), stage.blocks().get(b), in,
                            stage.width(), stride));
                    in = stage.width();
                }
            }
            return net.add(Pool.globalAvgPool2dBlock())
                    .add(linear("fc", in, spec.numClasses(), spec.classifierBias()));
        }

        private Block residual(ResNetSpec.BlockType type, String prefix, ResNetSpec.BlockSpec block, int in,
                int out, int stride) {
            SequentialBlock main = new SequentialBlock();
            List<Integer> inner = block.innerWidths();
            if (type == ResNetSpec.BlockType.BASIC) {
                main.add(conv(prefix + ".conv1", in, inner.get(0), 3, stride, 1, false))
                        .add(norm(prefix + ".bn1"))
                        .add(Activation.reluBlock())
                        .add(conv(prefix + ".conv2", inner.get(0), out, 3, 1, 1, false))
                        .add(norm(prefix + ".bn2"));
            } else {
                main.add(conv(prefix + ".conv1", in, inner.get(0), 1, 1, 0, false))
                        .add(norm(prefix + ".bn1"))
                        .add(Activation.reluBlock())
                        .add(conv(prefix + ".conv2", inner.get(0), inner.get(1), 3, stride, 1, false))
                        .add(norm(prefix + ".bn2"))
                        .add(Activation.reluBlock())
                        .add(conv(prefix + ".conv3", inner.get(1), out, 1, 1, 0, false))
                        .add(norm(prefix + ".bn3"));
            }
            Block shortcut = block.projection()
                    ? new SequentialBlock()
                            .add(conv(prefix + ".shortcut.0", in, out, 1, stride, 0, false))
                            .add(norm(prefix + ".shortcut.1"))
                    : Blocks.identityBlock();
            return new ParallelBlock(
                    branches -> new NDList(Activation.relu(
                            branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()))),
                    List.of(main, shortcut));
        }

        private Conv2d conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias) {
            Conv2d conv = Conv2d.builder()
                    .setKernelShape(new Shape(kernel, kernel))
                    .setFilters(out)
                    .optStride(new Shape(stride, stride))
                    .optPadding(new Shape(padding, padding))
                    .optBias(bias)
                    .build();
            long fanIn = (long) in * kernel * kernel;
            conv.setInitializer(switch (init) {
                case VGG_CIFAR -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.OUT, 2);
                case KAIMING_FAN_IN, KAIMING_FAN_IN_CONV -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2);
                case PYTORCH_DEFAULT -> new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 1);
            }, "weight");
            if (bias) {
                conv.setInitializer(init == WeightInit.VGG_CIFAR ? Initializer.ZEROS : pytorchBias(fanIn), "bias");
            }
            convs.put(name, conv);
            weights.add(new MaskableWeight(name, new Shape(out, in, kernel, kernel), conv));
            return conv;
        }

        private BatchNorm norm(String name) {
            BatchNorm norm = BatchNorm.builder().build();
            norms.put(name, norm);
            return norm;
        }

        private Linear linear(String name, int in, int out, boolean bias) {
            Linear linear = Linear.builder().setUnits(out).optBias(bias).build();
            linear.setInitializer(switch (init) {
                case VGG_CIFAR -> new NormalInitializer(0.01f);
                case KAIMING_FAN_IN -> new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, 2);
                case KAIMING_FAN_IN_CONV, PYTORCH_DEFAULT -> new XavierInitializer(RandomType.UNIFORM, FactorType.IN, 1);
            }, "weight");
            if (bias) {
                linear.setInitializer(init == WeightInit.VGG_CIFAR ? Initializer.ZEROS : pytorchBias(in), "bias");
            }
            linears.put(name, linear);
            weights.add(new MaskableWeight(name, new Shape(out, in), linear));
            return linear;
        }

        /** PyTorch's default bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
        private static Initializer pytorchBias(long fanIn) {
            float bound = (float) (1 / Math.sqrt(fanIn));
            return (manager, shape, dataType) -> manager.randomUniform(-bound, bound, shape, dataType);
        }
    }
}
