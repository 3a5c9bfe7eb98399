package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.chase.config.TrainConfig;
import dev.chase.data.DataCatalog;
import dev.chase.export.OnnxWriter;
import dev.chase.graph.GraphJson;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.model.GraphSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.run.RunDirectory;
import dev.chase.run.RunFingerprints;
import dev.chase.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chase train --model graph:PATH}: a hand-written graph with a concatenation trains with
 * Chase, shrinks while training and at the end, keeps its own copy of the architecture (so the run
 * resumes after the file is gone, bit for bit as a run in one go), and exports to ONNX; the
 * image's channels and the class count are set to the data's. A run that starts from an ONNX file's
 * weights and stopped before its first checkpoint refuses to start again from a changed file.
 */
class TrainGraphFileTest {
    @TempDir
    Path tmp;

    @Test
    void aGraphFileTrainsShrinksResumesWithoutTheFileAndExports() throws IOException {
        Path file = graphFile();
        Path run = tmp.resolve("run");
        CliRunner first = CliRunner.run(train(file, run, "--until-epoch", "1"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        GraphSpec kept = (GraphSpec) RunDirectory.open(run).readArchitecture().orElseThrow();
        assertThat(kept.inChannels()).as("the synthetic images' channels").isEqualTo(3);
        assertThat(kept.numClasses()).as("the synthetic classes").isEqualTo(10);

        Files.delete(file);
        CliRunner resumed = CliRunner.run("train", "--resume", run.toString(), "--threads", "1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("shrunk:");
        assertThat(kept.narrowsTo(NetSpecs.fromJson(Files.readString(run.resolve("model-slim/netspec.json"))))).isTrue();

        CliRunner export = CliRunner.run("export", "--onnx", run.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(run.resolve("export/shrunk.onnx")).isNotEmptyFile();

        Path whole = tmp.resolve("whole");
        CliRunner uninterrupted = CliRunner.run(train(graphFile(), whole));
        assertThat(uninterrupted.exitCode()).as(uninterrupted.err()).isZero();
        assertThat(Files.readAllBytes(run.resolve("model-slim/parameters.bin")))
                .as("stopped after epoch 1 and resumed = trained in one go, bit for bit")
                .isEqualTo(Files.readAllBytes(whole.resolve("model-slim/parameters.bin")));
        assertThat(Files.readAllBytes(run.resolve("model/parameters.bin"))).isEqualTo(Files.readAllBytes(whole.resolve("model/parameters.bin")));
    }

    @Test
    void initFromOnnxStartsFromAFilesWeightsSaysWhatItAdaptedAndRefusesWhatItCannotRead() {
        writeResnet18(tmp.resolve("r18.onnx"), 1, 5);
        CliRunner r = CliRunner.run("train", "--model", "onnx:" + tmp.resolve("r18.onnx"), "--init-from-onnx", "--dataset", "synthetic",
                "--epochs", "1", "--batch-size", "50", "--method", "dense", "--threads", "1", "--run-dir", tmp.resolve("run").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("starting from the weights in " + tmp.resolve("r18.onnx"))
                .contains("note: linear gives 5 classes in the file and 10 here: its weights are drawn, not read");

        CliRunner builtIn = CliRunner.run("train", "--model", "resnet20", "--init-from-onnx", "--dataset", "synthetic");
        assertThat(builtIn.exitCode()).isEqualTo(2);
        assertThat(builtIn.err()).contains("--init-from-onnx starts from the weights of an onnx:FILE model; resnet20 is not one");
        Path refused = tmp.resolve("refused");
        CliRunner weightless = CliRunner.run("train", "--model", "onnx:src/test/resources/onnx/resnet18.onnx", "--init-from-onnx",
                "--dataset", "synthetic", "--epochs", "1", "--run-dir", refused.toString());
        assertThat(weightless.exitCode()).isEqualTo(2);
        assertThat(weightless.err()).contains("stores no values for weight").doesNotContain("Exception");
        assertThat(refused.resolve("checkpoints")).doesNotExist();
    }

    @Test
    void aRunStoppedBeforeItsFirstCheckpointDoesNotStartAgainFromAChangedWeightsFile() throws IOException {
        Path file = tmp.resolve("r18.onnx");
        writeResnet18(file, 1, 10);
        Path run = tmp.resolve("run");
        TrainConfig config = TrainConfig.defaults().with("model", "onnx:" + file, "dataset", "synthetic", "epochs", 1, "batch-size", 50,
                "method", "dense", "init-from-onnx", true);
        TrainingRun.create(run, config, DataCatalog.open("synthetic", null, false)).close(); // stopped before its first checkpoint
        assertThat(RunDirectory.open(run).readFingerprints().orElseThrow().initWeightsSha256()).isEqualTo(RunFingerprints.sha256(file));

        writeResnet18(file, 2, 10);
        CliRunner check = CliRunner.run("runs", "check", run.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).contains("initial weights   " + file + " CHANGED or gone since the run started",
                "problem: run " + run + " starts from step 0 (it has no checkpoint)");
        CliRunner resumed = CliRunner.run("train", "--resume", run.toString(), "--threads", "1");
        assertThat(resumed.exitCode()).isEqualTo(2);
        assertThat(resumed.err()).contains("which has changed (its SHA-256 differs from the one in fingerprints.json) since the run started")
                .doesNotContain("Exception");
        Files.delete(file);
        assertThat(CliRunner.run("train", "--resume", run.toString()).err()).contains("which is gone since the run started");

        writeResnet18(file, 2, 10); // the way out the message names: start over from the file as it is now
        CliRunner restarted = CliRunner.run("train", "--recipe", run.resolve("config.json").toString(), "--run-dir", run.toString(),
                "--restart", "--threads", "1");
        assertThat(restarted.exitCode()).as(restarted.err()).isZero();
        assertThat(RunDirectory.open(run).readFingerprints().orElseThrow().initWeightsSha256()).isEqualTo(RunFingerprints.sha256(file));
        assertThat(CliRunner.run("runs", "check", run.toString()).out()).contains("initial weights   " + file
                + " unchanged since the run started");
    }

    /** Writes a ResNet-18 x0.25 for 3-channel images and {@code classes} classes, its weights drawn from {@code seed}. */
    private static void writeResnet18(Path file, int seed, int classes) {
        Engine.getInstance().setRandomSeed(seed);
        Network source = Network.build(NetSpecs.named("resnet18", 3, classes, 0.25));
        try (NDManager manager = NDManager.newBaseManager()) {
            source.initialize(manager);
            OnnxWriter.write(source, "r18", file);
        }
    }

    @Test
    void aFileForOtherImageSizesTrainsOnTheDatasIfItsLayersFitAndABuiltInOneIsRefused() throws IOException {
        Path pooled = tmp.resolve("pooled.json");
        Files.writeString(pooled, GraphJson.toJson(new LayerGraph(List.of(new Node.Input("x", 3, 64, 64),
                new Node.Conv("a", "x", 3, 8, 3, 2, 1, 1, 1, false), new Node.Act("r", "a", Node.Activation.RELU),
                new Node.GlobalAvgPool("pool", "r"), new Node.Linear("fc", "pool", 8, 10, true)))));
        Path run = tmp.resolve("pooled-run");
        CliRunner r = CliRunner.run("train", "--model", "graph:" + pooled, "--dataset", "synthetic", "--epochs", "1", "--threads", "1",
                "--run-dir", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(RunDirectory.open(run).readArchitecture().orElseThrow().inputSize()).as("the synthetic images' side").isEqualTo(32);

        Path flat = tmp.resolve("flat.json");
        Files.writeString(flat, GraphJson.toJson(new LayerGraph(List.of(new Node.Input("x", 3, 64, 64),
                new Node.Conv("a", "x", 3, 8, 3, 2, 1, 1, 1, false), new Node.Flatten("f", "a"),
                new Node.Linear("fc", "f", 8 * 32 * 32, 10, true)))));
        CliRunner refused = CliRunner.run("train", "--model", "graph:" + flat, "--dataset", "synthetic", "--epochs", "1",
                "--run-dir", tmp.resolve("flat-run").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("graph:" + flat + " is built for 64x64 images and does not fit the data's 32x32: ")
                .contains("fc").doesNotContain("Exception");
        assertThat(tmp.resolve("flat-run")).doesNotExist();

        CliRunner builtIn = CliRunner.run("train", "--model", "resnet50-imagenet", "--dataset", "synthetic", "--epochs", "1",
                "--run-dir", tmp.resolve("r50").toString());
        assertThat(builtIn.exitCode()).isEqualTo(2);
        assertThat(builtIn.err()).contains("resnet50-imagenet is built for 224x224 images; synthetic gives 32x32");
        assertThat(tmp.resolve("r50")).doesNotExist();
    }

    @Test
    void aNetworkLargerThanTheMachinesMemoryIsRefusedInOneLineBeforeARunIsWritten() throws IOException {
        Path giant = tmp.resolve("giant.json");
        Files.writeString(giant, GraphJson.toJson(new LayerGraph(List.of(new Node.Input("x", 3, 32, 32),
                new Node.Conv("stem", "x", 3, 1_000_000_000, 101, 1, 50, 1, 1, false), new Node.GlobalAvgPool("pool", "stem"),
                new Node.Linear("fc", "pool", 1_000_000_000, 10, true)))));
        Path run = tmp.resolve("giant-run");
        CliRunner r = CliRunner.run("train", "--model", "graph:" + giant, "--dataset", "synthetic", "--epochs", "1", "--threads", "1",
                "--run-dir", run.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).as("122 TB of conv weights").contains("chase: out of memory: PyTorch could not allocate a tensor of 122412.0 GB")
                .doesNotContain("internal error").hasLineCount(1);
        assertThat(run).doesNotExist();
    }

    private String[] train(Path file, Path run, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--model", "graph:" + file, "--dataset", "synthetic",
                "--epochs", "3", "--batch-size", "32", "--method", "chase", "--density", "0.3", "--channel-sparsity", "0.5",
                "--channel-interval", "4", "--update-interval", "4", "--channel-end", "2", "--shrink-during-training", "--threads", "1",
                "--run-dir", run.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private Path graphFile() throws IOException {
        return concatGraph(tmp.resolve("net.json"));
    }

    /** Writes a small graph with a concatenation, for 1-channel 32x32 images and 1000 classes, to {@code file}. */
    static Path concatGraph(Path file) throws IOException {
        Files.writeString(file, GraphJson.toJson(new LayerGraph(List.of(new Node.Input("x", 1, 32, 32),
                new Node.Conv("stem", "x", 1, 16, 3, 1, 1, 1, 1, false), new Node.Norm("stem.bn", "stem"),
                new Node.Act("stem.relu", "stem.bn", Node.Activation.RELU),
                new Node.Conv("a", "stem.relu", 16, 16, 3, 2, 1, 1, 1, false), new Node.Norm("a.bn", "a"),
                new Node.Act("a.relu", "a.bn", Node.Activation.RELU),
                new Node.Conv("b", "stem.relu", 16, 16, 3, 2, 1, 1, 1, false), new Node.Norm("b.bn", "b"),
                new Node.Act("b.relu", "b.bn", Node.Activation.RELU),
                new Node.Concat("cat", List.of("a.relu", "b.relu")),
                new Node.Conv("c", "cat", 32, 32, 3, 1, 1, 1, 1, false), new Node.Norm("c.bn", "c"),
                new Node.Act("c.relu", "c.bn", Node.Activation.RELU),
                new Node.GlobalAvgPool("pool", "c.relu"), new Node.Linear("fc", "pool", 32, 1000, true)))));
        return file;
    }
}
