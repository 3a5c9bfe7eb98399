package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.TinyData;
import dev.chase.io.Json;
import dev.chase.run.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per run directory, checked with real processes: a second writer (train, resume,
 * report, shrink) is refused with exit code 2 naming the holder; a SIGKILLed holder frees the lock;
 * two trains started together in one folder never mix; runs started in the same second get their
 * own folders; a folder of other files is never written into.
 */
class RunLockTest {
    @TempDir
    Path tmp;

    private String[] train(Path runDir, String method) throws Exception {
        Path data = tmp.resolve("data");
        if (!Files.exists(data)) {
            TinyData.write(data);
        }
        List<String> args = new java.util.ArrayList<>(List.of("train", "--model", "resnet20", "--width", "0.25", "--dataset",
                "fashion-mnist", "--data-dir", data.toString(), "--epochs", "1", "--batch-size", "50", "--threads", "1", "--method",
                method, "--run-dir", runDir.toString()));
        if (!method.equals("dense")) {
            args.addAll(List.of("--update-interval", "2")); // the run has 4 steps
        }
        return args.toArray(String[]::new);
    }

    @Test
    void aSecondWriterIsRefusedNamingTheHolderAndASigkilledHolderFreesTheLock() throws Exception {
        Path run = tmp.resolve("run");
        ChaseProcess.killAt("step#2", List.of(train(run, "dense")), tmp, pid -> {
            String holder = "is in use by another chase process (pid " + pid + " on ";
            CliRunner second = CliRunner.run(train(run, "rigl"));
            assertThat(second.exitCode()).as(second.err()).isEqualTo(2);
            assertThat(second.err()).contains(holder, "chase train --model resnet20").doesNotContain("Exception", "--resume");
            for (String[] writer : List.of(new String[] {"train", "--resume", run.toString()}, new String[] {"report", run.toString()},
                new String[] {"shrink", run.toString()})) {
                CliRunner r = CliRunner.run(writer);
                assertThat(r.exitCode()).as(String.join(" ", writer)).isEqualTo(2);
                assertThat(r.err().strip()).contains(holder).doesNotContain("\n");
            }
            assertThat(Files.readString(run.resolve("config.json"))).contains("\"dense\"");
            assertThat(run.resolve("summary.json")).doesNotExist();
        });
        try (RunLock lock = RunLock.acquire(run)) {
            assertThat(lock.root()).isEqualTo(run);
        }
    }

    @Test
    void twoTrainsStartedTogetherInOneFolderNeverMix() throws Exception {
        Path run = tmp.resolve("shared");
        List<Process> processes = new ArrayList<>();
        for (String method : List.of("dense", "rigl")) {
            processes.add(new ProcessBuilder(ChaseProcess.command(null, List.of(train(run, method))))
                    .redirectOutput(tmp.resolve(method + ".out").toFile()).redirectError(tmp.resolve(method + ".err").toFile()).start());
        }
        List<Integer> codes = new ArrayList<>();
        for (Process p : processes) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            codes.add(p.exitValue());
        }
        assertThat(codes).containsExactlyInAnyOrder(0, 2);
        String winner = codes.get(0) == 0 ? "dense" : "rigl";
        String loser = codes.get(0) == 0 ? "rigl" : "dense";
        // refused while the other trains, or (if it started late) because the folder already holds the other's run
        assertThat(Files.readString(tmp.resolve(loser + ".err"))).containsAnyOf("is in use by another chase process", "already holds a run");
        assertThat(Files.readString(tmp.resolve(loser + ".out"))).doesNotContain("finished");
        assertThat(Json.MAPPER.readTree(run.resolve("config.json").toFile()).get("method").asText()).isEqualTo(winner);
        assertThat(Json.MAPPER.readTree(run.resolve("summary.json").toFile()).at("/config/method").asText()).isEqualTo(winner);
    }

    @Test
    void runsStartedInTheSameSecondGetTheirOwnFolders() {
        Path base = tmp.resolve("runs/resnet20-fashion-mnist-20261205-020000");
        try (RunLock first = RunLock.acquireNew(base); RunLock second = RunLock.acquireNew(base)) {
            assertThat(first.root()).isEqualTo(base);
            assertThat(second.root()).isEqualTo(tmp.resolve("runs/resnet20-fashion-mnist-20261205-020000-2"));
        }
        assertThat(base).as("a folder that never held a run is removed with its lock").doesNotExist();
    }

    @Test
    void aFolderOfOtherFilesIsNeverWrittenInto() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("my files"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        CliRunner r = CliRunner.run(train(mine, "dense"));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(mine + " is not empty (it holds notes.txt) and is not a chase run");
        try (var files = Files.list(mine)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void anEmptyRunDirAndAFileAsRunAreRefused() throws Exception {
        CliRunner empty = CliRunner.run(train(Path.of(""), "dense"));
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("the run directory must not be empty");
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        CliRunner resume = CliRunner.run("train", "--resume", file.toString());
        assertThat(resume.exitCode()).isEqualTo(2);
        assertThat(resume.err()).contains(file + " is a file, not a run directory");
        assertThatThrownBy(() -> RunLock.acquire(file)).isInstanceOf(ChaseException.class).hasMessageContaining("is a file");
    }
}
