package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user mistake ends with one clear message, exit code 2, no stack trace and no half-written run. */
class BadInputTest {
    @TempDir
    Path tmp;

    private CliRunner fails(String expectedMessage, String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(expectedMessage);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        return r;
    }

    private String[] train(String... extra) {
        String[] base = {"train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "1",
            "--run-dir", tmp.resolve("run").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void unknownModelAndDataset() {
        fails("unknown model 'resnet19'", train("--model", "resnet19"));
        fails("unknown dataset 'imagenet21k'", train("--dataset", "imagenet21k"));
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void valuesOutOfRange() {
        fails("width must be in (0, 4]", train("--width", "5"));
        fails("epochs must be positive", train("--epochs", "0"));
        fails("momentum must be in [0, 1)", train("--momentum", "1.5"));
        fails("unknown learning-rate schedule 'linear'", train("--lr-schedule", "linear"));
        fails("unknown method 'sparse'", train("--method", "sparse"));
        fails("Invalid value for option '--epochs'", train("--epochs", "many"));
        fails("Unknown options: '--densty'", train("--densty", "0.1"));
        int cores = Runtime.getRuntime().availableProcessors();
        fails("--threads " + (cores + 1) + " is more than the " + cores + " cores of this machine; more engine threads than cores"
                + " only slow it down: give at most --threads " + cores, train("--threads", String.valueOf(cores + 1)));
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void badSparseConfigurations() {
        fails("density must be in (0, 1]", train("--method", "rigl", "--density", "0"));
        fails("density must be in (0, 1]", train("--method", "static", "--density", "1.5"));
        fails("update interval must be a positive number of iterations", train("--method", "set", "--update-interval", "0"));
        fails("death rate p0 must be >= 0", train("--method", "mest", "--death-rate", "-0.1"));
        fails("density + death rate must be at most 1", train("--method", "mest", "--density", "0.98", "--death-rate", "0.05"));
        fails("the soft bound cannot end after the last epoch", train("--method", "mest", "--soft-bound-end", "2"));
        fails("method dense does not use --density", train("--density", "0.1"));
        fails("method rigl does not use --death-rate; its options are: --density", train("--method", "rigl", "--death-rate", "0.05"));
        fails("method mest does not use --scope", train("--method", "mest", "--scope", "global"));
        fails("method static does not use --update-interval", train("--method", "static", "--update-interval", "10"));
        fails("unknown distribution 'random'", train("--method", "set", "--distribution", "random"));
        fails("unknown scope 'channel'", train("--method", "set", "--scope", "channel"));
        fails("update fraction must be in (0, 1]", train("--method", "rigl", "--update-fraction", "1.5"));
        fails("channel sparsity must be in [0, 1)", train("--method", "chase", "--channel-sparsity", "1"));
        fails("min ratio (beta) must be in (0, 1]", train("--method", "chase", "--min-ratio", "0"));
        fails("never fires before the channel end", train("--method", "chase", "--channel-interval", "5000"));
        fails("--prune-skip applies to residual networks only", train("--method", "chase", "--prune-skip", "--model", "vgg11",
                "--update-interval", "4", "--channel-interval", "8"));
        fails("method mest does not use --channel-sparsity", train("--method", "mest", "--channel-sparsity", "0.5"));
        fails("method mest does not use --shrink-during-training", train("--method", "mest", "--shrink-during-training"));
        fails("unknown channel score 'l1'", train("--method", "chase", "--channel-score", "l1"));
        fails("alternative channel budgets", train("--method", "chase", "--channel-sparsity", "0.5", "--target-flops", "0.5"));
        fails("alternative channel budgets", train("--method", "chase", "--target-latency", "0.5", "--target-flops", "0.5"));
        fails("target FLOPs must be a fraction", train("--method", "chase", "--target-flops", "1.5"));
        fails("--latency-table is only used with --target-latency", train("--method", "chase", "--latency-table", "t.json"));
        fails("method rigl does not use --target-flops", train("--method", "rigl", "--target-flops", "0.5"));
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void missingOrCorruptDataFolders() throws IOException {
        fails("data folder " + tmp.resolve("nope") + " does not exist", train("--dataset", "fashion-mnist", "--data-dir", tmp.resolve("nope").toString()));
        Files.writeString(tmp.resolve("afile"), "x");
        fails("data folder " + tmp.resolve("afile") + " is a file, not a folder",
                train("--dataset", "fashion-mnist", "--data-dir", tmp.resolve("afile").toString()));
        fails("needs --data-dir", train("--dataset", "mnist"));
        Path idx = Files.createDirectories(tmp.resolve("idx"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            Files.write(idx.resolve(f), new byte[] {0, 0, 8, 3, 0, 0, 0, 5});
        }
        fails("train-images-idx3-ubyte", train("--dataset", "fashion-mnist", "--data-dir", idx.toString()));
        Path cifar = Files.createDirectories(tmp.resolve("cifar").resolve("cifar-10-batches-bin"));
        for (String f : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}) {
            Files.write(cifar.resolve(f), new byte[100]);
        }
        fails("data_batch_1.bin", train("--dataset", "cifar10", "--data-dir", tmp.resolve("cifar").toString()));
        fails("--download", train("--dataset", "cifar100", "--data-dir", tmp.resolve("empty-cache").toString()));
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void unwritableRunDirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        fails("cannot create run directory", "train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic",
                "--epochs", "1", "--run-dir", file.resolve("run").toString());
    }

    @Test
    void resumeProblems() throws IOException {
        fails("does not exist", "train", "--resume", tmp.resolve("missing").toString());
        Path notRun = Files.createDirectories(tmp.resolve("not-a-run"));
        fails("is not a chase run directory", "train", "--resume", notRun.toString());

        CliRunner stopped = CliRunner.run(train("--epochs", "2", "--until-epoch", "1"));
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        Path run = tmp.resolve("run");
        fails("remove --model (the run has model resnet20, not vgg19)", "train", "--resume", run.toString(), "--model", "vgg19");
        fails("remove --lr (the run has lr 0.1, not 0.5); only --threads, --until-epoch, --from-checkpoint, --data-dir may accompany"
                + " --resume",
                "train", "--resume", run.toString(), "--lr", "0.5");
        fails("remove --epochs (the run already has epochs 2)", "train", "--resume", run.toString(), "--epochs", "2");
        fails("remove --recipe", "train", "--resume", run.toString(), "--recipe", "recipes/resnet20-cifar10.yaml");
        // flags that do not change the result are accepted
        CliRunner safe = CliRunner.run("train", "--resume", run.toString(), "--threads", "1", "--until-epoch", "1");
        assertThat(safe.exitCode()).as(safe.err()).isZero();
        assertThat(safe.out()).contains("resuming " + run + " after epoch 1 of 2", "stopped after epoch 1");
        fails("remove --target-flops", "train", "--resume", run.toString(), "--target-flops", "0.5");

        // A run whose config was edited to another model: refused by the checksum, and without one (a run from an older
        // chase) because its checkpoint no longer fits.
        Path edited = tmp.resolve("edited");
        copyTree(run, edited);
        Path config = edited.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"resnet20\"", "\"resnet32\""));
        fails(config + " was changed after the run started", "train", "--resume", edited.toString());
        Files.delete(edited.resolve("fingerprints.json"));
        fails("does not match this model", "train", "--resume", edited.toString());

        fails("already holds a run", train("--epochs", "2"));
    }

    @Test
    void badLatencyTables() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"format\": 1, \"key\": [");
        fails("latency table " + bad + " is malformed",
                train("--method", "chase", "--target-latency", "0.5", "--latency-table", bad.toString(), "--update-interval", "4",
                        "--channel-interval", "8"));
        assertThat(tmp.resolve("run")).doesNotExist();
        fails("give --model NAME", "profile-latency", "--width", "0.5");
    }

    @Test
    void anAbsurdLearningRateStopsTheRunNamingEpochAndStep() throws IOException {
        Path data = dev.chase.TinyData.write(tmp.resolve("tiny"));
        CliRunner r = fails("training diverged in epoch 1 at step ", "train", "--model", "resnet20", "--width", "0.25",
                "--dataset", "fashion-mnist", "--data-dir", data.toString(), "--epochs", "2", "--batch-size", "25", "--lr", "1e6",
                "--run-dir", tmp.resolve("run").toString());
        assertThat(r.err()).containsPattern("the training loss is (NaN|-?Infinity); no epoch had completed, so there is no "
                + "checkpoint \\(delete .*run to start again\\); try a lower --lr");
        assertThat(tmp.resolve("run/checkpoints")).isEmptyDirectory();
    }

    @Test
    void recipeProblems() throws IOException {
        Path malformed = Files.writeString(tmp.resolve("bad.yaml"), "model: [resnet20\nepochs: 2\n");
        fails("recipe " + malformed + " is malformed (line", "train", "--recipe", malformed.toString());
        Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), "model: resnet20\ndensty: 0.1\n");
        fails("unknown key 'densty'", "train", "--recipe", unknown.toString());
        Path nested = Files.writeString(tmp.resolve("nested.yaml"), "model:\n  name: resnet20\n");
        fails("key 'model' must have a single value", "train", "--recipe", nested.toString());
        fails("does not exist", "train", "--recipe", tmp.resolve("none.yaml").toString());
        Path badValue = Files.writeString(tmp.resolve("value.yaml"), "epochs: lots\n");
        fails("recipe " + badValue + ": key 'epochs' must be a whole number, not 'lots'", "train", "--recipe", badValue.toString());
    }

    @Test
    void evalProblems() {
        fails("is neither a run directory nor a saved model folder", "eval", tmp.toString());
        fails("Missing required parameter", "eval");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
