package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.TinyData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways back when a run's files or data went wrong: going back to an earlier checkpoint
 * ({@code --from-checkpoint}, {@code chase runs check}), an edited {@code config.json} or other
 * data refused on resume, moved data accepted with {@code --data-dir} when its fingerprint
 * matches, and {@code --restart} of a run stopped before its first checkpoint.
 */
class RecoveryTest {
    @TempDir
    Path tmp;

    private Path data;

    private CliRunner train(Path run, String... extra) throws Exception {
        if (data == null) {
            data = TinyData.write(tmp.resolve("data"));
        }
        List<String> args = new ArrayList<>(List.of("train", "--model", "resnet20", "--width", "0.25", "--dataset", "fashion-mnist",
                "--data-dir", data.toString(), "--epochs", "4", "--batch-size", "50", "--threads", "1", "--run-dir", run.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static CliRunner resume(Path run, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--resume", run.toString(), "--threads", "1"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void aCorruptLatestCheckpointIsFoundAndTheRunGoesBackToTheOneBefore() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(train(run, "--until-epoch", "3").exitCode()).isZero();
        Path latest = run.resolve("checkpoints/epoch-0003.ckpt");
        byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length / 2] ^= 1;
        Files.write(latest, bytes);

        CliRunner refused = resume(run);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("epoch-0003.ckpt is corrupt", "--from-checkpoint EPOCH");

        CliRunner check = CliRunner.run("runs", "check", run.toString());
        assertThat(check.exitCode()).as(check.err()).isEqualTo(1);
        assertThat(check.out()).containsPattern("epoch 2 +ok, step 8")
                .containsPattern("epoch 3 +UNREADABLE: .*corrupt.*\\(latest\\)")
                .contains("metrics.jsonl     3 epochs logged",
                        "problem: the latest checkpoint (epoch 3) is unreadable; go back to epoch 2: chase train --resume " + run
                                + " --from-checkpoint 2");

        CliRunner back = resume(run, "--from-checkpoint", "2");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.out()).contains("resuming " + run + " after epoch 2 of 4", "finished after epoch 4");
        CliRunner fine = CliRunner.run("runs", "check", run.toString());
        assertThat(fine.exitCode()).as(fine.out()).isZero();
        assertThat(fine.out()).contains("final model       present", "config.json       unchanged").endsWith("ok\n");

        assertThat(resume(run, "--from-checkpoint", "1").err()).contains("holds no checkpoint of epoch 1; it holds epochs 3, 4");
        assertThat(CliRunner.run("train", "--from-checkpoint", "1").err()).contains("give --resume RUN_DIR too");
    }

    @Test
    void aMetricsLogThatLostEpochsIsNamedAndTheRunGoesBackToTheEpochsItCovers() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(train(run, "--until-epoch", "3").exitCode()).isZero();
        Path metrics = run.resolve("metrics.jsonl");
        List<String> lines = Files.readAllLines(metrics);
        Files.write(metrics, lines.subList(0, 2)); // epoch 3's line gone: a hand edit
        String gap = metrics + " logs only epochs 1 to 2, but the run has a checkpoint after epoch 3";
        String wayOut = "go back to epoch 2: chase train --resume " + run + " --from-checkpoint 2";

        CliRunner check = CliRunner.run("runs", "check", run.toString());
        assertThat(check.exitCode()).as(check.out()).isEqualTo(1);
        assertThat(check.out()).contains("problem: " + gap).contains(wayOut);
        CliRunner refused = resume(run);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains(gap).contains(wayOut);
        Files.writeString(metrics, "");
        assertThat(CliRunner.run("report", run.toString()).err()).contains(metrics + " logs no epoch, but the run has a checkpoint"
                + " after epoch 3").contains("start the run again in a new --run-dir").doesNotContain("no completed epoch yet");

        Files.write(metrics, lines.subList(0, 2));
        CliRunner back = resume(run, "--from-checkpoint", "2");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.out()).contains("resuming " + run + " after epoch 2 of 4", "finished after epoch 4");
        assertThat(CliRunner.run("runs", "check", run.toString()).exitCode()).isZero();
    }

    @Test
    void anEditedConfigAndOtherDataAreRefusedAndMovedDataIsAccepted() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(train(run, "--until-epoch", "1").exitCode()).isZero();

        Path config = run.resolve("config.json");
        String original = Files.readString(config);
        Files.writeString(config, original.replace("\"epochs\" : 4", "\"epochs\" : 5"));
        CliRunner edited = resume(run);
        assertThat(edited.exitCode()).isEqualTo(2);
        assertThat(edited.err()).contains(config + " was changed after the run started");
        assertThat(CliRunner.run("runs", "check", run.toString()).out()).contains("CHANGED since the run started");
        Files.writeString(config, original);

        Path images = data.resolve("train-images-idx3-ubyte");
        byte[] saved = Files.readAllBytes(images);
        byte[] other = saved.clone();
        other[16 + 28 * 28 * 7 + 3] ^= 0x40;
        Files.write(images, other);
        CliRunner otherData = resume(run);
        assertThat(otherData.exitCode()).isEqualTo(2);
        assertThat(otherData.err()).contains("is not what run " + run + " was trained on",
                "the same counts but other images or labels");
        Files.write(images, saved);

        Path moved = Files.move(data, tmp.resolve("moved data"));
        CliRunner missing = resume(run, "--until-epoch", "2");
        assertThat(missing.exitCode()).isEqualTo(2);
        CliRunner accepted = resume(run, "--until-epoch", "2", "--data-dir", moved.toString());
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("resuming " + run + " after epoch 1 of 4", "stopped after epoch 2");
        assertThat(Files.readString(config)).contains(moved.toString());
        assertThat(CliRunner.run("runs", "check", run.toString()).exitCode()).isZero();

        TinyData.write(tmp.resolve("look-alike"));
        Files.write(tmp.resolve("look-alike/train-images-idx3-ubyte"), other);
        CliRunner wrong = resume(run, "--data-dir", tmp.resolve("look-alike").toString());
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("is not what run " + run + " was trained on");
        assertThat(Files.readString(config)).contains(moved.toString());
    }

    @Test
    void aRunStoppedBeforeItsFirstCheckpointCanBeRestartedButNoOtherRun() throws Exception {
        Path run = tmp.resolve("run");
        assertThat(train(run, "--until-epoch", "1").exitCode()).isZero();
        CliRunner refused = train(run, "--restart");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("already holds the checkpoint of epoch 1; --restart only discards a run stopped before"
                + " its first checkpoint");
        assertThat(run.resolve("checkpoints/epoch-0001.ckpt")).exists();

        // what a process stopped in its first epoch leaves: config, fingerprints, empty metrics, no checkpoint
        for (String f : List.of("checkpoints/epoch-0001.ckpt", "checkpoints/latest", "summary.json", "report.html")) {
            Files.delete(run.resolve(f));
        }
        Files.writeString(run.resolve("metrics.jsonl"), "");
        assertThat(CliRunner.run("runs", "check", run.toString()).out()).contains("checkpoints       none");
        CliRunner again = train(run, "--restart", "--until-epoch", "1", "--seed", "7");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("discarded the run in " + run + ", which had no checkpoint yet", "stopped after epoch 1");
        assertThat(Files.readString(run.resolve("config.json"))).contains("\"seed\" : 7");

        assertThat(CliRunner.run("train", "--restart").err()).contains("give --run-dir DIR");
        assertThat(CliRunner.run("train", "--restart", "--resume", run.toString()).err()).contains("cannot be combined with --resume");
    }

    @Test
    void aChaseRunKilledAfterItsShrinkAndBeforeItsFinalModelIsUnfinishedUntilResumed() throws Exception {
        Path run = tmp.resolve("run");
        data = TinyData.write(tmp.resolve("data"));
        ChaseProcess.killAt("final-model", List.of("train", "--model", "resnet20", "--width", "0.25", "--dataset", "fashion-mnist",
                "--data-dir", data.toString(), "--epochs", "2", "--batch-size", "50", "--threads", "1", "--method", "chase",
                "--update-interval", "2", "--channel-interval", "4", "--run-dir", run.toString()), tmp);
        assertThat(run.resolve("shrink.json")).exists();
        assertThat(CliRunner.run("export", run.toString(), "--onnx").err()).contains("has no final model yet (it is unfinished)");
        assertThat(CliRunner.run("flops", run.toString()).exitCode()).isEqualTo(2);

        CliRunner resumed = resume(run);
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming " + run + " after epoch 2 of 2", "finished after epoch 2", "shrunk:");
        CliRunner export = CliRunner.run("export", run.toString(), "--onnx");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(run.resolve("export/shrunk.onnx")).exists();
    }

    @Test
    void aFolderHoldingOnlyTheLatencyTableOfAKilledStartIsNotForeign() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve("latency-table.json"), "{}");
        CliRunner r = train(run, "--until-epoch", "1");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }
}
