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
import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import dev.chase.model.Layer;
import dev.chase.model.LayerListSpec;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link Network} as an ONNX model (IR version 7, opset 13): the eval-mode graph of
 * {@link NetSpec#layers()} with the network's current parameters as initializers. BatchNorm uses
 * the running statistics and {@link Network#BATCH_NORM_EPSILON}; the classifier is Flatten and
 * Gemm. The input {@value #INPUT} is a float (batch, channels, height, width) image batch,
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
    // IR version 7 is the one that introduced opset 13 (ONNX 1.8), so older runtimes read it too.
    private static final long IR_VERSION = 7;

    private final Network network;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int unnamed;

    private OnnxWriter(Network network) {
        this.network = network;
    }

    /**
     * The ONNX model of an initialised network.
     *
     * @param graphName name stored in the graph (e.g. {@code shrunk})
     * @throws ChaseException if the architecture holds a layer this writer cannot translate
     */
    public static ModelProto model(Network network, String graphName) {
        OnnxWriter writer = new OnnxWriter(network);
        NetSpec spec = network.spec();
        writer.graph.setName(graphName)
                .addInput(valueInfo(INPUT, dim("batch"), dim(spec.inChannels()), dim("height"), dim("width")))
                .addOutput(valueInfo(OUTPUT, dim("batch"), dim(spec.numClasses())));
        String logits = writer.layers(LayerListSpec.require(spec, "ONNX export").layers(), INPUT);
        writer.graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(OUTPUT).addInput(logits).addOutput(OUTPUT));
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("chase")
                .setProducerVersion(producerVersion())
                .setGraph(writer.graph)
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("netspec").setValue(NetSpecs.toJson(spec)))
                .build();
    }

    /** Writes {@link #model} to {@code target} atomically and returns the file's size in bytes. */
    public static long write(Network network, String graphName, Path target) {
        ModelProto model = model(network, graphName);
        AtomicFiles.write(target, model::writeTo);
        return model.getSerializedSize();
    }

    private String layers(List<Layer> layers, String input) {
        String x = input;
        for (Layer layer : layers) {
            x = layer(layer, x);
        }
        return x;
    }

    /** Adds the nodes of one layer reading tensor {@code x}; returns the name of its output. */
    private String layer(Layer layer, String x) {
        if (layer instanceof Layer.Conv c) {
            Block conv = network.conv(c.name());
            List<String> inputs = new ArrayList<>(List.of(x, initializer(c.name() + ".weight", conv, "weight")));
            if (c.bias()) {
                inputs.add(initializer(c.name() + ".bias", conv, "bias"));
            }
            return node("Conv", c.name(), inputs,
                    ints("kernel_shape", c.kernel(), c.kernel()),
                    ints("strides", c.stride(), c.stride()),
                    ints("pads", c.padding(), c.padding(), c.padding(), c.padding()));
        } else if (layer instanceof Layer.Norm n) {
            Block norm = network.norm(n.name());
            return node("BatchNormalization", n.name(), List.of(x,
                    initializer(n.name() + ".weight", norm, "gamma"),
                    initializer(n.name() + ".bias", norm, "beta"),
                    initializer(n.name() + ".running_mean", norm, "runningMean"),
                    initializer(n.name() + ".running_var", norm, "runningVar")),
                    AttributeProto.newBuilder().setName("epsilon").setType(AttributeType.FLOAT).setF(Network.BATCH_NORM_EPSILON)
                            .build());
        } else if (layer instanceof Layer.Relu) {
            return node("Relu", null, List.of(x));
        } else if (layer instanceof Layer.MaxPool p) {
            return node("MaxPool", null, List.of(x),
                    ints("kernel_shape", p.kernel(), p.kernel()),
                    ints("strides", p.stride(), p.stride()),
                    ints("pads", p.padding(), p.padding(), p.padding(), p.padding()));
        } else if (layer instanceof Layer.GlobalAvgPool) {
            String pooled = node("GlobalAveragePool", null, List.of(x));
            return node("Flatten", null, List.of(pooled), integer("axis", 1));
        } else if (layer instanceof Layer.Linear l) {
            Block linear = network.linear(l.name());
            List<String> inputs = new ArrayList<>(List.of(x, initializer(l.name() + ".weight", linear, "weight")));
            if (l.bias()) {
                inputs.add(initializer(l.name() + ".bias", linear, "bias"));
            }
            return node("Gemm", l.name(), inputs, integer("transB", 1));
        } else if (layer instanceof Layer.Residual r) {
            String main = layers(r.main(), x);
            String shortcut = layers(r.shortcut(), x);
            return node("Relu", null, List.of(node("Add", null, List.of(main, shortcut))));
        }
        throw new ChaseException("cannot export " + network.spec().getClass().getSimpleName() + " to ONNX: layer type "
                + layer.getClass().getSimpleName() + " has no ONNX translation");
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
