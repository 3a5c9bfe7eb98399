package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.graph.GraphJson;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.io.Json;
import dev.chase.metrics.FlopCounter;
import dev.chase.model.NetSpecs;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chase flops} and {@code chase bench} on one tiny finished Chase run, and their user errors. */
class FlopsAndBenchTest {
    @TempDir
    static Path tmp;

    static Path run;

    @BeforeAll
    static void trainTinyChaseRun() {
        run = tmp.resolve("chase");
        // 2 epochs of 20 steps; mask updates every 10 steps, the soft bound ends after epoch 1 (step 20), final phase on
        CliRunner r = CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "2",
                "--batch-size", "100", "--method", "chase", "--update-interval", "10", "--channel-interval", "10",
                "--soft-bound-end", "1", "--run-dir", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.MAPPER.readTree(file.toFile());
    }

    @Test
    void flopsOfAChaseRun() throws IOException {
        CliRunner r = CliRunner.run("flops", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer3.2.conv1").contains("fraction of dense").contains("training FLOPs")
                .contains("wrote " + run.resolve("flops.json"));
        JsonNode flops = json(run.resolve("flops.json"));
        JsonNode test = flops.get("test");
        assertThat(test.get("dense").asLong()).isEqualTo(FlopCounter.dense(NetSpecs.named("resnet20", 3, 10, 0.25)));
        // 90% of the weights are zero and half of the block channels are gone: sparse < dense-of-slim < dense
        assertThat(test.get("sparse").asLong()).isLessThan(test.get("slim").asLong());
        assertThat(test.get("slim").asLong()).isLessThan(test.get("dense").asLong());
        assertThat(test.get("slim-fraction").asDouble()).isEqualTo(test.get("slim").asDouble() / test.get("dense").asLong());
        long layerSum = 0;
        long nonZeros = 0;
        for (JsonNode layer : test.get("layers")) {
            layerSum += layer.get("sparse").asLong();
            nonZeros += layer.get("non-zeros").asLong();
        }
        assertThat(layerSum).isEqualTo(test.get("sparse").asLong());
        // weights grown at the last step (t = 40) are still exactly zero, so at most the masks' count
        List<EpochMetrics> metrics = RunDirectory.open(run).readMetrics();
        assertThat(nonZeros).isPositive().isLessThanOrEqualTo(metrics.get(1).sparsity().nonZeros());

        JsonNode training = flops.get("training");
        assertThat(training.get("steps").asLong()).isEqualTo(40);
        // updates (all by gradient) at t = 10, 20, 30, 40
        assertThat(training.get("gradient-steps").asLong()).isEqualTo(4);
        assertThat(training.get("images-per-step").asLong()).isEqualTo(100);
        assertThat(training.get("dense").asDouble()).isEqualTo(3.0 * test.get("dense").asLong() * 40 * 100);
        assertThat(training.get("fraction").asDouble()).isGreaterThan(0).isLessThan(1);
    }

    @Test
    void benchOfAChaseRunAtTwoBatchSizes() throws IOException {
        CliRunner r = CliRunner.run("bench", "--batch-sizes", "1,3", "--warmup", "0", "--repeats", "2", "--threads", "1",
                run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("dense ").contains("masked ").contains("shrunk ").contains("realised").contains("threads 1,");
        JsonNode bench = json(run.resolve("bench.json"));
        assertThat(bench.get("repeats").asInt()).isEqualTo(2);
        JsonNode flops = bench.get("flops-per-image");
        assertThat(flops.get("dense").asLong()).isEqualTo(FlopCounter.dense(NetSpecs.named("resnet20", 3, 10, 0.25)));
        JsonNode results = bench.get("results");
        assertThat(results).hasSize(6);
        String[] names = {"dense", "masked", "shrunk"};
        for (int i = 0; i < 6; i++) {
            JsonNode x = results.get(i);
            String name = names[i % 3];
            assertThat(x.get("network").asText()).isEqualTo(name);
            int batch = i < 3 ? 1 : 3;
            assertThat(x.get("batch-size").asInt()).isEqualTo(batch);
            JsonNode ms = x.get("millis-per-batch");
            assertThat(ms.get("count").asInt()).isEqualTo(2);
            assertThat(ms.get("spread").asDouble()).isEqualTo(ms.get("max").asDouble() / ms.get("min").asDouble());
            assertThat(x.get("images-per-second").asDouble()).isCloseTo(batch * 1000 / ms.get("median").asDouble(), within(1e-9));
            double dense = results.get(i < 3 ? 0 : 3).get("millis-per-batch").get("median").asDouble();
            assertThat(x.get("speedup").asDouble()).isCloseTo(dense / ms.get("median").asDouble(), within(1e-9));
            assertThat(x.get("flops-speedup").asDouble())
                    .isCloseTo(flops.get("dense").asDouble() / flops.get(name).asLong(), within(1e-9));
            assertThat(x.get("realisation").asDouble())
                    .isCloseTo(x.get("speedup").asDouble() / x.get("flops-speedup").asDouble(), within(1e-9));
        }
        assertThat(results.get(0).get("noisy").asBoolean()).isFalse();
        assertThat(flops.get("shrunk").asLong()).isLessThan(flops.get("dense").asLong());
    }

    @Test
    void defaultsAreThreeBatchSizesAndTwentyRepeats() {
        CliRunner help = CliRunner.run("bench", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Default: 1,32,128").contains("Default: 20");
    }

    @Test
    void flopsOfANamedArchitecture() {
        CliRunner r = CliRunner.run("flops", "--model", "vgg19");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("features.49").contains("7.9658e+08");
    }

    @Test
    void groupsOfANamedArchitectureComeFromItsGraph() {
        CliRunner r = CliRunner.run("groups", "--model", "resnet20", "--width", "0.5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("resnet20, width 0.5: 12 channel groups")
                .containsPattern("stream0 +stream +8 +conv1,layer1.0.conv2")
                .containsPattern("layer1.0.conv1 +internal +8 +layer1.0.conv1 +layer1.0.conv2");
        CliRunner vgg = CliRunner.run("groups", "--model", "vgg11");
        assertThat(vgg.out()).containsPattern("features.25 +fixed +512 .*\\(fixed: it feeds the classifier\\)");
        CliRunner none = CliRunner.run("groups");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("give the architecture with --model NAME").doesNotContain("Exception");
    }

    @Test
    void groupsOfAGraphFileShowWhereTheClassifierReadsThemAndWhyTheyAreFixed() throws IOException {
        Path file = tmp.resolve("net.json");
        Files.writeString(file, GraphJson.toJson(new LayerGraph(List.of(new Node.Input("x", 1, 8, 8),
                new Node.Conv("a", "x", 1, 8, 3, 1, 1, 1, 1, false), new Node.Conv("g", "a", 8, 16, 3, 1, 1, 1, 2, false),
                new Node.Concat("cat", List.of("a", "g")), new Node.Flatten("flat", "cat"),
                new Node.Linear("fc", "flat", 24 * 64, 10, true)))));
        CliRunner r = CliRunner.run("groups", "--model", "graph:" + file);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String why = "  \\(fixed: grouped convolution g \\(2 groups\\) with 8 inputs and 16 outputs\\)";
        assertThat(r.out()).contains("graph:" + file + ": 2 channel groups")
                .containsPattern("a +fixed +8 +a +g,fc@0x64" + why + "\\n")
                .containsPattern("g +fixed +16 +g +fc@512x64" + why);
        // a grouped convolution with as many outputs as inputs shares its input's group, removed in blocks of its group width
        Path tied = tmp.resolve("tied.json");
        Files.writeString(tied, GraphJson.toJson(new LayerGraph(List.of(new Node.Input("x", 1, 8, 8),
                new Node.Conv("a", "x", 1, 8, 3, 1, 1, 1, 1, false), new Node.Conv("g", "a", 8, 8, 3, 1, 1, 1, 2, false),
                new Node.Conv("c", "g", 8, 8, 3, 1, 1, 1, 1, false), new Node.Flatten("flat", "c"),
                new Node.Linear("fc", "flat", 8 * 64, 10, true)))));
        CliRunner t = CliRunner.run("groups", "--model", "graph:" + tied);
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).containsPattern("a +internal +8 +a,g +c  \\(removed in blocks of 4\\)\\n");

        CliRunner widened = CliRunner.run("groups", "--model", "graph:" + file, "--width", "0.5");
        assertThat(widened.exitCode()).isEqualTo(2);
        assertThat(widened.err()).contains("--width scales a built-in model;").contains("declares its own widths");
        Files.writeString(file, "{\"nodes\": [{\"op\": \"input\", \"name\": \"x\", \"channels\": 0, \"height\": 8, \"width\": 8}]}");
        CliRunner bad = CliRunner.run("groups", "--model", "graph:" + file);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("chase: graph file " + file + ": input x needs positive channels, height and width");
        CliRunner wide = CliRunner.run("groups", "--model", "wrn-22-2", "--width", "0.5");
        assertThat(wide.exitCode()).as(wide.err()).isZero();
        assertThat(wide.out()).contains("wrn-22-2, width 0.5: 13 channel groups");
        CliRunner profile = CliRunner.run("profile", "--model", "wrn-22-2", "--width", "0.25", "--batch-size", "2", "--warmup", "0",
                "--repeats", "1", "--threads", "1");
        assertThat(profile.exitCode()).as(profile.err()).isZero();
        assertThat(profile.out()).containsPattern("block1.layer.0.conv1 +conv").containsPattern("\\+add +add");
    }

    private static Path onnxFixture(String name) {
        try {
            return Path.of(FlopsAndBenchTest.class.getResource("/onnx/" + name + ".onnx").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void groupsOfAnOnnxFileAndARefusedOne() {
        CliRunner r = CliRunner.run("groups", "--model", "onnx:" + onnxFixture("resnet18"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("12 channel groups").containsPattern("stream3 +stream +512 +layer4.0.conv2");
        CliRunner flops = CliRunner.run("flops", "--model", "onnx:" + onnxFixture("resnet18"));
        assertThat(flops.exitCode()).as(flops.err()).isZero();
        assertThat(flops.out()).containsPattern("layer4.1.conv2 +1 +2359296 +4.7186e\\+06").contains("total");
        CliRunner refused = CliRunner.run("groups", "--model", "onnx:" + onnxFixture("squeezenet1_1"));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err().strip()).startsWith("chase: onnx file ").contains("ceil_mode pooling is not read")
                .doesNotContain("\n");
    }

    @Test
    void missingRunsAndUnfinishedRunsAreClearErrors() throws IOException {
        Path missing = tmp.resolve("nowhere");
        for (String command : List.of("flops", "bench")) {
            CliRunner r = CliRunner.run(command, missing.toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("run directory " + missing + " does not exist").doesNotContain("Exception");
        }
        Path unfinished = Files.createDirectories(tmp.resolve("unfinished"));
        Files.copy(run.resolve("config.json"), unfinished.resolve("config.json"));
        for (String command : List.of("flops", "bench")) {
            CliRunner r = CliRunner.run(command, unfinished.toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("has no final model yet").contains("chase train --resume " + unfinished);
        }
        assertThat(unfinished.resolve("flops.json")).doesNotExist();
        CliRunner neither = CliRunner.run("flops");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("give either a run directory or --model NAME");
        CliRunner badBatch = CliRunner.run("bench", "--batch-sizes", "0", run.toString());
        assertThat(badBatch.exitCode()).isEqualTo(2);
        assertThat(badBatch.err()).contains("--batch-sizes must be positive, got 0");
    }
}
