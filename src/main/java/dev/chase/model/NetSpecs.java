package dev.chase.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.chase.ChaseException;
import dev.chase.graph.GraphFiles;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The model zoo and the JSON form of {@link NetSpec}. {@link #named} gives the architectures of
 * the paper and its reference code (CIFAR VGG-11/16/19, CIFAR ResNet-20/32/56, CIFAR ResNet-50 and
 * ImageNet ResNet-50) as layer lists, and the graph-built ones of {@link GraphModels} (their weights
 * drawn as the CIFAR ResNets' are), at any width multiplier; {@link #toJson}/{@link #fromJson} store and reload
 * any spec, including the narrower ones derived after channel pruning. Every user mistake (unknown
 * name, bad multiplier, malformed or invalid JSON) is a {@link ChaseException} with one clear
 * message.
 */
public final class NetSpecs {
    private static final List<String> LAYER_LIST_NAMES = List.of(
            "vgg11", "vgg16", "vgg19", "resnet20", "resnet32", "resnet56", "resnet50", "resnet50-imagenet");
    private static final List<String> NAMES = java.util.stream.Stream.concat(LAYER_LIST_NAMES.stream(),
            GraphModels.names().stream()).toList();
    private static final int M = 0; // max-pool marker in the VGG configurations below

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private NetSpecs() {}

    /** The names {@link #named} accepts. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A named architecture.
     *
     * @param name one of {@link #names()} (case-insensitive)
     * @param inChannels input image channels, at least 1
     * @param numClasses number of logits, at least 1
     * @param widthMultiplier factor in (0, 4] applied to every width: {@code max(1, round(w * m))}
     * @return the spec
     * @throws ChaseException for an unknown name or an out-of-range argument
     */
    public static NetSpec named(String name, int inChannels, int numClasses, double widthMultiplier) {
        SpecChecks.positive("input channels", inChannels);
        SpecChecks.positive("number of classes", numClasses);
        if (GraphFiles.isFile(name)) {
            if (widthMultiplier != 1) {
                throw new ChaseException("--width scales a built-in model; " + name + " declares its own widths");
            }
            return fromFile(name, inChannels, numClasses);
        }
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        WidthMultiplier w = new WidthMultiplier(widthMultiplier);
        return switch (key) {
            case "vgg11" -> vgg(inChannels, numClasses, w, 64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512);
            case "vgg16" -> vgg(inChannels, numClasses, w,
                    64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512);
            case "vgg19" -> vgg(inChannels, numClasses, w,
                    64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512);
            case "resnet20" -> cifarBasic(inChannels, numClasses, w, 3);
            case "resnet32" -> cifarBasic(inChannels, numClasses, w, 5);
            case "resnet56" -> cifarBasic(inChannels, numClasses, w, 9);
            case "resnet50" -> resnet50(inChannels, numClasses, w, ResNetSpec.StemType.CIFAR, 32,
                    WeightInit.PYTORCH_DEFAULT, false);
            case "resnet50-imagenet" -> resnet50(inChannels, numClasses, w, ResNetSpec.StemType.IMAGENET, 224,
                    WeightInit.KAIMING_FAN_IN_CONV, true);
            default -> GraphModels.isNamed(key)
                    ? new GraphSpec(WeightInit.KAIMING_FAN_IN, GraphModels.named(key, inChannels, numClasses, widthMultiplier))
                    : unknown(name);
        };
    }

    /**
     * The architecture in a {@code graph:PATH} or {@code onnx:PATH} file, its weights to be drawn as
     * PyTorch's defaults, with its input channels and class count set to the data's: the
     * convolutions that read the image get {@code inChannels} input channels, and the final linear
     * layer {@code numClasses} outputs (a model trained from scratch has no weights to keep there).
     *
     * @throws ChaseException if the file cannot be read, or cannot be adapted (a grouped convolution reads the image, or
     *     the graph does not end in a linear layer while the class counts differ)
     */
    public static GraphSpec fromFile(String model, int inChannels, int numClasses) {
        return fromFile(model, inChannels, numClasses, 0);
    }

    /**
     * {@link #fromFile(String, int, int)} on images of {@code imageSide} x {@code imageSide} pixels
     * (0: the file's own size): a network exported for 224x224 images trains on 32x32 ones if every
     * layer still fits (a global pooling before the classifier, not a flatten of a fixed map).
     *
     * @throws ChaseException also if the architecture does not fit images of that size, naming the layer
     */
    public static GraphSpec fromFile(String model, int inChannels, int numClasses, int imageSide) {
        return adapted(model, GraphFiles.read(model), inChannels, numClasses, imageSide);
    }

    /** {@link #fromFile(String, int, int, int)} on the graph already read from the file {@code model}. */
    public static GraphSpec adapted(String model, LayerGraph graph, int inChannels, int numClasses, int imageSide) {
        List<Node> nodes = new ArrayList<>(graph.nodes());
        if (!(nodes.get(0) instanceof Node.Input in)) {
            throw new ChaseException(model + ": the graph's first node must be its input");
        }
        boolean resized = imageSide > 0 && (in.height() != imageSide || in.width() != imageSide);
        nodes.set(0, new Node.Input(in.name(), inChannels, resized ? imageSide : in.height(), resized ? imageSide : in.width()));
        for (int i = 1; i < nodes.size(); i++) {
            if (nodes.get(i) instanceof Node.Conv c && c.input().equals(in.name()) && c.in() != inChannels) {
                if (c.groups() != 1) {
                    throw new ChaseException(model + ": grouped convolution " + c.name() + " reads the " + c.in()
                            + "-channel image; the data has " + inChannels + " channels");
                }
                nodes.set(i, new Node.Conv(c.name(), c.input(), inChannels, c.out(), c.kernel(), c.stride(), c.padding(),
                        c.dilation(), 1, c.bias()));
            }
        }
        Node last = nodes.get(nodes.size() - 1);
        if (last instanceof Node.Linear l && l.out() != numClasses) {
            nodes.set(nodes.size() - 1, new Node.Linear(l.name(), l.input(), l.in(), numClasses, l.bias()));
        } else if (!(last instanceof Node.Linear) && graph.channels().get(last.name()) != numClasses) {
            throw new ChaseException(model + ": the graph gives " + graph.channels().get(last.name()) + " outputs and ends in "
                    + last.name() + ", not a linear layer that could give the data's " + numClasses + " classes");
        }
        try {
            return new GraphSpec(WeightInit.PYTORCH_DEFAULT, new LayerGraph(nodes));
        } catch (ChaseException e) {
            if (!resized) {
                throw e;
            }
            throw new ChaseException(model + " is built for " + in.height() + "x" + in.width() + " images and does not fit the data's "
                    + imageSide + "x" + imageSide + ": " + e.getMessage().replaceFirst("^chase: ", ""));
        }
    }

    private static NetSpec unknown(String name) {
        throw new ChaseException("unknown model '" + name + "'; valid models: " + String.join(", ", NAMES));
    }

    /** Pretty-printed JSON of a spec, with its {@code family} ("vgg", "resnet" or "graph"). */
    public static String toJson(NetSpec spec) {
        try {
            return JSON.writerFor(NetSpec.class).writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + spec, e);
        }
    }

    /**
     * Reads a spec written by {@link #toJson}.
     *
     * @throws ChaseException if the text is not valid JSON or does not describe a valid spec
     */
    public static NetSpec fromJson(String json) {
        if (json == null || json.isBlank()) {
            throw new ChaseException("invalid network spec: the JSON text is empty");
        }
        try {
            return JSON.readValue(json, NetSpec.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof ChaseException ? cause.getMessage() : e.getOriginalMessage();
            throw new ChaseException("invalid network spec: " + why, e);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new ChaseException("invalid network spec JSON" + where + ": " + plain(e.getOriginalMessage()), e);
        }
    }

    /** Jackson's message without the hints aimed at Jackson users. */
    private static String plain(String message) {
        int hint = message.indexOf("; `DeserializationFeature");
        String text = hint < 0 ? message : message.substring(0, hint);
        return text.replace("Missing creator property", "missing property");
    }

    private static VggSpec vgg(int inChannels, int numClasses, WidthMultiplier w, int... cfg) {
        List<List<Integer>> stages = new ArrayList<>();
        List<Integer> stage = new ArrayList<>();
        for (int c : cfg) {
            if (c == M) {
                stages.add(stage);
                stage = new ArrayList<>();
            } else {
                stage.add(w.apply(c));
            }
        }
        stages.add(stage);
        return new VggSpec(inChannels, numClasses, 32, WeightInit.VGG_CIFAR, stages);
    }

    /** CIFAR ResNet-(6n+2): stem 16, stages 16/32/64 of n basic blocks, projections into stages 2 and 3. */
    private static ResNetSpec cifarBasic(int inChannels, int numClasses, WidthMultiplier w, int blocksPerStage) {
        int[] widths = {16, 32, 64};
        List<ResNetSpec.Stage> stages = new ArrayList<>();
        for (int s = 0; s < widths.length; s++) {
            int width = w.apply(widths[s]);
            List<ResNetSpec.BlockSpec> blocks = new ArrayList<>();
            for (int b = 0; b < blocksPerStage; b++) {
                blocks.add(new ResNetSpec.BlockSpec(List.of(width), s > 0 && b == 0));
            }
            stages.add(new ResNetSpec.Stage(s == 0 ? 1 : 2, width, blocks));
        }
        return new ResNetSpec(inChannels, numClasses, 32, WeightInit.KAIMING_FAN_IN, ResNetSpec.BlockType.BASIC,
                ResNetSpec.StemType.CIFAR, w.apply(16), stages, true);
    }

    /** ResNet-50: stem 64, bottleneck stages of [3, 4, 6, 3] blocks, planes 64..512 expanded 4x. */
    private static ResNetSpec resnet50(int inChannels, int numClasses, WidthMultiplier w, ResNetSpec.StemType stem,
            int inputSize, WeightInit init, boolean classifierBias) {
        int[] planes = {64, 128, 256, 512};
        int[] depth = {3, 4, 6, 3};
        List<ResNetSpec.Stage> stages = new ArrayList<>();
        for (int s = 0; s < planes.length; s++) {
            int inner = w.apply(planes[s]);
            List<ResNetSpec.BlockSpec> blocks = new ArrayList<>();
            for (int b = 0; b < depth[s]; b++) {
                blocks.add(new ResNetSpec.BlockSpec(Collections.nCopies(2, inner), b == 0));
            }
            stages.add(new ResNetSpec.Stage(s == 0 ? 1 : 2, w.apply(4 * planes[s]), blocks));
        }
        return new ResNetSpec(inChannels, numClasses, inputSize, init, ResNetSpec.BlockType.BOTTLENECK, stem,
                w.apply(64), stages, classifierBias);
    }
}
