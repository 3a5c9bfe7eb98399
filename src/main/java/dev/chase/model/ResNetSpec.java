package dev.chase.model;

import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A ResNet: a stem, stages of residual blocks, global average pooling and a linear classifier.
 * All convs are bias-free and followed by BatchNorm. A {@link BlockType#BASIC} block is conv1 3x3
 * (stride s), BN, ReLU, conv2 3x3, BN; a {@link BlockType#BOTTLENECK} block is conv1 1x1, BN, ReLU,
 * conv2 3x3 (stride s), BN, ReLU, conv3 1x1 to the stage width, BN; both add the shortcut (identity,
 * or a projection: 1x1 conv with stride s and BN) and apply ReLU. Only a stage's first block has
 * the stage stride and may have a projection; an identity shortcut needs stride 1 and equal widths.
 * Layers are named like torchvision: {@code conv1}/{@code bn1} (stem), {@code layer<s>.<b>.conv1},
 * {@code .bn1}, ..., {@code layer<s>.<b>.shortcut.0} (conv) and {@code .shortcut.1} (BN), and {@code
 * fc}. Channel groups: one {@link ChannelGroup.Kind#INTERNAL} group per inner conv of a block
 * (named after it), and one {@link ChannelGroup.Kind#STREAM} group {@code stream<k>} per residual
 * stream: stream 0 starts at the stem, each projection shortcut starts the next one.
 *
 * @param inChannels input image channels
 * @param numClasses number of logits
 * @param inputSize nominal input side (32 for CIFAR, 224 for ImageNet)
 * @param init weight initialisation scheme
 * @param blockType basic or bottleneck blocks
 * @param stem CIFAR or ImageNet stem
 * @param stemWidth output channels of the stem conv
 * @param stages the stages, in forward order
 * @param classifierBias whether {@code fc} has a bias
 */
public record ResNetSpec(
        int inChannels,
        int numClasses,
        int inputSize,
        WeightInit init,
        BlockType blockType,
        StemType stem,
        int stemWidth,
        List<Stage> stages,
        boolean classifierBias)
        implements LayerListSpec {

    /** The residual block layout. */
    public enum BlockType {
        /** Two 3x3 convs. */
        BASIC(1),
        /** 1x1, 3x3, 1x1 convs; the stride sits on the 3x3. */
        BOTTLENECK(2);

        private final int innerConvs;

        BlockType(int innerConvs) {
            this.innerConvs = innerConvs;
        }

        /** Number of inner widths of one block (convs before the block's output conv). */
        public int innerConvs() {
            return innerConvs;
        }
    }

    /** The layers before the first stage. */
    public enum StemType {
        /** 3x3 conv, stride 1, padding 1; no max-pool. */
        CIFAR,
        /** 7x7 conv, stride 2, padding 3, then 3x3 max-pool with stride 2 and padding 1. */
        IMAGENET
    }

    /**
     * One stage of residual blocks sharing an output (stream) width.
     *
     * @param stride stride of the stage's first block
     * @param width output channels of every block of the stage
     * @param blocks the blocks
     */
    public record Stage(int stride, int width, List<BlockSpec> blocks) {
        public Stage {
            SpecChecks.positive("stage stride", stride);
            SpecChecks.positive("stage width", width);
            SpecChecks.present("stage blocks", blocks);
            if (blocks.isEmpty()) {
                throw new ChaseException("a ResNet stage needs at least one block");
            }
            for (BlockSpec b : blocks) {
                SpecChecks.present("a stage block", b);
            }
            blocks = List.copyOf(blocks);
        }
    }

    /**
     * One residual block.
     *
     * @param innerWidths output channels of the inner convs (one for basic, two for bottleneck)
     * @param projection whether the shortcut is a 1x1 conv + BN rather than the identity
     */
    public record BlockSpec(List<Integer> innerWidths, boolean projection) {
        public BlockSpec {
            innerWidths = SpecChecks.widths("block inner widths", innerWidths);
        }
    }

    public ResNetSpec {
        SpecChecks.common(inChannels, numClasses, inputSize, init);
        SpecChecks.present("blockType", blockType);
        SpecChecks.present("stem", stem);
        SpecChecks.positive("stemWidth", stemWidth);
        SpecChecks.present("stages", stages);
        if (stages.isEmpty()) {
            throw new ChaseException("a ResNet needs at least one stage");
        }
        int inWidth = stemWidth;
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = SpecChecks.present("a stage", stages.get(s));
            for (int b = 0; b < stage.blocks().size(); b++) {
                BlockSpec block = stage.blocks().get(b);
                String where = blockPrefix(s, b);
                if (block.innerWidths().size() != blockType.innerConvs()) {
                    throw new ChaseException(where + ": a " + blockType + " block needs " + blockType.innerConvs()
                            + " inner width(s), got " + block.innerWidths().size());
                }
                int stride = b == 0 ? stage.stride() : 1;
                if (b > 0 && block.projection()) {
                    throw new ChaseException(where + ": only the first block of a stage may have a projection shortcut");
                }
                if (!block.projection() && (stride != 1 || inWidth != stage.width())) {
                    throw new ChaseException(where + ": an identity shortcut needs stride 1 and equal widths (in "
                            + inWidth + ", out " + stage.width() + ", stride " + stride
                            + "); use a projection shortcut");
                }
                inWidth = stage.width();
            }
        }
        stages = List.copyOf(stages);
    }

    /** {@code layer<s+1>.<b>}: the torchvision-style prefix of block b of stage s (0-based). */
    static String blockPrefix(int stage, int block) {
        return "layer" + (stage + 1) + "." + block;
    }

    @Override
    public List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        if (stem == StemType.CIFAR) {
            layers.add(new Layer.Conv("conv1", inChannels, stemWidth, 3, 1, 1, false));
        } else {
            layers.add(new Layer.Conv("conv1", inChannels, stemWidth, 7, 2, 3, false));
        }
        layers.add(new Layer.Norm("bn1"));
        layers.add(new Layer.Relu());
        if (stem == StemType.IMAGENET) {
            layers.add(new Layer.MaxPool(3, 2, 1));
        }
        int in = stemWidth;
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            for (int b = 0; b < stage.blocks().size(); b++) {
                int stride = b == 0 ? stage.stride() : 1;
                layers.add(residual(blockPrefix(s, b), stage.blocks().get(b), in, stage.width(), stride));
                in = stage.width();
            }
        }
        layers.add(new Layer.GlobalAvgPool());
        layers.add(new Layer.Linear("fc", in, numClasses, classifierBias));
        return layers;
    }

    private Layer.Residual residual(String prefix, BlockSpec block, int in, int out, int stride) {
        List<Integer> inner = block.innerWidths();
        List<Layer> main = blockType == BlockType.BASIC
                ? List.of(
                        new Layer.Conv(prefix + ".conv1", in, inner.get(0), 3, stride, 1, false),
                        new Layer.Norm(prefix + ".bn1"),
                        new Layer.Relu(),
                        new Layer.Conv(prefix + ".conv2", inner.get(0), out, 3, 1, 1, false),
                        new Layer.Norm(prefix + ".bn2"))
                : List.of(
                        new Layer.Conv(prefix + ".conv1", in, inner.get(0), 1, 1, 0, false),
                        new Layer.Norm(prefix + ".bn1"),
                        new Layer.Relu(),
                        new Layer.Conv(prefix + ".conv2", inner.get(0), inner.get(1), 3, stride, 1, false),
                        new Layer.Norm(prefix + ".bn2"),
                        new Layer.Relu(),
                        new Layer.Conv(prefix + ".conv3", inner.get(1), out, 1, 1, 0, false),
                        new Layer.Norm(prefix + ".bn3"));
        List<Layer> shortcut = block.projection()
                ? List.of(new Layer.Conv(prefix + ".shortcut.0", in, out, 1, stride, 0, false),
                        new Layer.Norm(prefix + ".shortcut.1"))
                : List.of();
        return new Layer.Residual(main, shortcut);
    }

    /** Index of the residual stream that stage s writes: projections start new streams. */
    private int streamOfStage(int stage) {
        int stream = 0;
        for (int s = 0; s <= stage; s++) {
            if (stages.get(s).blocks().get(0).projection()) {
                stream++;
            }
        }
        return stream;
    }

    private static String streamName(int stream) {
        return "stream" + stream;
    }

    @Override
    public List<ChannelGroup> channelGroups() {
        return SpecGraphs.groups(this);
    }

    @Override
    public ResNetSpec withGroupWidths(Map<String, Integer> widths) {
        SpecChecks.groupWidths(widths, channelGroups());
        List<Stage> newStages = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            List<BlockSpec> blocks = new ArrayList<>();
            for (int b = 0; b < stage.blocks().size(); b++) {
                BlockSpec block = stage.blocks().get(b);
                List<Integer> inner = new ArrayList<>();
                for (int i = 0; i < block.innerWidths().size(); i++) {
                    String group = blockPrefix(s, b) + ".conv" + (i + 1);
                    inner.add(widths.getOrDefault(group, block.innerWidths().get(i)));
                }
                blocks.add(new BlockSpec(inner, block.projection()));
            }
            int width = widths.getOrDefault(streamName(streamOfStage(s)), stage.width());
            newStages.add(new Stage(stage.stride(), width, blocks));
        }
        int newStem = widths.getOrDefault(streamName(0), stemWidth);
        return new ResNetSpec(inChannels, numClasses, inputSize, init, blockType, stem, newStem, newStages,
                classifierBias);
    }
}
