package dev.chase.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real two-entry sweep on the synthetic set: both runs train to the end as child processes, two
 * at once with one engine thread each; running the sweep again skips them.
 */
class SweepEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void runsEveryEntryToTheEndAndSkipsFinishedRunsWhenRunAgain() throws IOException {
        Path file = tmp.resolve("tiny.yaml");
        Files.writeString(file, String.join("\n",
                "base: {model: resnet20, width: 0.25, dataset: synthetic, epochs: 1, batch-size: 50, method: rigl, update-interval: 15}",
                "axes:",
                "  seed: [1, 2]",
                "baseline: {method: rigl}", ""));
        Path dir = tmp.resolve("sweep");

        String jobs = String.valueOf(Math.min(2, Runtime.getRuntime().availableProcessors())); // --jobs is at most the cores
        SweepCli first = SweepCli.run("sweep", file.toString(), "--dir", dir.toString(), "--jobs", jobs, "--threads", "1");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("2 runs: 0 finished already, 2 to run (" + jobs + " at once, 1 engine threads each)")
                .contains("finished seed1").contains("finished seed2").contains("sweep: 2 done, 0 running, 0 queued, 0 failed");
        SweepPlan plan = SweepPlan.read(dir).orElseThrow();
        SweepFolder folder = new SweepFolder(dir);
        assertThat(plan.entries()).extracting(SweepEntry::name).containsExactly("seed1", "seed2");
        for (SweepEntry e : plan.entries()) {
            assertThat(folder.status(e)).as(e.name()).isEqualTo(EntryStatus.FINISHED);
            EntryRecord r = folder.record(e).orElseThrow();
            assertThat(r.exitCode()).isZero();
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(Files.readString(folder.outLog(e))).contains("training resnet20 on synthetic for 1 epochs in " + folder.runDir(e));
        }
        assertThat(Files.readString(dir.resolve(SweepResults.MARKDOWN))).contains("| run | 2/2 | 1, 2 | ");
        assertThat(first.out()).contains("| run | 2/2 | 1, 2 | ");
        assertThat(dir.resolve(SweepResults.JSON)).exists();
        String state = Files.readString(folder.stateFile(plan.entry(0)));

        SweepCli again = SweepCli.run("sweep", file.toString(), "--dir", dir.toString(), "--jobs", jobs, "--threads", "1");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("2 runs: 2 finished already, 0 to run").doesNotContain("starting").doesNotContain("resuming");
        assertThat(Files.readString(folder.stateFile(plan.entry(0)))).as("not run again").isEqualTo(state);

        SweepCli status = SweepCli.run("sweep", "status", dir.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("2 entries: 2 finished, 0 unfinished, 0 failed, 0 pending")
                .containsPattern("0\\s+seed1\\s+finished\\s+epoch 1 of 1, test accuracy");
    }
}
