package dev.chase.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnxruntime.OrtException;
import dev.chase.ManagedTest;
import dev.chase.channel.RandomKept;
import dev.chase.channel.Shrinker;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.SmallGraphs;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX Runtime computes the same logits from the exported file as DJL does in eval mode, for every
 * architecture family, masked (weights with zeros) and shrunk (plain Chase and prune-skip). BatchNorm
 * statistics and biases are randomised so that each exported vector matters.
 */
class OnnxWriterTest extends ManagedTest {
    private static final float TOLERANCE = 1e-4f;

    /** Which network of a run is exported. */
    enum Variant {
        /** The trained network: original widths, about half of every weight zeroed by a mask. */
        MASKED(Set.of()),
        /** The shrunk network of plain Chase: channels removed inside blocks. */
        SHRUNK(EnumSet.of(ChannelGroup.Kind.INTERNAL)),
        /** The shrunk network of Chase with --prune-skip: residual stream channels removed as well. */
        SHRUNK_PRUNE_SKIP(EnumSet.of(ChannelGroup.Kind.INTERNAL, ChannelGroup.Kind.STREAM));

        final Set<ChannelGroup.Kind> pruned;

        Variant(Set<ChannelGroup.Kind> pruned) {
            this.pruned = pruned;
        }
    }

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("vgg11", 0.25, 32, Variant.MASKED),
                Arguments.of("vgg11", 0.25, 32, Variant.SHRUNK),
                Arguments.of("resnet20", 0.25, 32, Variant.MASKED),
                Arguments.of("resnet20", 0.25, 32, Variant.SHRUNK),
                Arguments.of("resnet20", 0.25, 32, Variant.SHRUNK_PRUNE_SKIP),
                Arguments.of("resnet50", 0.125, 32, Variant.MASKED),
                Arguments.of("resnet50", 0.125, 32, Variant.SHRUNK),
                Arguments.of("resnet50", 0.125, 32, Variant.SHRUNK_PRUNE_SKIP),
                Arguments.of("resnet50-imagenet", 0.125, 64, Variant.MASKED),
                Arguments.of("resnet50-imagenet", 0.125, 64, Variant.SHRUNK),
                Arguments.of("resnet50-imagenet", 0.125, 64, Variant.SHRUNK_PRUNE_SKIP));
    }

    @ParameterizedTest(name = "{0} x{1}, input {2}, {3}")
    @MethodSource("networks")
    void onnxRuntimeMatchesDjlLogits(String model, double width, int inputSize, Variant variant) throws OrtException {
        Network masked = maskedNetwork(model, width);
        Network net = variant == Variant.MASKED ? masked
                : Shrinker.shrink(masked, RandomKept.of(masked, variant.pruned, new Random(5)), manager);
        if (variant != Variant.MASKED) {
            assertThat(net.maskableWeights().stream().mapToLong(MaskableWeight::size).sum())
                    .isLessThan(masked.maskableWeights().stream().mapToLong(MaskableWeight::size).sum());
        }
        assertSameLogits(net, 2, inputSize, model + " x" + width + " " + variant);
    }

    static Stream<String> graphs() {
        return SmallGraphs.names();
    }

    /** Every graph architecture, with random BatchNorm statistics, wide and with half of every prunable group removed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void onnxRuntimeMatchesDjlLogitsOnGraphs(String model) throws OrtException {
        Engine.getInstance().setRandomSeed(23);
        NetSpec spec = SmallGraphs.spec(model);
        Network wide = Network.build(spec);
        wide.initialize(manager);
        randomise(wide);
        assertSameLogits(wide, 2, spec.inputSize(), model);
        Map<String, long[]> kept = RandomKept.of(wide, EnumSet.of(ChannelGroup.Kind.INTERNAL, ChannelGroup.Kind.STREAM), new Random(5));
        assertSameLogits(Shrinker.shrink(wide, kept, manager), 2, spec.inputSize(), model + " shrunk");
    }

    @Test
    void batchAndImageSizeAreFreeInTheGraph() throws OrtException {
        Network net = maskedNetwork("resnet20", 0.25);
        assertSameLogits(net, 3, 20, "resnet20 batch 3, 20x20");
        assertSameLogits(net, 1, 40, "resnet20 batch 1, 40x40");
    }

    @Test
    void graphDeclaresOpsetInputsAndEveryParameter() {
        Network net = maskedNetwork("resnet50-imagenet", 0.125);
        ModelProto model = OnnxWriter.model(net, "masked");

        assertThat(model.getIrVersion()).isEqualTo(7);
        assertThat(model.getOpsetImportList()).singleElement()
                .satisfies(o -> assertThat(o.getDomain()).isEmpty())
                .satisfies(o -> assertThat(o.getVersion()).isEqualTo(13));
        assertThat(model.getGraph().getName()).isEqualTo("masked");
        assertThat(model.getGraph().getInput(0).getName()).isEqualTo(OnnxWriter.INPUT);
        assertThat(model.getGraph().getInput(0).getType().getTensorType().getShape().getDimList())
                .extracting(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()))
                .containsExactly("batch", "3", "height", "width");
        assertThat(model.getGraph().getOutput(0).getType().getTensorType().getShape().getDimList())
                .extracting(TensorShapeProto.Dimension::getDimValue).containsExactly(0L, 10L);
        assertThat(NetSpecs.fromJson(model.getMetadataProps(0).getValue())).isEqualTo(net.spec());

        // One initializer per DJL parameter, with the parameter's values (masked zeros included).
        assertThat(model.getGraph().getInitializerCount()).isEqualTo(net.block().getParameters().size());
        float[] conv2 = net.conv("layer1.0.conv2").getParameters().get("weight").getArray().toFloatArray();
        var init = model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("layer1.0.conv2.weight")).findFirst().orElseThrow();
        float[] exported = new float[conv2.length];
        init.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(exported);
        assertThat(exported).containsExactly(conv2);
        assertThat(init.getDimsList()).containsExactly(net.maskableWeight("layer1.0.conv2").shape().getShape()[0],
                net.maskableWeight("layer1.0.conv2").shape().getShape()[1], 3L, 3L);

        Map<String, Long> ops = model.getGraph().getNodeList().stream()
                .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
        assertThat(ops.keySet()).containsExactlyInAnyOrder("Conv", "BatchNormalization", "Relu", "MaxPool", "Add",
                "GlobalAveragePool", "Flatten", "Gemm", "Identity");
        assertThat(ops.get("Conv")).isEqualTo(net.maskableWeights().size() - 1);
        assertThat(ops.get("Add")).isEqualTo(16);
        NodeProto bn = model.getGraph().getNodeList().stream().filter(n -> n.getName().equals("bn1")).findFirst().orElseThrow();
        assertThat(bn.getAttributeList()).extracting(AttributeProto::getName, AttributeProto::getF)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("epsilon", 1e-5f));
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * DJL (eval mode) and ONNX Runtime agree on a random batch within {@link #TOLERANCE}, and within
     * that fraction of the largest logit where logits are small (VGG's are about 0.2).
     */
    private void assertSameLogits(Network net, int batch, int inputSize, String what) throws OrtException {
        Shape shape = new Shape(batch, net.spec().inChannels(), inputSize, inputSize);
        NDArray x = manager.randomNormal(shape);
        float[] expected = net.block().forward(new ParameterStore(manager, false), new NDList(x), false)
                .singletonOrThrow().toFloatArray();
        float[][] actual = OnnxRuntime.logits(OnnxWriter.model(net, "test").toByteArray(), x.toFloatArray(), shape.getShape());
        assertThat(actual.length).isEqualTo(batch);
        float diff = 0;
        float largest = 0;
        int classes = net.spec().numClasses();
        for (int i = 0; i < batch; i++) {
            assertThat(actual[i]).hasSize(classes);
            for (int k = 0; k < classes; k++) {
                diff = Math.max(diff, Math.abs(actual[i][k] - expected[i * classes + k]));
                largest = Math.max(largest, Math.abs(expected[i * classes + k]));
            }
        }
        System.out.printf("onnx %s: max |logit diff| = %.3g, max |logit| = %.3g%n", what, diff, largest);
        assertThat(largest).as("logits are not all zero").isGreaterThan(1e-2f);
        assertThat(diff).as(what).isLessThan(TOLERANCE * Math.min(1, largest));
    }

    /**
     * A network whose BatchNorm vectors and conv biases are random and about half of whose weights
     * are zeroed, as a mask leaves them.
     */
    private Network maskedNetwork(String model, double width) {
        Engine.getInstance().setRandomSeed(23);
        Network net = Network.build(NetSpecs.named(model, 3, 10, width));
        net.initialize(manager);
        randomise(net);
        return net;
    }

    /** Random BatchNorm vectors and conv biases; about half of every weight zeroed. */
    private void randomise(Network net) {
        Map<String, Integer> channels = net.spec().graph().channels();
        for (dev.chase.graph.Node n : net.spec().graph().nodes()) {
            if (n instanceof dev.chase.graph.Node.Norm) {
                Shape s = new Shape(channels.get(n.name()));
                BatchNorm bn = net.norm(n.name());
                fill(bn.getParameters().get("gamma"), manager.randomUniform(0.5f, 1.5f, s));
                fill(bn.getParameters().get("beta"), manager.randomNormal(0f, 0.2f, s, DataType.FLOAT32));
                fill(bn.getParameters().get("runningMean"), manager.randomNormal(0f, 0.2f, s, DataType.FLOAT32));
                fill(bn.getParameters().get("runningVar"), manager.randomUniform(0.5f, 1.5f, s));
            }
        }
        for (MaskableWeight w : net.maskableWeights()) {
            NDArray weight = w.parameter().getArray();
            weight.muli(manager.randomUniform(0f, 1f, w.shape()).lt(0.5f).toType(DataType.FLOAT32, false));
            Parameter bias = w.layer().getParameters().get("bias");
            if (bias != null) {
                fill(bias, manager.randomNormal(0f, 0.1f, bias.getArray().getShape(), DataType.FLOAT32));
            }
        }
    }

    private static void fill(Parameter p, NDArray value) {
        p.getArray().set(new NDIndex("..."), value);
    }

}
