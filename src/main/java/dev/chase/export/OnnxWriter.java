package dev.chase.export;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.UnsafeByteOperations;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.io.AtomicFiles;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Network} as an ONNX model (IR version 7, opset 13): the eval-mode graph of
 * {@link NetSpec#graph()} with the network's current parameters as initializers. BatchNorm uses
 * the running statistics and {@link Network#BATCH_NORM_EPSILON}; a linear layer is Gemm behind a
 * Flatten; ReLU6 is Clip, SiLU and HardSwish are products with Sigmoid and HardSigmoid; dropout is
 * left out. The input {@value #INPUT} is a float (batch, channels, height, width) image batch,
 * normalised as in training, with batch, height and width left symbolic; the output {@value
 * #OUTPUT} holds the (batch, classes) logits, no softmax. Initializers are named like PyTorch's
 * state dict ({@code layer1.0.bn1.running_mean}), and the model's metadata holds the architecture
 * as JSON under {@code netspec}.
 */
public final class OnnxWriter {
    /** The operator set the graph is written for. */
    public static final int OPSET = 13;
    /** Name of the graph input. */
    public static final String INPUT = "input";
    /** Name of the graph output. */
    public static final String OUTPUT = "logits";
    /**
     * The metadata key of the side of the square images the network was built for: the graph leaves
     * height and width free, and an importer needs them ({@code OnnxImport} reads this key).
     */
    public static final String INPUT_SIZE = "input-size";
    // IR version 7 is the one that introduced opset 13 (ONNX 1.8), so older runtimes read it too.
    private static final long IR_VERSION = 7;

    private final Network network;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    /** The ONNX tensor holding each graph node's output. */
    private final Map<String, String> tensors = new HashMap<>();
    /** Whether each graph node's output travels as (N, features) ({@link LayerGraph#flatOutputs()}). */
    private Map<String, Boolean> flat;
    private int unnamed;

    private OnnxWriter(Network network) {
        this.network = network;
    }

    /**
     * The ONNX model of an initialised network.
     *
     * @param graphName name stored in the graph (e.g. {@code shrunk})
     */
    public static ModelProto model(Network network, String graphName) {
        OnnxWriter writer = new OnnxWriter(network);
        NetSpec spec = network.spec();
        writer.graph.setName(graphName)
                .addInput(valueInfo(INPUT, dim("batch"), dim(spec.inChannels()), dim("height"), dim("width")))
                .addOutput(valueInfo(OUTPUT, dim("batch"), dim(spec.numClasses())));
        String logits = writer.nodes(spec.graph());
        writer.graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(OUTPUT).addInput(logits).addOutput(OUTPUT));
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("chase")
                .setProducerVersion(producerVersion())
                .setGraph(writer.graph)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("netspec").setValue(NetSpecs.toJson(spec)))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey(INPUT_SIZE).setValue(Integer.toString(spec.inputSize())))
                .build();
    }

    /** Writes {@link #model} to {@code target} atomically and returns the file's size in bytes. */
    public static long write(Network network, String graphName, Path target) {
        ModelProto model = model(network, graphName);
        AtomicFiles.write(target, model::writeTo);
        return model.getSerializedSize();
    }

    /** Adds the nodes of every graph node in order; returns the name of the logits tensor. */
    private String nodes(LayerGraph layers) {
        flat = layers.flatOutputs();
        for (Node n : layers.nodes()) {
            tensors.put(n.name(), n instanceof Node.Input ? INPUT : node(n));
        }
        return value(layers.nodes().get(layers.nodes().size() - 1).name(), true);
    }

    /** Adds the ONNX nodes of one graph node; returns the name of its output tensor. */
    private String node(Node n) {
        String x = n.inputs().isEmpty() ? null : value(n.inputs().get(0), flat.get(n.name()));
        if (n instanceof Node.Conv c) {
            Block conv = network.conv(c.name());
            List<String> inputs = new ArrayList<>(List.of(value(c.input(), false), initializer(c.name() + ".weight", conv, "weight")));
            if (c.bias()) {
                inputs.add(initializer(c.name() + ".bias", conv, "bias"));
            }
            return node("Conv", c.name(), inputs,
                    ints("kernel_shape", c.kernel(), c.kernel()),
                    ints("strides", c.stride(), c.stride()),
                    ints("pads", c.padding(), c.padding(), c.padding(), c.padding()),
                    ints("dilations", c.dilation(), c.dilation()),
                    integer("group", c.groups()));
        } else if (n instanceof Node.Norm) {
            Block norm = network.norm(n.name());
            return node("BatchNormalization", n.name(), List.of(x,
                    initializer(n.name() + ".weight", norm, "gamma"),
                    initializer(n.name() + ".bias", norm, "beta"),
                    initializer(n.name() + ".running_mean", norm, "runningMean"),
                    initializer(n.name() + ".running_var", norm, "runningVar")),
                    AttributeProto.newBuilder().setName("epsilon").setType(AttributeType.FLOAT).setF(Network.BATCH_NORM_EPSILON)
                            .build());
        } else if (n instanceof Node.Act a) {
            return activation(a.kind(), x);
        } else if (n instanceof Node.Pool p) {
            List<AttributeProto> window = List.of(ints("kernel_shape", p.kernel(), p.kernel()), ints("strides", p.stride(), p.stride()),
                    ints("pads", p.padding(), p.padding(), p.padding(), p.padding()));
            return p.max() ? node("MaxPool", null, List.of(x), window.toArray(AttributeProto[]::new))
                    : node("AveragePool", null, List.of(x), java.util.stream.Stream.concat(window.stream(),
                            java.util.stream.Stream.of(integer("count_include_pad", 1))).toArray(AttributeProto[]::new));
        } else if (n instanceof Node.GlobalAvgPool) {
            return node("GlobalAveragePool", null, List.of(x));
        } else if (n instanceof Node.Flatten) {
            return node("Flatten", null, List.of(value(n.inputs().get(0), false)), integer("axis", 1));
        } else if (n instanceof Node.Dropout) {
            return x; // the identity at inference
        } else if (n instanceof Node.Linear l) {
            Block linear = network.linear(l.name());
            List<String> inputs = new ArrayList<>(List.of(x, initializer(l.name() + ".weight", linear, "weight")));
            if (l.bias()) {
                inputs.add(initializer(l.name() + ".bias", linear, "bias"));
            }
            return node("Gemm", l.name(), inputs, integer("transB", 1));
        } else if (n instanceof Node.Add || n instanceof Node.Concat) {
            List<String> inputs = n.inputs().stream().map(in -> value(in, flat.get(n.name()))).toList();
            return n instanceof Node.Add ? node("Add", null, inputs) : node("Concat", null, inputs, integer("axis", 1));
        }
        Node.Mul m = (Node.Mul) n;
        return node("Mul", null, List.of(x, value(m.gate(), flat.get(n.name()))));
    }

    private String activation(Node.Activation kind, String x) {
        return switch (kind) {
            case RELU -> node("Relu", null, List.of(x));
            case RELU6 -> node("Clip", null, List.of(x, scalar(0f), scalar(6f)));
            case SIGMOID -> node("Sigmoid", null, List.of(x));
            case SILU -> node("Mul", null, List.of(x, node("Sigmoid", null, List.of(x))));
            case HARD_SIGMOID -> hardSigmoid(x);
            case HARD_SWISH -> node("Mul", null, List.of(x, hardSigmoid(x)));
        };
    }

    /** relu6(x + 3) / 6, as PyTorch's Hardsigmoid (ONNX's default slope 0.2 differs). */
    private String hardSigmoid(String x) {
        return node("HardSigmoid", null, List.of(x), floating("alpha", 1f / 6), floating("beta", 0.5f));
    }

    /**
     * The output of graph node {@code name} as (N, features) or as an (N, C, H, W) map: a node with
     * no spatial extent travels flat, and a map of it is (N, C, 1, 1), as in {@code GraphBlock}.
     */
    private String value(String name, boolean wantFlat) {
        String tensor = tensors.get(name);
        if (flat.get(name) == wantFlat) {
            return tensor;
        }
        return wantFlat ? node("Flatten", null, List.of(tensor), integer("axis", 1))
                : node("Unsqueeze", null, List.of(tensor, longs("axes_" + unnamed, 2, 3)));
    }

    /**
     * Adds one node; its output tensor is named after the layer where it has a name, else after
     * the operator and a counter (ONNX needs every tensor name assigned once).
     */
    private String node(String opType, String name, List<String> inputs, AttributeProto... attributes) {
        String output = name != null ? name : opType.toLowerCase(Locale.ROOT) + "_" + unnamed++;
        graph.addNode(NodeProto.newBuilder().setOpType(opType).setName(output).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)));
        return output;
    }

    /** Adds a DJL parameter as a float initializer and returns its name. */
    private String initializer(String name, Block layer, String parameter) {
        Parameter p = layer.getParameters().get(parameter);
        NDArray array = p.getArray();
        float[] values = array.toFloatArray();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(UnsafeByteOperations.unsafeWrap(bytes.array())); // the buffer is ours alone: no copy
        for (long d : array.getShape().getShape()) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
        return name;
    }

    /** Adds a float scalar initializer and returns its name. */
    private String scalar(float value) {
        String name = "const_" + unnamed++;
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .addFloatData(value));
        return name;
    }

    /** Adds an int64 vector initializer and returns its name. */
    private String longs(String name, long... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .addDims(values.length);
        for (long v : values) {
            tensor.addInt64Data(v);
        }
        graph.addInitializer(tensor);
        return name;
    }

    private static AttributeProto floating(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(value).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static TensorShapeProto.Dimension dim(long size) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(size).build();
    }

    private static TensorShapeProto.Dimension dim(String symbol) {
        return TensorShapeProto.Dimension.newBuilder().setDimParam(symbol).build();
    }

    private static ValueInfoProto valueInfo(String name, TensorShapeProto.Dimension... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (TensorShapeProto.Dimension d : dims) {
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }

    private static String producerVersion() {
        String v = OnnxWriter.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
