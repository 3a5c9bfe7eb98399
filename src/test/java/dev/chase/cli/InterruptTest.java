package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.TinyData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM sent to a real {@code chase train}: it stops at a step boundary, says what is
 * lost and how to continue, writes the report once an epoch is complete, exits with 130 or 143,
 * and the run can always be continued with {@code --resume}, even before its first checkpoint.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    private List<String> train(Path run) throws Exception {
        Path data = tmp.resolve("data");
        TinyData.write(data);
        // 200 images in batches of 25: 8 steps per epoch; more epochs than the test lets it finish
        return List.of("train", "--model", "resnet20", "--width", "0.25", "--dataset", "fashion-mnist", "--data-dir", data.toString(),
                "--epochs", "50", "--batch-size", "25", "--threads", "1", "--method", "rigl", "--update-interval", "3",
                "--run-dir", run.toString());
    }

    /** Starts {@code chase args}, waits until its output shows {@code line}, sends {@code signal} and waits for the end. */
    private ChaseProcess.Result signalWhen(List<String> args, String line, String signal) throws Exception {
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        // A shell that starts a job in the background makes it ignore SIGINT, and the JVM keeps an ignored signal ignored;
        // the child gets the default disposition back, as a process started from a terminal has it.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT,TERM"));
        command.addAll(ChaseProcess.command(null, args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.readString(out) + Files.readString(err)).contains(line) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("still training when '%s' appeared: %s", line, Files.readString(err)).isTrue();
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new ChaseProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void sigintInTheFirstEpochLeavesARunThatResumesFromStepZero() throws Exception {
        Path run = tmp.resolve("run");
        ChaseProcess.Result r = signalWhen(train(run), "training resnet20", "INT");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(130);
        assertThat(r.err()).contains("SIGINT: stopping at the end of this step");
        assertThat(r.out()).containsPattern("interrupted (after epoch 0; nothing is lost|in epoch 1: its \\d+ steps? since the last"
                + " checkpoint (is|are) lost)").contains("continue with: chase train --resume " + run);
        assertThat(run.resolve("checkpoints/latest")).doesNotExist();

        CliRunner resumed = CliRunner.run("train", "--resume", run.toString(), "--threads", "1", "--until-epoch", "1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("starting " + run + " again from step 0", "stopped after epoch 1");
        assertThat(run.resolve("checkpoints/epoch-0001.ckpt")).exists();
    }

    @Test
    void sigtermAfterAnEpochWritesTheReportAndSaysHowToContinue() throws Exception {
        Path run = tmp.resolve("run");
        ChaseProcess.Result r = signalWhen(train(run), "epoch 1/50", "TERM");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(143);
        assertThat(r.out()).containsPattern("interrupted (after epoch \\d+; nothing is lost|in epoch \\d+: its \\d+ steps? since the"
                + " last checkpoint (is|are) lost)").contains("continue with: chase train --resume " + run,
                        "report: " + run.resolve("report.html"));
        assertThat(Files.readString(run.resolve("summary.json"))).contains("\"finished\" : false");
        assertThat(run.resolve("checkpoints/epoch-0001.ckpt")).exists();
    }
}
