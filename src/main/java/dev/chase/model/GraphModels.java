package dev.chase.model;

import dev.chase.ChaseException;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Built-in architectures described directly as graphs, CIFAR-sized (32x32 input, no stem
 * downsampling): ResNet-18 and ResNet-34 (basic blocks, projection shortcuts), WideResNet-22-2
 * and WRN-28-10 (pre-activation blocks, the DST literature's CIFAR workhorse), MobileNetV2
 * (inverted residuals with depthwise convolutions, CIFAR strides) and DenseNet-BC-100 (growth 12,
 * compression 0.5: concatenation). Layers carry PyTorch-style names. The width multiplier scales
 * every width (the growth rate for DenseNet) as {@code max(1, round(w * m))}.
 */
public final class GraphModels {
    private static final List<String> NAMES = List.of("resnet18", "resnet34", "wrn-22-2", "wrn-28-10", "mobilenetv2",
            "densenet-bc-100");

    private GraphModels() {}

    /** The names {@link #named} accepts. */
    public static List<String> names() {
        return NAMES;
    }

    /** Whether {@code name} is one of {@link #names()} (case-insensitive). */
    public static boolean isNamed(String name) {
        return name != null && NAMES.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * A named architecture as a graph.
     *
     * @throws ChaseException for an unknown name or an out-of-range argument
     */
    public static LayerGraph named(String name, int inChannels, int numClasses, double widthMultiplier) {
        SpecChecks.positive("input channels", inChannels);
        SpecChecks.positive("number of classes", numClasses);
        Builder b = new Builder(inChannels, new WidthMultiplier(widthMultiplier));
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "resnet18" -> b.resnet(new int[] {2, 2, 2, 2}, numClasses);
            case "resnet34" -> b.resnet(new int[] {3, 4, 6, 3}, numClasses);
            case "wrn-22-2" -> b.wideResnet(22, 2, numClasses);
            case "wrn-28-10" -> b.wideResnet(28, 10, numClasses);
            case "mobilenetv2" -> b.mobilenetV2(numClasses);
            case "densenet-bc-100" -> b.densenetBc(100, 12, numClasses);
            default -> throw new ChaseException("unknown graph architecture '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return new LayerGraph(b.nodes);
    }

    /** Appends nodes; every method returns the name of the node it added. */
    private static final class Builder {
        final List<Node> nodes = new ArrayList<>();
        final WidthMultiplier m;
        final int inChannels;

        Builder(int inChannels, WidthMultiplier m) {
            this.inChannels = inChannels;
            this.m = m;
            nodes.add(new Node.Input("input", inChannels, 32, 32));
        }

        int w(int width) {
            return m.apply(width);
        }

        String conv(String name, String from, int in, int out, int kernel, int stride, int groups) {
            nodes.add(new Node.Conv(name, from, in, out, kernel, stride, kernel / 2, 1, groups, false));
            return name;
        }

        String bn(String name, String from) {
            nodes.add(new Node.Norm(name, from));
            return name;
        }

        String relu(String name, String from) {
            nodes.add(new Node.Act(name, from, Node.Activation.RELU));
            return name;
        }

        String add(String name, String a, String b) {
            nodes.add(new Node.Add(name, List.of(a, b)));
            return name;
        }

        void head(String from, int features, int classes, String name) {
            nodes.add(new Node.GlobalAvgPool("avgpool", from));
            nodes.add(new Node.Linear(name, "avgpool", features, classes, true));
        }

        /** kuangliu/pytorch-cifar's ResNet with basic blocks: 3x3 stem, widths 64-512, 1x1 projection shortcuts. */
        void resnet(int[] blocks, int classes) {
            String x = relu("relu", bn("bn1", conv("conv1", "input", inChannels, w(64), 3, 1, 1)));
            int in = w(64);
            for (int stage = 0; stage < 4; stage++) {
                int planes = w(64 << stage);
                for (int i = 0; i < blocks[stage]; i++) {
                    String p = "layer" + (stage + 1) + "." + i + ".";
                    int stride = i == 0 && stage > 0 ? 2 : 1;
                    String a = relu(p + "relu1", bn(p + "bn1", conv(p + "conv1", x, in, planes, 3, stride, 1)));
                    String c = bn(p + "bn2", conv(p + "conv2", a, planes, planes, 3, 1, 1));
                    String shortcut = stride == 1 && in == planes ? x
                            : bn(p + "shortcut.1", conv(p + "shortcut.0", x, in, planes, 1, stride, 1));
                    x = relu(p + "relu2", add(p + "add", c, shortcut));
                    in = planes;
                }
            }
            head(x, in, classes, "linear");
        }

        /** Zagoruyko and Komodakis's WRN-d-k with pre-activation blocks (no dropout). */
        void wideResnet(int depth, int k, int classes) {
            int n = (depth - 4) / 6;
            String x = conv("conv1", "input", inChannels, w(16), 3, 1, 1);
            int in = w(16);
            for (int stage = 0; stage < 3; stage++) {
                int out = w((16 << stage) * k);
                for (int i = 0; i < n; i++) {
                    String p = "block" + (stage + 1) + ".layer." + i + ".";
                    int stride = i == 0 && stage > 0 ? 2 : 1;
                    String act = relu(p + "relu1", bn(p + "bn1", x));
                    String a = relu(p + "relu2", bn(p + "bn2", conv(p + "conv1", act, in, out, 3, stride, 1)));
                    String c = conv(p + "conv2", a, out, out, 3, 1, 1);
                    // equal widths: the identity of the block's input; otherwise a 1x1 conv of the activated input
                    String shortcut = in == out ? x : conv(p + "convShortcut", act, in, out, 1, stride, 1);
                    x = add(p + "add", c, shortcut);
                    in = out;
                }
            }
            head(relu("relu", bn("bn1", x)), in, classes, "fc");
        }

        /** kuangliu/pytorch-cifar's MobileNetV2: CIFAR strides, ReLU, a 1x1 conv shortcut where widths differ at stride 1. */
        void mobilenetV2(int classes) {
            int[][] cfg = {{1, 16, 1, 1}, {6, 24, 2, 1}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
            String x = relu("relu1", bn("bn1", conv("conv1", "input", inChannels, w(32), 3, 1, 1)));
            int in = w(32);
            int index = 0;
            for (int[] c : cfg) {
                int out = w(c[1]);
                for (int i = 0; i < c[2]; i++) {
                    String p = "layers." + index++ + ".";
                    int stride = i == 0 ? c[3] : 1;
                    int planes = c[0] * in;
                    String e = relu(p + "relu1", bn(p + "bn1", conv(p + "conv1", x, in, planes, 1, 1, 1)));
                    String d = relu(p + "relu2", bn(p + "bn2", conv(p + "conv2", e, planes, planes, 3, stride, planes)));
                    String y = bn(p + "bn3", conv(p + "conv3", d, planes, out, 1, 1, 1));
                    if (stride == 1) {
                        String shortcut = in == out ? x : bn(p + "shortcut.1", conv(p + "shortcut.0", x, in, out, 1, 1, 1));
                        y = add(p + "add", y, shortcut);
                    }
                    x = y;
                    in = out;
                }
            }
            x = relu("relu2", bn("bn2", conv("conv2", x, in, w(1280), 1, 1, 1)));
            head(x, w(1280), classes, "linear");
        }

        /** Huang et al.'s DenseNet-BC for CIFAR: 3 dense blocks of (depth - 4) / 6 bottleneck layers, compression 0.5. */
        void densenetBc(int depth, int growth, int classes) {
            int n = (depth - 4) / 6;
            int k = w(growth);
            String x = conv("conv1", "input", inChannels, 2 * k, 3, 1, 1);
            int in = 2 * k;
            for (int block = 1; block <= 3; block++) {
                for (int i = 0; i < n; i++) {
                    String p = "dense" + block + "." + i + ".";
                    String a = conv(p + "conv1", relu(p + "relu1", bn(p + "bn1", x)), in, 4 * k, 1, 1, 1);
                    String b = conv(p + "conv2", relu(p + "relu2", bn(p + "bn2", a)), 4 * k, k, 3, 1, 1);
                    nodes.add(new Node.Concat(p + "cat", List.of(x, b)));
                    x = p + "cat";
                    in += k;
                }
                if (block < 3) {
                    String p = "trans" + block + ".";
                    int out = in / 2;
                    String t = conv(p + "conv", relu(p + "relu", bn(p + "bn", x)), in, out, 1, 1, 1);
                    nodes.add(new Node.Pool(p + "pool", t, false, 2, 2, 0));
                    x = p + "pool";
                    in = out;
                }
            }
            head(relu("relu", bn("bn", x)), in, classes, "linear");
        }
    }
}
