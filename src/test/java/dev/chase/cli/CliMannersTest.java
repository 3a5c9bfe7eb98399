package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.io.Shell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's manners: help that reads well, results where a log keeps them, hints that
 * can be copied, and options refused where they would silently do nothing.
 */
class CliMannersTest {
    private static final List<String> COMMANDS = List.of("train", "eval", "shrink", "bench", "flops", "groups", "analyze", "export", "report",
            "compare", "demo", "bench-train", "profile-latency", "profile", "sweep", "runs");

    @TempDir
    Path tmp;

    private static void fails(String message, String... args) {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message).doesNotContain("Exception", "\tat ");
    }

    @Test
    void helpHasNoPicocliWarningsCompleteSummariesOnePlaceholderStyleAndReadableDefaults() {
        PrintStream saved = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> helps = new ArrayList<>();
        try {
            // picocli reports a description it cannot format on System.err, not on the command's stream
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            helps.add(CliRunner.run("--help").out());
            for (String c : COMMANDS) {
                helps.add(CliRunner.run(c, "--help").out());
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();

        // the command lists: each summary is one short, whole sentence on the command's own line
        String list = helps.get(0).substring(helps.get(0).indexOf("Commands:"));
        for (String c : COMMANDS) {
            assertOneLineSummary(list, c);
        }
        assertOneLineSummary(CliRunner.run("runs", "--help").out(), "check");
        assertOneLineSummary(CliRunner.run("sweep", "--help").out(), "status");
        for (String help : helps) {
            assertThat(help).doesNotContain("=<", "E-");
        }
        assertThat(helps.get(1)).contains("--weight-decay=X").containsPattern("Default:\\s+0.0005\\.");
    }

    private static void assertOneLineSummary(String help, String command) {
        List<String> lines = List.of(help.substring(help.indexOf("Commands:")).split("\n"));
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  " + command + " ")) {
                at = i;
            }
        }
        assertThat(at).as(command).isPositive();
        assertThat(lines.get(at)).as(command).endsWith(".").doesNotContain("%%");
        assertThat(at + 1 < lines.size() ? lines.get(at + 1) : "  end").as("the line after " + command).matches("  \\S.*");
    }

    @Test
    void epochResultsGoToStandardOutputAndHintsQuotePaths() {
        Path run = tmp.resolve("my run");
        CliRunner r = CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "2",
                "--until-epoch", "1", "--batch-size", "100", "--threads", "1", "--run-dir", run.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("epoch 1/2  train loss", "continue with: chase train --resume '" + run + "'");
        assertThat(r.err()).doesNotContain("epoch 1/2  train loss");

        assertThat(Shell.quote(Path.of("runs/resnet20-cifar10-1"))).isEqualTo("runs/resnet20-cifar10-1");
        assertThat(Shell.quote("it's here")).isEqualTo("'it'\\''s here'");
        assertThat(ExportCommand.size(812)).isEqualTo("812 B");
        assertThat(ExportCommand.size(39_212)).isEqualTo("39.2 KB");
        assertThat(ExportCommand.size(2_400_000)).isEqualTo("2.4 MB");
    }

    @Test
    void benchCallsADenseRunsTrainedNetworkTrainedNotMasked() {
        Path run = tmp.resolve("dense");
        assertThat(CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "1",
                "--batch-size", "100", "--threads", "1", "--run-dir", run.toString()).exitCode()).isZero();
        CliRunner bench = CliRunner.run("bench", run.toString(), "--batch-sizes", "1", "--warmup", "0", "--repeats", "1");
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("trained ").doesNotContain("masked ");

        // hints name the command whose flag they advise: shrink has no --method, demo no --resume, eval has --download
        fails("there is nothing to shrink (only runs trained with chase train --method chase are)", "shrink", run.toString());
        fails("already holds a run; continue it with: chase train --resume " + run + ", or choose another --run-dir", "demo",
                "--run-dir", run.toString());
        fails("--download applies to cifar10 and cifar100 only", "eval", run.toString(), "--download");
    }

    @Test
    void hintsInMessagesQuotePathsToo() throws Exception {
        Path summary = Files.createDirectories(tmp.resolve("it's mine")).resolve("summary.json");
        Files.writeString(summary, "{");
        assertThatThrownBy(() -> dev.chase.report.RunSummary.read(summary))
                .hasMessageContaining("rewrite it with: chase report '" + tmp + "/it'\\''s mine'");
    }

    @Test
    void offATerminalProgressIsAPlainLineEvery10Seconds() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long[] now = {0};
        ProgressBar progress = new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8),
                new java.io.PrintWriter(new ByteArrayOutputStream()), false, () -> now[0]);
        for (int batch = 1; batch <= 100; batch++) { // a 50-second epoch, half a second per batch
            now[0] = batch * 500_000_000L;
            progress.onBatch(3, batch, 100, 1.5, 200);
        }
        progress.onEvaluate(3);
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("\r");
        assertThat(printed.lines().toList()).containsExactly(
                "epoch 3: 21/100 batches  loss 1.5000  200 img/s  epoch ETA 0:38",
                "epoch 3: 41/100 batches  loss 1.5000  200 img/s  epoch ETA 0:29",
                "epoch 3: 61/100 batches  loss 1.5000  200 img/s  epoch ETA 0:19",
                "epoch 3: 81/100 batches  loss 1.5000  200 img/s  epoch ETA 0:09");
    }

    @Test
    void optionsThatWouldDoNothingAreRefused() {
        String[] base = {"train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "1", "--run-dir",
            tmp.resolve("run").toString()};
        fails("--download applies to cifar10 and cifar100 only", concat(base, "--download"));
        fails("--data-dir does not apply to synthetic", concat(base, "--data-dir", tmp.toString()));
        fails("--batch-size 5000 is larger than the training set (2000 images)", concat(base, "--batch-size", "5000"));
        fails("--until-epoch 2 is beyond the run's 1 epoch; give at most --until-epoch 1", concat(base, "--until-epoch", "2"));
        // one check, one wording, for every prune-and-regrow method and for Chase's channel events (16 steps here)
        fails("the update interval 100 never fires in the first 75% (--update-end 0.75) of the run's 16 steps (1 epoch of 16), so"
                + " rigl's masks would never change; use a smaller --update-interval, or --method static for fixed masks",
                concat(base, "--method", "rigl", "--update-interval", "100"));
        fails("the update interval 13 never fires in the first 75% (--update-end 0.75) of the run's 16 steps",
                concat(base, "--method", "set", "--update-interval", "13"));
        fails("the update interval 500 never fires in the run's 16 steps (1 epoch of 16), so mest's masks would never change",
                concat(base, "--method", "mest", "--update-interval", "500"));
        fails("the update interval 20 never fires in the run's 16 steps (1 epoch of 16), so chase's masks would never change",
                concat(base, "--method", "chase", "--update-interval", "20", "--channel-interval", "4"));
        fails("the channel interval 40 never fires before the channel end (epoch 1, step 16), so no channel would be removed; use a"
                + " smaller --channel-interval", concat(base, "--method", "chase", "--update-interval", "4", "--channel-interval", "40"));
        assertThat(tmp.resolve("run")).doesNotExist();
        assertThat(CliRunner.run("bench-train", "--help").out()).contains("--channel-interval=N");
        Path run = tmp.resolve("run");
        fails("are the same run; name each run once", "compare", run.toString(), tmp.resolve(".").resolve("run").toString());
    }

    @Test
    void recipesNameTheFileForWrongTypesDuplicatesEmptyValuesAndFolders() throws Exception {
        Path wrong = Files.writeString(tmp.resolve("wrong.yaml"), "epochs: many\n");
        fails("recipe " + wrong + ": key 'epochs' must be a whole number, not 'many'", "train", "--recipe", wrong.toString());
        Path flag = Files.writeString(tmp.resolve("flag.yaml"), "prune-skip: sometimes\n");
        fails("key 'prune-skip' must be true or false, not 'sometimes'", "train", "--recipe", flag.toString());
        Path twice = Files.writeString(tmp.resolve("twice.yaml"), "epochs: 2\nlr: 0.1\nepochs: 3\n");
        fails("recipe " + twice + ": key 'epochs' is given twice (again on line 3)", "train", "--recipe", twice.toString());
        Path twiceJson = Files.writeString(tmp.resolve("twice.json"), "{\"lr\": 0.1,\n \"lr\": 0.2}\n");
        fails("recipe " + twiceJson + ": key 'lr' is given twice (again on line 2)", "train", "--recipe", twiceJson.toString());
        Path huge = Files.writeString(tmp.resolve("huge.yaml"), "epochs: 3000000000\n");
        fails("recipe " + huge + ": key 'epochs' must be a whole number up to 2147483647, not '3000000000'", "train", "--recipe",
                huge.toString());
        Path empty = Files.writeString(tmp.resolve("empty.yaml"), "epochs:\n");
        fails("recipe " + empty + ": key 'epochs' has no value", "train", "--recipe", empty.toString());
        fails("recipe " + tmp + " is a folder", "train", "--recipe", tmp.toString());
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
