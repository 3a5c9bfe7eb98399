package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.config.TrainConfig;
import dev.chase.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path tmp;

    @Test
    void recipeSetsDefaultsAndFlagsOverrideIt() throws IOException {
        Path recipe = Files.writeString(tmp.resolve("r.yaml"), String.join("\n",
                "# a small run", "model: resnet20", "width: 0.25", "dataset: synthetic", "epochs: 3", "batch-size: 100",
                "lr-schedule: cosine", "label-smoothing: 0.1", ""));
        Path run = tmp.resolve("run");
        CliRunner r = CliRunner.run("train", "--recipe", recipe.toString(), "--epochs", "2", "--until-epoch", "1",
                "--run-dir", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        TrainConfig saved = Json.MAPPER.readValue(run.resolve("config.json").toFile(), TrainConfig.class);
        assertThat(saved.epochs()).isEqualTo(2);
        assertThat(saved.batchSize()).isEqualTo(100);
        assertThat(saved.labelSmoothing()).isEqualTo(0.1);
        assertThat(saved.lr()).isEqualTo(TrainConfig.defaults().lr());
        assertThat(r.out()).contains("stopped after epoch 1").contains("chase train --resume " + run);

        CliRunner resumed = CliRunner.run("train", "--resume", run.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming " + run + " after epoch 1 of 2").contains("finished after epoch 2");
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(2);

        CliRunner eval = CliRunner.run("eval", run.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("on synthetic test (500 images): accuracy");

        // A saved config is itself a recipe.
        CliRunner again = CliRunner.run("train", "--recipe", run.resolve("config.json").toString(), "--until-epoch", "1",
                "--run-dir", tmp.resolve("again").toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readString(tmp.resolve("again/config.json"))).isEqualTo(Files.readString(run.resolve("config.json")));
    }

    @Test
    void chaseRunShrinksAndTheSlimModelEvaluates() {
        Path run = tmp.resolve("chase");
        CliRunner r = CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "2",
                "--batch-size", "50", "--method", "chase", "--update-interval", "10", "--channel-interval", "10",
                "--soft-bound-end", "1", "--run-dir", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("shrunk: ").contains("group widths (before -> after)").contains("layer3.2.conv1");
        assertThat(run.resolve("model-slim/netspec.json")).exists();
        assertThat(run.resolve("shrink.json")).exists();

        CliRunner again = CliRunner.run("shrink", run.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("shrunk: ").contains("report: " + run.resolve("report.html"));

        CliRunner bench = CliRunner.run("bench", "--batch-size", "4", "--warmup", "0", "--repeats", "2", run.toString());
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("dense ").contains("masked ").contains("shrunk ").contains("speed-up");
        assertThat(run.resolve("bench.json")).exists();

        CliRunner eval = CliRunner.run("eval", "--slim", run.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("model-slim on synthetic test (500 images): accuracy");

        Path dense = tmp.resolve("dense");
        assertThat(CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "1",
                "--run-dir", dense.toString()).exitCode()).isZero();
        CliRunner refused = CliRunner.run("shrink", dense.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("removes no channels: there is nothing to shrink");
        CliRunner noSlim = CliRunner.run("eval", "--slim", dense.toString());
        assertThat(noSlim.exitCode()).isEqualTo(2);
        assertThat(noSlim.err()).contains("has no shrunk model");
    }

    @Test
    void demoRunsChaseOnTheEmbeddedDataAndShrinks() {
        Path run = tmp.resolve("demo");
        CliRunner r = CliRunner.run("demo", "--epochs", "1", "--run-dir", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("chase demo: chase resnet20").contains("finished after epoch 1").contains("shrunk: ");
        assertThat(run.resolve("model-slim/parameters.bin")).exists();
        // then the bench table at the default batch sizes and repeats, and the report with it
        assertThat(r.out()).contains("20 timed repeats after 3 warm-up").contains("  128 shrunk ").contains("realised")
                .contains("report: " + run.resolve("report.html"));
        assertThat(r.out().indexOf("report: ")).isGreaterThan(r.out().indexOf("  128 shrunk "));
        assertThat(run.resolve("bench.json")).exists();
        assertThat(run.resolve("summary.json")).content().contains("\"bench\"");
    }

    @Test
    void helpAndVersion() {
        CliRunner help = CliRunner.run("train", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--batch-size").contains("Default: 128").contains("--recipe").contains("resnet50-imagenet");
        CliRunner version = CliRunner.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("chase").contains("DJL 0.36.0");
        CliRunner top = CliRunner.run();
        assertThat(top.exitCode()).isEqualTo(2);
        assertThat(top.err()).contains("Missing required subcommand");
    }

    @Test
    void benchTrainPrintsMedianMinMaxAndWritesJson() throws IOException {
        Path json = tmp.resolve("bench.json");
        CliRunner r = CliRunner.run("bench-train", "--model", "resnet20", "--width", "0.25", "--batch-size", "8",
                "--warmup", "1", "--steps", "4", "--rounds", "2", "--method", "dense,rigl", "--update-interval", "2",
                "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("4 timed steps per method after 1 warm-up").contains("mean/dense");
        var tree = Json.MAPPER.readTree(json.toFile());
        assertThat(tree).hasSize(2);
        assertThat(tree.get(0).get("method").asText()).isEqualTo("dense");
        assertThat(tree.get(0).get("mean-ratio").asDouble()).isEqualTo(1.0);
        assertThat(tree.get(1).get("method").asText()).isEqualTo("rigl");
        // rigl steps 2..5 are timed; the only update is at t = 2 (every 2 steps while t < T_end = round(0.75 * 5) = 4)
        assertThat(tree.get(1).get("update-steps").asInt()).isEqualTo(1);
        assertThat(tree.get(1).get("step-millis")).hasSize(4);
        double median = tree.get(1).get("millis-per-step").get("median").asDouble();
        assertThat(median).isGreaterThanOrEqualTo(tree.get(1).get("millis-per-step").get("min").asDouble())
                .isLessThanOrEqualTo(tree.get(1).get("millis-per-step").get("max").asDouble());
    }
}
