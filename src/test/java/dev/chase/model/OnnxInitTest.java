package dev.chase.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.chase.ChaseException;
import dev.chase.ManagedTest;
import dev.chase.config.RunConfig;
import dev.chase.config.TrainConfig;
import dev.chase.data.DataCatalog;
import dev.chase.export.OnnxWriter;
import dev.chase.graph.Node;
import dev.chase.graph.OnnxImport;
import dev.chase.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --init-from-onnx}: a network exported by chase (weights, BatchNorm statistics) and read
 * back from the ONNX file computes the same logits; adapted to other data, its image convolutions
 * sum their filters and its classifier is drawn; files without weight values are refused.
 */
class OnnxInitTest extends ManagedTest {
    @TempDir
    Path tmp;

    private Network trained(NetSpec spec, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Network net = Network.build(spec);
        net.initialize(manager);
        for (Node n : spec.graph().nodes()) {
            if (n instanceof Node.Norm) { // running statistics away from their initial 0 and 1
                var p = net.norm(n.name()).getParameters();
                randomise(p.get("runningMean"), -0.2f, 0.2f);
                randomise(p.get("runningVar"), 0.5f, 1.5f);
                randomise(p.get("gamma"), 0.5f, 1.5f);
                randomise(p.get("beta"), -0.2f, 0.2f);
            }
        }
        return net;
    }

    private void randomise(Parameter p, float low, float high) {
        p.getArray().set(manager.randomUniform(low, high, p.getArray().getShape()).toFloatArray());
    }

    private NDArray logits(Network net, NDArray x) {
        return net.block().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }

    @Test
    void aNetworkReadBackFromItsOnnxFileComputesTheSameLogits() {
        for (String model : List.of("mobilenetv2", "densenet-bc-100", "wrn-22-2")) {
            Network source = trained(NetSpecs.named(model, 3, 10, 0.25), 3);
            Path file = tmp.resolve(model + ".onnx");
            OnnxWriter.write(source, model, file);

            Network copy = trained(new GraphSpec(WeightInit.PYTORCH_DEFAULT, OnnxImport.read(file)), 4);
            NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
            assertThat(logits(copy, x).sub(logits(source, x)).abs().max().getFloat()).as(model).isPositive();
            List<String> notes = OnnxInit.load(copy, file);
            assertThat(notes).as(model).isEmpty();
            float diff = logits(copy, x).sub(logits(source, x)).abs().max().getFloat();
            assertThat(diff).as(model).isLessThan(1e-5f);
        }
    }

    @Test
    void adaptedToGreyImagesAndOtherClassesTheFiltersAreSummedAndTheClassifierDrawn() {
        Network source = trained(NetSpecs.named("resnet18", 3, 10, 0.25), 3);
        Path file = tmp.resolve("r18.onnx");
        OnnxWriter.write(source, "r18", file);

        GraphSpec grey = NetSpecs.fromFile("onnx:" + file, 1, 5);
        Network copy = trained(grey, 4);
        float[] drawnFc = copy.linear("linear").getParameters().get("weight").getArray().toFloatArray();
        List<String> notes = OnnxInit.load(copy, file);
        assertThat(notes).containsExactly("conv1 reads 1 image channel here and 3 in the file: its filters are summed over them",
                "linear gives 10 classes in the file and 5 here: its weights are drawn, not read");
        NDArray summed = source.conv("conv1").getParameters().get("weight").getArray().sum(new int[] {1}, true);
        assertThat(copy.conv("conv1").getParameters().get("weight").getArray().sub(summed).abs().max().getFloat()).isLessThan(1e-6f);
        assertThat(copy.linear("linear").getParameters().get("weight").getArray().toFloatArray()).containsExactly(drawnFc);
        // a grey image through the summed filters = the same image repeated in 3 channels through the file's
        NDArray x = manager.randomNormal(new Shape(2, 1, 32, 32));
        NDArray features = copy.conv("conv1").forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
        NDArray expected = source.conv("conv1").forward(new ParameterStore(manager, false), new NDList(x.repeat(1, 3)), false)
                .singletonOrThrow();
        assertThat(features.sub(expected).abs().max().getFloat()).isLessThan(1e-4f);
    }

    @Test
    void aRunStartsFromTheFilesWeights() {
        Network source = trained(NetSpecs.named("resnet18", 3, 10, 0.25), 3);
        Path file = tmp.resolve("r18.onnx");
        OnnxWriter.write(source, "r18", file);
        TrainConfig config = TrainConfig.defaults().with("model", "onnx:" + file, "dataset", "synthetic", "epochs", 1,
                "init-from-onnx", true);
        try (TrainingRun run = TrainingRun.create(tmp.resolve("run"), config, DataCatalog.open("synthetic", null, false))) {
            assertThat(run.initNotes()).isEmpty();
            for (String layer : List.of("conv1", "layer4.1.conv2")) {
                assertThat(run.network().conv(layer).getParameters().get("weight").getArray().toFloatArray())
                        .containsExactly(source.conv(layer).getParameters().get("weight").getArray().toFloatArray());
            }
            assertThat(run.network().norm("bn1").getParameters().get("runningVar").getArray().toFloatArray())
                    .containsExactly(source.norm("bn1").getParameters().get("runningVar").getArray().toFloatArray());
        }
        assertThat(RunConfig.from(config).model().initFromOnnx()).isTrue();
        assertThat(RunConfig.from(config).toTrainConfig().initFromOnnx()).isTrue();

    }

    @Test
    void damagedWeightsGetOneClearMessage() throws Exception {
        Path good = tmp.resolve("good.onnx");
        OnnxWriter.write(trained(NetSpecs.named("resnet18", 3, 10, 0.25), 1), "r18", good);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(good));
        int conv1 = 0;
        while (!model.getGraph().getInitializer(conv1).getName().equals("conv1.weight")) {
            conv1++;
        }
        TensorProto weight = model.getGraph().getInitializer(conv1);
        Map<String, TensorProto> damaged = Map.of(
                "stores no values for weight conv1.weight", weight.toBuilder().setRawData(weight.getRawData().substring(0, 12)).build(),
                "as data type 11; chase reads 32-bit floats", weight.toBuilder().setDataType(TensorProto.DataType.DOUBLE_VALUE).build(),
                "in an external file", weight.toBuilder().setDataLocation(TensorProto.DataLocation.EXTERNAL).build());
        for (Map.Entry<String, TensorProto> d : damaged.entrySet()) {
            Path file = tmp.resolve("damaged.onnx");
            Files.write(file, model.toBuilder().setGraph(model.getGraph().toBuilder().setInitializer(conv1, d.getValue())).build()
                    .toByteArray());
            assertThatThrownBy(() -> OnnxImport.weights(file)).isInstanceOf(ChaseException.class)
                    .hasMessageStartingWith("onnx file " + file).hasMessageContaining(d.getKey());
        }
    }

    @Test
    void filesWithoutWeightValuesOrOfAnotherArchitectureAreRefused() {
        // the committed fixtures keep the weights' shapes only
        Path fixture = Path.of("src/test/resources/onnx/resnet18.onnx");
        Network net = trained(new GraphSpec(WeightInit.PYTORCH_DEFAULT, OnnxImport.read(fixture)), 1);
        assertThatThrownBy(() -> OnnxInit.load(net, fixture)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("stores no values for weight").hasMessageContaining("exported without its weights");
        Network other = trained(NetSpecs.named("wrn-22-2", 3, 10, 0.25), 1);
        Path file = tmp.resolve("other.onnx");
        OnnxWriter.write(trained(NetSpecs.named("resnet18", 3, 10, 0.25), 1), "r18", file);
        assertThatThrownBy(() -> OnnxInit.load(other, file)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("stores weight of conv1 with shape [16, 3, 3, 3]; the network needs [4, 3, 3, 3]");
    }
}
