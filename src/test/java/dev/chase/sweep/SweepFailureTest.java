package dev.chase.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.run.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that fails (its data is missing) is recorded with its one-line reason, skipped when the
 * sweep runs again and retried only with --retry-failed. Its child process fails before training,
 * so this test is quick.
 */
class SweepFailureTest {
    @TempDir
    Path tmp;

    @Test
    void recordsAFailureWithItsReasonAndRetriesItOnlyWhenAsked() throws IOException {
        Path file = tmp.resolve("broken.yaml");
        Files.writeString(file, "base: {model: resnet20, width: 0.25, dataset: fashion-mnist, data-dir: " + tmp.resolve("no-data") + ", epochs: 1}\n");
        Path dir = tmp.resolve("sweep");
        SweepCli first = SweepCli.run("sweep", file.toString(), "--dir", dir.toString(), "--threads", "1");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
        SweepPlan plan = SweepPlan.read(dir).orElseThrow();
        SweepEntry run = plan.entry(0);
        assertThat(run.name()).isEqualTo("run");
        SweepFolder folder = new SweepFolder(dir);
        assertThat(folder.status(run)).isEqualTo(EntryStatus.FAILED);
        EntryRecord record = folder.record(run).orElseThrow();
        assertThat(record.exitCode()).isEqualTo(2);
        assertThat(record.reason()).startsWith("chase: ").contains("no-data").doesNotContain("\n");
        assertThat(first.err()).contains("failed run (exit 2): " + record.reason()).contains("0 done, 0 running, 0 queued, 1 failed");

        SweepCli again = SweepCli.run("sweep", file.toString(), "--dir", dir.toString(), "--threads", "1");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("skipping failed run (retry with --retry-failed): " + record.reason())
                .doesNotContain("starting");
        assertThat(folder.record(run).orElseThrow().attempts()).isEqualTo(1);

        SweepCli status = SweepCli.run("sweep", "status", dir.toString());
        assertThat(status.out()).containsPattern("0\\s+run\\s+failed\\s+chase: ").contains("1 failed");

        SweepCli retry = SweepCli.run("sweep", file.toString(), "--dir", dir.toString(), "--threads", "1", "--retry-failed");
        assertThat(retry.exitCode()).isEqualTo(1);
        assertThat(retry.err()).contains("starting run (entry 0)");
        assertThat(folder.record(run).orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void aRunHeldByAnotherChaseProcessIsSkippedAndNotRecordedAsFailed() throws IOException {
        Path file = tmp.resolve("one.yaml");
        Files.writeString(file, "base: {model: resnet20, width: 0.25, dataset: synthetic, epochs: 1, batch-size: 50}\n");
        Path dir = tmp.resolve("sweep");
        try (RunLock held = RunLock.acquire(dir.resolve("runs").resolve("run"))) {
            SweepCli r = SweepCli.run("sweep", file.toString(), "--dir", dir.toString(), "--threads", "1");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("skipped run: another chase process is running it").contains("0 failed");
        }
        SweepFolder folder = new SweepFolder(dir);
        SweepEntry run = SweepPlan.read(dir).orElseThrow().entry(0);
        assertThat(folder.record(run)).isEmpty();
        assertThat(folder.status(run)).isEqualTo(EntryStatus.PENDING);
    }
}
