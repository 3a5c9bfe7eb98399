package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chase.config.TrainConfig;
import dev.chase.io.Json;
import dev.chase.run.ChannelTable;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import dev.chase.run.SparsityMetrics.ConvLayer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chase analyze} end to end on a short RigL run, and its refusals. */
class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void analysesASparseRunWhileItRunsAndWhenItIsFinished() throws IOException {
        Path run = tmp.resolve("rigl");
        CliRunner train = CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "2",
                "--batch-size", "50", "--method", "rigl", "--update-interval", "15", "--until-epoch", "1", "--run-dir", run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();

        CliRunner partial = CliRunner.run("analyze", run.toString());
        assertThat(partial.exitCode()).as(partial.err()).isZero();
        assertThat(partial.out()).contains("no final distribution: channels.json is written when the run finishes");
        assertThat(run.resolve("analysis.json")).exists();
        assertThat(run.resolve("analysis-ratio.png")).doesNotExist();

        assertThat(CliRunner.run("train", "--resume", run.toString()).exitCode()).isZero();
        CliRunner r = CliRunner.run("analyze", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("resnet20, method rigl; 9 prunable of ").contains("final distribution of rho_lc / rho_l after epoch 2")
                .contains("[0.9, 1.0)").contains("[2.0, inf)");

        // analysis.json agrees with metrics.jsonl and channels.json
        List<EpochMetrics> metrics = RunDirectory.open(run).readMetrics();
        ChannelTable table = RunDirectory.open(run).readChannels().orElseThrow();
        JsonNode a = Json.MAPPER.readTree(run.resolve("analysis.json").toFile());
        assertThat(a.get("method").asText()).isEqualTo("rigl");
        assertThat(a.get("epochs")).hasSize(2);
        for (int e = 0; e < 2; e++) {
            Map<String, ConvLayer> convs = metrics.get(e).sparsity().convChannels();
            JsonNode row = a.get("epochs").get(e);
            assertThat(row.get("epoch").asInt()).isEqualTo(e + 1);
            for (String part : List.of("prunable", "all-convs")) {
                List<ConvLayer> layers = convs.values().stream().filter(l -> part.equals("all-convs") || l.prunable()).toList();
                int channels = layers.stream().mapToInt(ConvLayer::channels).sum();
                assertThat(row.get(part).get("channels").asInt()).isEqualTo(channels);
                assertThat(row.get(part).get("layers").asInt()).isEqualTo(layers.size());
                for (double alpha : ConvLayer.ALPHAS) {
                    String k = ConvLayer.key(alpha);
                    int amenable = layers.stream().mapToInt(l -> l.amenable().get(k)).sum();
                    assertThat(row.get(part).get("amenable").get(k).asInt()).isEqualTo(amenable);
                    assertThat(row.get(part).get("fraction").get(k).asDouble()).isCloseTo((double) amenable / channels, within(1e-12));
                }
            }
        }
        // the histogram counts every final channel once, in the bin of its ratio
        JsonNode h = a.get("final-ratio");
        assertThat(h.get("epoch").asInt()).isEqualTo(2);
        long[] all = Json.MAPPER.convertValue(h.get("all-convs"), long[].class);
        long[] prunable = Json.MAPPER.convertValue(h.get("prunable"), long[].class);
        assertThat(Arrays.stream(all).sum()).isEqualTo(table.layers().stream().mapToLong(l -> l.ratio().length).sum());
        assertThat(Arrays.stream(prunable).sum()).isEqualTo(a.get("epochs").get(1).get("prunable").get("channels").asLong());
        long below = table.layers().stream().flatMapToDouble(l -> Arrays.stream(l.ratio())).filter(x -> x < 0.5).count();
        assertThat(Arrays.stream(all, 0, 5).sum()).isEqualTo(below);
        assertThat(h.get("layers")).hasSize(table.layers().size());

        for (String png : List.of("analysis-amenable.png", "analysis-ratio.png", "analysis-layers.png")) {
            BufferedImage image = ImageIO.read(run.resolve(png).toFile());
            assertThat(image).as(png).isNotNull();
            assertThat(image.getWidth()).as(png).isGreaterThanOrEqualTo(900);
            assertThat(r.out()).contains(png);
        }

        // the same run as if written before per-channel statistics were logged
        List<String> stripped = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(line);
            ((ObjectNode) node.get("sparsity")).remove("conv-channels");
            stripped.add(Json.write(node));
        }
        Files.write(run.resolve("metrics.jsonl"), stripped);
        Files.delete(run.resolve("channels.json"));
        CliRunner old = CliRunner.run("analyze", run.toString());
        assertThat(old.exitCode()).isEqualTo(2);
        assertThat(old.err()).contains("has no per-channel statistics: it was trained before chase logged them")
                .contains("chase train --recipe").doesNotContain("Exception");
    }

    @Test
    void refusesMissingAndDenseRuns() {
        CliRunner missing = CliRunner.run("analyze", tmp.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");

        Path dense = tmp.resolve("dense");
        RunDirectory.create(dense).writeConfig(TrainConfig.defaults().with("model", "resnet20", "dataset", "synthetic").resolved());
        CliRunner refused = CliRunner.run("analyze", dense.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("trained with method dense: it has no masks, so no per-channel statistics");
        assertThat(dense.resolve("analysis.json")).doesNotExist();
    }
}
