package dev.chase.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.chase.ChaseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the architecture of a CNN classifier from an ONNX file as a {@link LayerGraph} ({@link
 * #read}): the operators, their attributes and the shapes of the weights; and, for {@code
 * --init-from-onnx}, the weights' stored values by node ({@link #weights}). Conv, Gemm and
 * BatchNormalization nodes are named after their weights as the exporter named them ({@code
 * layer1.0.conv1.weight} gives {@code layer1.0.conv1}). Anything the graph cannot express is
 * refused with one message naming the node, its operator and the reason: see {@link #SUPPORTED}
 * and docs/graphs.md.
 */
public final class OnnxImport {
    /** The operators read, for messages. */
    public static final String SUPPORTED = "Conv, BatchNormalization, Relu, Clip (as ReLU6), Sigmoid, HardSigmoid, HardSwish, "
            + "Add, Mul, Concat, MaxPool, AveragePool, GlobalAveragePool, Flatten, Gemm, Dropout, Identity, Constant, "
            + "Pad (all zero)";
    private static final long MAX_WEIGHT_ELEMENTS = Integer.MAX_VALUE;

    private final Path file;
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final Map<String, String> producers = new HashMap<>();
    private final Map<String, String> identitySources = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Set<String> names = new HashSet<>();

    /** Where each weight-owning node's parameters are stored: parameter name (as DJL's blocks call it) to tensor. */
    private final Map<String, Map<String, Stored>> stored = new LinkedHashMap<>();
    private final Map<String, Double> epsilons = new LinkedHashMap<>();

    /** A parameter's initializer, and whether it is stored transposed (a Gemm weight with transB 0). */
    private record Stored(String initializer, boolean transposed) {}

    /**
     * One stored weight tensor.
     *
     * @param shape its shape as stored
     * @param values its values, row-major
     * @param transposed whether DJL's parameter is its transpose (a Gemm weight stored as (in, out), transB 0)
     */
    public record Tensor(long[] shape, float[] values, boolean transposed) {}

    /**
     * The stored values of an ONNX file's weights.
     *
     * @param tensors by node name, then parameter name ({@code weight}, {@code bias}; {@code gamma},
     *     {@code beta}, {@code runningMean}, {@code runningVar} for a BatchNorm)
     * @param normEpsilons each BatchNorm's epsilon in the file
     */
    public record Weights(Map<String, Map<String, Tensor>> tensors, Map<String, Double> normEpsilons) {}

    private OnnxImport(Path file) {
        this.file = file;
    }

    /** The architecture in {@code file}; a {@link ChaseException} naming the file for anything it cannot read. */
    public static LayerGraph read(Path file) {
        return new OnnxImport(file).graph(parse(file));
    }

    /**
     * The stored weights of the conv, BatchNorm and linear nodes of {@link #read}'s graph.
     *
     * @throws ChaseException if the file cannot be read, or a weight's values are missing (a file
     *     exported without them), external, or not 32-bit floats
     */
    public static Weights weights(Path file) {
        OnnxImport in = new OnnxImport(file);
        in.graph(parse(file));
        Map<String, Map<String, Tensor>> tensors = new LinkedHashMap<>();
        in.stored.forEach((node, params) -> {
            Map<String, Tensor> values = new LinkedHashMap<>();
            params.forEach((param, at) -> values.put(param, in.tensor(node, at)));
            tensors.put(node, values);
        });
        return new Weights(tensors, Map.copyOf(in.epsilons));
    }

    private Tensor tensor(String node, Stored at) {
        TensorProto t = initializers.get(at.initializer());
        String what = "weight " + at.initializer() + " of " + node;
        if (t == null) {
            throw fail("computes " + what + " instead of storing it");
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw fail("keeps " + what + " in an external file; chase reads weights stored in the model file");
        }
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw fail("stores " + what + " as data type " + t.getDataType() + "; chase reads 32-bit floats");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : dims) {
            count *= d;
            if (d < 0 || count > MAX_WEIGHT_ELEMENTS) {
                throw fail("declares " + what + " with shape " + t.getDimsList());
            }
        }
        float[] values = new float[(int) count];
        if (t.getFloatDataCount() == count) {
            for (int i = 0; i < count; i++) {
                values[i] = t.getFloatData(i);
            }
        } else if (t.getRawData().size() == 4 * count) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else {
            throw fail("stores no values for " + what + " (" + count + " expected); was it exported without its weights?");
        }
        return new Tensor(dims, values, at.transposed());
    }

    private static ModelProto parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ChaseException("onnx file " + file + " does not exist");
        } catch (IOException | OutOfMemoryError e) {
            throw new ChaseException("onnx file " + file + " cannot be read: " + e.getMessage());
        }
        try {
            return ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ChaseException("onnx file " + file + " is not an ONNX model (" + e.getMessage() + ")");
        }
    }

    private LayerGraph graph(ModelProto model) {
        GraphProto g = model.getGraph();
        if (g.getNodeCount() == 0) {
            throw fail("has no nodes (is it an ONNX model?)");
        }
        g.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        ValueInfoProto input = g.getInputList().stream().filter(v -> !initializers.containsKey(v.getName())).findFirst()
                .orElseThrow(() -> fail("has no input that is not a weight"));
        add(imageInput(input, model), input.getName());
        for (NodeProto n : g.getNodeList()) {
            read(n);
        }
        if (g.getOutputCount() != 1) {
            throw fail("has " + g.getOutputCount() + " outputs; chase reads classifiers with one output");
        }
        String out = producer(g.getOutput(0).getName(), "the graph's output");
        if (!out.equals(nodes.get(nodes.size() - 1).name())) {
            throw fail("computes nodes after its output " + g.getOutput(0).getName() + " that the output does not use");
        }
        try {
            return new LayerGraph(nodes);
        } catch (ChaseException e) {
            throw fail(e.getMessage().replaceFirst("^chase: ", ""));
        }
    }

    /**
     * The image input: (N, C, H, W) with known C, H and W; free H and W are taken from the {@code
     * input-size} metadata that chase's own exports carry.
     */
    private Node.Input imageInput(ValueInfoProto input, ModelProto model) {
        List<TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
        long[] chw = new long[3];
        for (int k = 0; k < 3 && dims.size() == 4; k++) {
            TensorShapeProto.Dimension d = dims.get(k + 1);
            chw[k] = d.hasDimValue() ? d.getDimValue() : k > 0 ? exportedInputSize(model) : 0;
        }
        if (dims.size() != 4 || Arrays.stream(chw).anyMatch(d -> d <= 0 || d > 1 << 16)) {
            throw fail("input " + input.getName() + " is not an image batch (N, C, H, W) with known C, H and W (export it with a"
                    + " fixed image size)");
        }
        return new Node.Input(fresh(input.getName()), (int) chw[0], (int) chw[1], (int) chw[2]);
    }

    /** The image side in the metadata of a chase export, or 0. */
    private static long exportedInputSize(ModelProto model) {
        return model.getMetadataPropsList().stream().filter(p -> p.getKey().equals("input-size")).findFirst()
                .map(p -> p.getValue().matches("[0-9]{1,5}") ? Long.parseLong(p.getValue()) : 0L).orElse(0L);
    }

    private void read(NodeProto n) {
        String op = n.getOpType();
        switch (op) {
            case "Constant" -> constants.put(n.getOutput(0), attribute(n, "value").getT());
            case "Identity", "Dropout" -> {
                if (op.equals("Identity") && !producers.containsKey(n.getInput(0))) {
                    identitySources.put(n.getOutput(0), n.getInput(0)); // an alias of a weight
                    return;
                }
                if (op.equals("Dropout") && n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
                    throw refuse(n, "its mask output is used");
                }
                String in = producer(n.getInput(0), describe(n));
                if (op.equals("Identity")) {
                    producers.put(n.getOutput(0), in);
                } else {
                    add(new Node.Dropout(fresh(outputName(n)), in, dropoutRatio(n)), n.getOutput(0));
                }
            }
            case "Pad" -> {
                if (n.getInputCount() < 2 || values(n, n.getInput(1)).stream().anyMatch(v -> v != 0)) {
                    throw refuse(n, "only all-zero padding is read (pad in the Conv or pool instead)");
                }
                producers.put(n.getOutput(0), producer(n.getInput(0), describe(n)));
            }
            case "Conv" -> conv(n);
            case "BatchNormalization" -> {
                if (n.getOutputCount() > 1) {
                    throw refuse(n, "it was exported in training mode (export with the model in eval mode)");
                }
                String name = fresh(layerName(n, 1));
                add(new Node.Norm(name, producer(n.getInput(0), describe(n))), n.getOutput(0));
                store(name, n, Map.of("gamma", 1, "beta", 2, "runningMean", 3, "runningVar", 4), false);
                epsilons.put(name, (double) floatAttribute(n, "epsilon", 1e-5f));
            }
            case "Relu" -> activation(n, Node.Activation.RELU);
            case "Sigmoid" -> activation(n, Node.Activation.SIGMOID);
            case "HardSwish" -> activation(n, Node.Activation.HARD_SWISH);
            case "HardSigmoid" -> {
                if (Math.abs(floatAttribute(n, "alpha", 0.2f) - 1 / 6f) > 1e-6 || Math.abs(floatAttribute(n, "beta", 0.5f) - 0.5f) > 1e-6) {
                    throw refuse(n, "only alpha 1/6 and beta 0.5 (PyTorch's Hardsigmoid) are read");
                }
                activation(n, Node.Activation.HARD_SIGMOID);
            }
            case "Clip" -> {
                double min = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? scalar(n, n.getInput(1)) : floatAttribute(n, "min", Float.NaN);
                double max = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? scalar(n, n.getInput(2)) : floatAttribute(n, "max", Float.NaN);
                if (min != 0 || max != 6) {
                    throw refuse(n, "only Clip(0, 6), a ReLU6, is read; this one clips to [" + min + ", " + max + "]");
                }
                activation(n, Node.Activation.RELU6);
            }
            case "Add" -> add(new Node.Add(fresh(outputName(n)), tensors(n)), n.getOutput(0));
            case "Concat" -> {
                long axis = intAttribute(n, "axis", 1);
                if (axis != 1 && axis != -3) {
                    throw refuse(n, "only concatenation along channels (axis 1) is read, not axis " + axis);
                }
                add(new Node.Concat(fresh(outputName(n)), tensors(n)), n.getOutput(0));
            }
            case "Mul" -> mul(n);
            case "MaxPool", "AveragePool" -> pool(n);
            case "GlobalAveragePool" -> add(new Node.GlobalAvgPool(fresh(outputName(n)), producer(n.getInput(0), describe(n))),
                    n.getOutput(0));
            case "Flatten" -> {
                if (intAttribute(n, "axis", 1) != 1) {
                    throw refuse(n, "only Flatten with axis 1 is read");
                }
                add(new Node.Flatten(fresh(outputName(n)), producer(n.getInput(0), describe(n))), n.getOutput(0));
            }
            case "Gemm" -> gemm(n);
            default -> throw refuse(n, "this operator is not read; chase reads " + SUPPORTED);
        }
    }

    private void conv(NodeProto n) {
        long[] w = weightDims(n, 1, 4);
        List<Long> kernel = ints(n, "kernel_shape", List.of(w[2], w[3]));
        List<Long> strides = ints(n, "strides", List.of(1L, 1L));
        List<Long> pads = ints(n, "pads", List.of(0L, 0L, 0L, 0L));
        List<Long> dilations = ints(n, "dilations", List.of(1L, 1L));
        String autoPad = attributeOrNull(n, "auto_pad") == null ? "NOTSET" : attribute(n, "auto_pad").getS().toStringUtf8();
        if (!autoPad.equals("NOTSET")) {
            throw refuse(n, "auto_pad " + autoPad + " is not read (export with explicit pads)");
        }
        if (w[2] != w[3] || !same(kernel) || !same(strides) || !same(pads) || !same(dilations) || kernel.get(0) != w[2]) {
            throw refuse(n, "only square kernels with equal strides, dilations and padding on every side are read (kernel "
                    + kernel + ", strides " + strides + ", pads " + pads + ", dilations " + dilations + ")");
        }
        long groups = intAttribute(n, "group", 1);
        boolean bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
        String name = fresh(layerName(n, 1));
        add(new Node.Conv(name, producer(n.getInput(0), describe(n)), toInt(n, w[1] * groups),
                toInt(n, w[0]), toInt(n, w[2]), toInt(n, strides.get(0)), toInt(n, pads.get(0)), toInt(n, dilations.get(0)),
                toInt(n, groups), bias), n.getOutput(0));
        store(name, n, bias ? Map.of("weight", 1, "bias", 2) : Map.of("weight", 1), false);
    }

    private void gemm(NodeProto n) {
        if (intAttribute(n, "transA", 0) != 0 || floatAttribute(n, "alpha", 1f) != 1f || floatAttribute(n, "beta", 1f) != 1f) {
            throw refuse(n, "only Gemm as a linear layer (transA 0, alpha 1, beta 1) is read");
        }
        long[] w = weightDims(n, 1, 2);
        boolean transposed = intAttribute(n, "transB", 0) == 1;
        long in = transposed ? w[1] : w[0];
        long out = transposed ? w[0] : w[1];
        boolean bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
        String name = fresh(layerName(n, 1));
        add(new Node.Linear(name, producer(n.getInput(0), describe(n)), toInt(n, in), toInt(n, out), bias), n.getOutput(0));
        store(name, n, Map.of("weight", 1), !transposed);
        if (bias) {
            store(name, n, Map.of("bias", 2), false);
        }
    }

    private void mul(NodeProto n) {
        List<String> in = tensors(n);
        if (in.size() != 2) {
            throw refuse(n, "only the product of two tensors is read");
        }
        Map<String, Shape> shapes = shapes();
        Shape a = shapes.get(in.get(0));
        Shape b = shapes.get(in.get(1));
        long areaA = (long) a.height() * a.width();
        long areaB = (long) b.height() * b.width();
        // A gate is the smaller map; at equal sizes (1x1 maps of a small input) it is the one a sigmoid made.
        boolean firstIsGate = areaA < areaB || areaA == areaB && isGate(in.get(0)) && !isGate(in.get(1));
        String input = firstIsGate ? in.get(1) : in.get(0);
        String gate = firstIsGate ? in.get(0) : in.get(1);
        add(new Node.Mul(fresh(outputName(n)), input, gate), n.getOutput(0));
    }

    /** Whether the node called {@code name} is a sigmoid or hard sigmoid: what computes a gate. */
    private boolean isGate(String name) {
        return nodes.stream().anyMatch(n -> n.name().equals(name) && n instanceof Node.Act act
                && (act.kind() == Node.Activation.SIGMOID || act.kind() == Node.Activation.HARD_SIGMOID));
    }

    private void pool(NodeProto n) {
        boolean max = n.getOpType().equals("MaxPool");
        List<Long> kernel = ints(n, "kernel_shape", List.of());
        List<Long> strides = ints(n, "strides", List.of(1L, 1L));
        List<Long> pads = ints(n, "pads", List.of(0L, 0L, 0L, 0L));
        if (kernel.size() != 2 || !same(kernel) || !same(strides) || !same(pads)
                || !same(ints(n, "dilations", List.of(1L, 1L))) || ints(n, "dilations", List.of(1L, 1L)).get(0) != 1) {
            throw refuse(n, "only square windows with equal strides and padding on every side are read");
        }
        if (intAttribute(n, "ceil_mode", 0) != 0) {
            throw refuse(n, "ceil_mode pooling is not read (chase pools with floor rounding, as PyTorch does by default)");
        }
        if (!max && pads.get(0) > 0 && intAttribute(n, "count_include_pad", 0) == 0) {
            throw refuse(n, "padded average pooling that leaves the padding out of the count is not read");
        }
        add(new Node.Pool(fresh(outputName(n)), producer(n.getInput(0), describe(n)), max, toInt(n, kernel.get(0)),
                toInt(n, strides.get(0)), toInt(n, pads.get(0))), n.getOutput(0));
    }

    private void activation(NodeProto n, Node.Activation kind) {
        add(new Node.Act(fresh(outputName(n)), producer(n.getInput(0), describe(n)), kind), n.getOutput(0));
    }

    /** The shape after every node added so far; each node's is inferred once. */
    private Map<String, Shape> shapes() {
        try {
            for (int i = shapes.size(); i < nodes.size(); i++) {
                shapes.put(nodes.get(i).name(), LayerGraph.shapeOf(nodes.get(i), shapes));
            }
        } catch (ChaseException e) {
            throw fail(e.getMessage().replaceFirst("^chase: ", ""));
        }
        return shapes;
    }

    private void add(Node node, String output) {
        nodes.add(node);
        producers.put(output, node.name());
    }

    /** The graph node computing ONNX value {@code value}. */
    private String producer(String value, String reader) {
        String node = producers.get(value);
        if (node == null) {
            throw fail(reader + " reads " + value + (initializers.containsKey(value) || constants.containsKey(value)
                    ? ", a weight or constant, where chase expects an activation"
                    : ", which no earlier node computes (a dangling name, or nodes not in topological order)"));
        }
        return node;
    }

    /** The graph nodes of the node's tensor inputs. */
    /** Records where the parameters of node {@code name} are stored: parameter name to the input of {@code n} holding it. */
    private void store(String name, NodeProto n, Map<String, Integer> inputs, boolean transposed) {
        Map<String, Stored> params = stored.computeIfAbsent(name, k -> new LinkedHashMap<>());
        inputs.forEach((param, index) -> params.put(param, new Stored(weightSource(n.getInput(index)), transposed)));
    }

    private List<String> tensors(NodeProto n) {
        return n.getInputList().stream().map(v -> producer(v, describe(n))).toList();
    }

    private long[] weightDims(NodeProto n, int index, int rank) {
        if (n.getInputCount() <= index) {
            throw refuse(n, "it has no weight input");
        }
        TensorProto t = initializers.get(weightSource(n.getInput(index)));
        if (t == null) {
            throw refuse(n, "its weight " + n.getInput(index) + " is computed, not stored in the file");
        }
        long elements = 1;
        for (long d : t.getDimsList()) {
            if (d <= 0 || d > MAX_WEIGHT_ELEMENTS) {
                throw refuse(n, "its weight has shape " + t.getDimsList());
            }
            elements *= d;
            if (elements > MAX_WEIGHT_ELEMENTS) {
                throw refuse(n, "its weight has shape " + t.getDimsList() + ", more than " + MAX_WEIGHT_ELEMENTS + " values");
            }
        }
        if (t.getDimsCount() != rank) {
            throw refuse(n, "its weight has shape " + t.getDimsList() + ", not rank " + rank);
        }
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** The initializer behind a value, following Identity nodes (exporters alias shared weights with them). */
    private String weightSource(String value) {
        String v = value;
        for (int hops = 0; !initializers.containsKey(v) && hops < 1000; hops++) {
            String next = identitySources.get(v);
            if (next == null) {
                return v;
            }
            v = next;
        }
        return v;
    }

    private String layerName(NodeProto n, int weightInput) {
        String weight = n.getInputCount() > weightInput ? n.getInput(weightInput) : "";
        if (weight.endsWith(".weight")) {
            return weight.substring(0, weight.length() - ".weight".length());
        }
        return outputName(n);
    }

    private static String outputName(NodeProto n) {
        return n.getName().isEmpty() ? n.getOutput(0) : n.getName();
    }

    /** {@code base}, or {@code base#2}, {@code base#3}... if a node already has that name. */
    private String fresh(String base) {
        String name = base.isEmpty() ? "node" : base;
        for (int k = 2; !names.add(name); k++) {
            name = base + "#" + k;
        }
        return name;
    }

    private float dropoutRatio(NodeProto n) {
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            return (float) scalar(n, n.getInput(1));
        }
        return floatAttribute(n, "ratio", 0.5f);
    }

    private double scalar(NodeProto n, String value) {
        List<Double> v = values(n, value);
        if (v.size() != 1) {
            throw refuse(n, "its input " + value + " is not a single number");
        }
        return v.get(0);
    }

    /** The numbers of a constant or small initializer. */
    private List<Double> values(NodeProto n, String value) {
        TensorProto t = constants.containsKey(value) ? constants.get(value) : initializers.get(weightSource(value));
        if (t == null) {
            throw refuse(n, "its input " + value + " is computed; chase reads it only as a constant");
        }
        List<Double> out = new ArrayList<>();
        t.getFloatDataList().forEach(f -> out.add(f.doubleValue()));
        t.getInt64DataList().forEach(l -> out.add(l.doubleValue()));
        t.getInt32DataList().forEach(i -> out.add(i.doubleValue()));
        t.getDoubleDataList().forEach(out::add);
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (t.getDataType()) {
            case 1 -> { // FLOAT
                while (raw.remaining() >= 4) {
                    out.add((double) raw.getFloat());
                }
            }
            case 7 -> { // INT64
                while (raw.remaining() >= 8) {
                    out.add((double) raw.getLong());
                }
            }
            case 6 -> { // INT32
                while (raw.remaining() >= 4) {
                    out.add((double) raw.getInt());
                }
            }
            case 11 -> { // DOUBLE
                while (raw.remaining() >= 8) {
                    out.add(raw.getDouble());
                }
            }
            default -> {
                if (raw.hasRemaining()) {
                    throw refuse(n, "its input " + value + " has data type " + t.getDataType() + ", not a number type chase reads");
                }
            }
        }
        return out;
    }

    private static AttributeProto attributeOrNull(NodeProto n, String name) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
    }

    private AttributeProto attribute(NodeProto n, String name) {
        AttributeProto a = attributeOrNull(n, name);
        if (a == null) {
            throw refuse(n, "it has no attribute " + name);
        }
        return a;
    }

    private static long intAttribute(NodeProto n, String name, long otherwise) {
        AttributeProto a = attributeOrNull(n, name);
        return a == null ? otherwise : a.getI();
    }

    private static float floatAttribute(NodeProto n, String name, float otherwise) {
        AttributeProto a = attributeOrNull(n, name);
        return a == null ? otherwise : a.getF();
    }

    private static List<Long> ints(NodeProto n, String name, List<Long> otherwise) {
        AttributeProto a = attributeOrNull(n, name);
        return a == null ? otherwise : a.getIntsList();
    }

    private static boolean same(List<Long> values) {
        return values.stream().distinct().count() <= 1;
    }

    private int toInt(NodeProto n, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw refuse(n, "it has a size of " + value);
        }
        return (int) value;
    }

    private static String describe(NodeProto n) {
        return "node " + (n.getName().isEmpty() ? (n.getOutputCount() > 0 ? n.getOutput(0) : "(unnamed)") : n.getName())
                + " (" + n.getOpType() + ")";
    }

    private ChaseException refuse(NodeProto n, String why) {
        return fail(describe(n) + ": " + why);
    }

    private ChaseException fail(String what) {
        return new ChaseException("onnx file " + file + ": " + what);
    }
}
