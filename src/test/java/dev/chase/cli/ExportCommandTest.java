package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OrtException;
import dev.chase.channel.Shrinker;
import dev.chase.config.TrainConfig;
import dev.chase.export.OnnxRuntime;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chase export --onnx} on run directories laid out by hand (a saved final model and, for a
 * Chase run, a saved shrunk one): which files it writes, that they hold the saved networks, and
 * how it refuses what it cannot export.
 */
class ExportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void chaseRunExportsMaskedShrunkAndOnRequestDense() throws IOException, OrtException {
        Path run = tmp.resolve("chase");
        try (NDManager manager = NDManager.newBaseManager()) {
            Network masked = finishedRun(run, manager);
            Network shrunk = Shrinker.shrink(masked, Map.of("layer1.0.conv1", new long[] {0, 2}, "stream1", new long[] {1, 3, 4}),
                    manager);
            SavedModel.save(run.resolve("model-slim"), shrunk);

            CliRunner r = CliRunner.run("export", "--onnx", "--include-dense", run.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            Path export = run.resolve("export");
            assertThat(r.out()).contains("wrote " + export.resolve("dense.onnx")).contains("wrote " + export.resolve("masked.onnx"))
                    .contains("wrote " + export.resolve("shrunk.onnx"));
            try (Stream<Path> files = Files.list(export)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("nothing but the three models, no temporary files")
                        .containsExactlyInAnyOrder("dense.onnx", "masked.onnx", "shrunk.onnx");
            }
            NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
            assertSameLogits(export.resolve("masked.onnx"), masked, x);
            assertSameLogits(export.resolve("shrunk.onnx"), shrunk, x);
            float[][] dense = OnnxRuntime.logits(Files.readAllBytes(export.resolve("dense.onnx")), x.toFloatArray(),
                    x.getShape().getShape());
            assertThat(dense).hasDimensions(2, 10);
        }
    }

    @Test
    void runWithoutShrunkModelExportsTheMaskedOneAndSaysSo() {
        Path run = tmp.resolve("rigl");
        try (NDManager manager = NDManager.newBaseManager()) {
            finishedRun(run, manager);
        }
        CliRunner r = CliRunner.run("export", "--onnx", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("masked.onnx").contains("no shrunk network (model-slim/)");
        assertThat(run.resolve("export/masked.onnx")).isNotEmptyFile();
        assertThat(run.resolve("export/shrunk.onnx")).doesNotExist();
        assertThat(run.resolve("export/dense.onnx")).doesNotExist();
    }

    @Test
    void refusesAMissingRunARunWithoutFinalModelAndAMissingFormat() {
        Path missing = tmp.resolve("nope");
        fails("run directory " + missing + " does not exist", "export", "--onnx", missing.toString());

        Path unfinished = tmp.resolve("unfinished");
        RunDirectory.create(unfinished).writeConfig(TrainConfig.defaults());
        fails("run " + unfinished + " has no final model yet (it is unfinished); continue it with: chase train --resume",
                "export", "--onnx", unfinished.toString());
        assertThat(unfinished.resolve("export")).doesNotExist();

        fails("Missing required option: '--onnx'", "export", unfinished.toString());
    }

    private static void fails(String message, String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.out()).isEqualTo(2);
        assertThat(r.err()).contains(message).doesNotContain("\tat ");
    }

    /** A run directory with a config and a saved resnet20 x0.25 as its final model. */
    private static Network finishedRun(Path run, NDManager manager) {
        RunDirectory dir = RunDirectory.create(run);
        dir.writeConfig(TrainConfig.defaults());
        Engine.getInstance().setRandomSeed(3);
        Network net = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
        net.initialize(manager);
        SavedModel.save(dir.modelDir(), net);
        return net;
    }

    private static void assertSameLogits(Path onnx, Network net, NDArray x) throws IOException, OrtException {
        float[] expected = net.block().forward(new ParameterStore(x.getManager(), false), new NDList(x), false).singletonOrThrow()
                .toFloatArray();
        float[][] actual = OnnxRuntime.logits(Files.readAllBytes(onnx), x.toFloatArray(), x.getShape().getShape());
        for (int i = 0; i < actual.length; i++) {
            for (int k = 0; k < actual[i].length; k++) {
                assertThat(actual[i][k]).as(onnx + " logit " + i + "," + k).isCloseTo(expected[i * 10 + k],
                        org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }
}
