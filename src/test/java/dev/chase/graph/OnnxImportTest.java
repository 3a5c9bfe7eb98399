package dev.chase.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.chase.ChaseException;
import dev.chase.model.GraphBlock;
import dev.chase.model.WeightInit;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Public CNN definitions (torchvision, exported by tools/onnx-fixtures.py, weights stripped) and hostile files. */
class OnnxImportTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(OnnxImportTest.class.getResource("/onnx/" + name + ".onnx").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0", "densenet121", "regnet_x_400mf"})
    void aPublicCnnImportsAndComputesTenLogits(String model) {
        LayerGraph graph = OnnxImport.read(fixture(model));
        assertThat(graph.nodes().get(0)).isEqualTo(new Node.Input("input", 3, 32, 32));
        assertThat(graph.shapes().get(graph.nodes().get(graph.nodes().size() - 1).name())).isEqualTo(new Shape(10, 1, 1));
        List<GroupDerivation.Derived> groups = GroupDerivation.derive(graph);
        assertThat(groups.stream().filter(g -> g.group().kind() != ChannelGroup.Kind.FIXED)).isNotEmpty();
        try (NDManager manager = NDManager.newBaseManager()) {
            GraphBlock block = new GraphBlock(graph, WeightInit.KAIMING_FAN_IN);
            ai.djl.ndarray.types.Shape input = new ai.djl.ndarray.types.Shape(2, 3, 32, 32);
            block.initialize(manager, DataType.FLOAT32, input);
            assertThat(block.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(input)), false)
                    .singletonOrThrow().getShape()).isEqualTo(new ai.djl.ndarray.types.Shape(2, 10));
        }
    }

    @Test
    void resNet18HasItsFourResidualStreamsAndItsLayersKeepTheirPyTorchNames() {
        LayerGraph graph = OnnxImport.read(fixture("resnet18"));
        assertThat(graph.nodes().stream().filter(n -> n instanceof Node.Conv)).hasSize(20);
        assertThat(graph.node("layer2.0.downsample.0")).isEqualTo(new Node.Conv("layer2.0.downsample.0",
                "/layer1/layer1.1/relu_1/Relu", 64, 128, 1, 2, 0, 1, 1, false));
        assertThat(graph.node("fc")).isInstanceOf(Node.Linear.class);
        List<GroupDerivation.Derived> groups = GroupDerivation.derive(graph);
        assertThat(groups).hasSize(12);
        assertThat(groups.stream().filter(g -> g.group().kind() == ChannelGroup.Kind.STREAM).map(g -> g.group().width()))
                .containsExactly(64, 128, 256, 512);
    }

    @Test
    void depthwiseAndSqueezeAndExcitationTieTheirChannels() {
        List<GroupDerivation.Derived> groups = GroupDerivation.derive(OnnxImport.read(fixture("mobilenet_v3_small")));
        ChannelGroup first = groups.get(0).group();
        assertThat(first.producers()).containsExactly("features.0.0", "features.1.block.0.0", "features.1.block.1.fc2");
        assertThat(first.kind()).isEqualTo(ChannelGroup.Kind.STREAM);
    }

    @Test
    void networksItCannotExpressAreRefusedNamingTheNode() {
        assertThatThrownBy(() -> OnnxImport.read(fixture("squeezenet1_1"))).isInstanceOf(ChaseException.class)
                .hasMessageContaining("node /features/features.2/MaxPool (MaxPool): ceil_mode pooling is not read");
        assertThatThrownBy(() -> OnnxImport.read(fixture("shufflenet_v2_x0_5"))).isInstanceOf(ChaseException.class)
                .hasMessageContaining("(Unsqueeze): this operator is not read; chase reads Conv, BatchNormalization");
    }

    @Test
    void hostileFilesGetOneClearMessage() throws IOException {
        byte[] good = Files.readAllBytes(fixture("resnet18"));
        ModelProto model = ModelProto.parseFrom(good);
        Random random = new Random(5);
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        bad.add(java.util.Arrays.copyOf(good, good.length / 2));
        for (int i = 0; i < 20; i++) {
            byte[] noise = new byte[1 + random.nextInt(4096)];
            random.nextBytes(noise);
            bad.add(noise);
        }
        for (int i = 0; i < 20; i++) {
            byte[] flipped = good.clone();
            for (int k = 0; k < 8; k++) {
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
            }
            bad.add(flipped);
        }
        List<NodeProto> reversed = new ArrayList<>(model.getGraph().getNodeList());
        Collections.reverse(reversed);
        bad.add(withGraph(model, model.getGraph().toBuilder().clearNode().addAllNode(reversed)));
        bad.add(withGraph(model, model.getGraph().toBuilder().setNode(5, model.getGraph().getNode(5).toBuilder().setInput(0, "nowhere"))));
        TensorProto weight = model.getGraph().getInitializer(0);
        bad.add(withGraph(model, model.getGraph().toBuilder().setInitializer(0, weight.toBuilder().clearDims()
                .addAllDims(List.of(1L << 40, 3L, 7L, 7L)))));
        bad.add(withGraph(model, model.getGraph().toBuilder().setInitializer(0, weight.toBuilder().clearDims()
                .addAllDims(List.of(64L, 3L, 7L)))));
        bad.add(withGraph(model, model.getGraph().toBuilder().setInitializer(0, weight.toBuilder().clearDims()
                .addAllDims(List.of(64000000L, 3L, 7L, 7L)))));
        int refused = 0;
        for (int i = 0; i < bad.size(); i++) {
            Path file = tmp.resolve("bad" + i + ".onnx");
            Files.write(file, bad.get(i));
            try {
                OnnxImport.read(file);
            } catch (ChaseException e) {
                assertThat(e.getMessage()).as("file %d", i).startsWith("onnx file " + file).doesNotContain("Exception");
                refused++;
            }
        }
        // A flipped bit can land in a name or a value the importer does not read; everything else is refused.
        assertThat(refused).isGreaterThanOrEqualTo(bad.size() - 20);
        assertThatThrownBy(() -> OnnxImport.read(tmp.resolve("missing.onnx"))).isInstanceOf(ChaseException.class)
                .hasMessage("onnx file " + tmp.resolve("missing.onnx") + " does not exist");
    }

    private static byte[] withGraph(ModelProto model, GraphProto.Builder graph) {
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }
}
