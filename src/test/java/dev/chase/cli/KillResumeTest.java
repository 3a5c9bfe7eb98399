package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chase.TinyData;
import dev.chase.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety end to end: {@code chase train} runs as its own process and is killed with SIGKILL
 * at chosen moments (mid-epoch, right after a mask update or a channel event, half-way through
 * writing a checkpoint, between writing a checkpoint and publishing it), or stopped by a full disk
 * (a file-size limit), and resumed each time. The final checkpoint (weights, momentum, masks,
 * alive channels, counters), the final and the shrunk model and every metric must equal those of
 * an uninterrupted run bit for bit, and no half-written file may be left or loaded.
 */
class KillResumeTest {
    @TempDir
    Path tmp;

    private List<String> train(String method, Path runDir, String... extra) throws IOException {
        Path data = tmp.resolve("data");
        if (!Files.exists(data)) {
            TinyData.write(data);
        }
        // 200 images in batches of 25: 8 steps per epoch, 3 epochs
        List<String> args = new ArrayList<>(List.of("train", "--model", "resnet20", "--width", "0.25", "--dataset", "fashion-mnist",
                "--data-dir", data.toString(), "--epochs", "3", "--batch-size", "25", "--lr", "0.05", "--seed", "7",
                "--threads", "1", "--method", method, "--update-interval", "3", "--run-dir", runDir.toString()));
        if (method.equals("chase")) {
            // channel events every 3 steps until the end of epoch 2
            args.addAll(List.of("--channel-interval", "3", "--soft-bound-end", "2", "--channel-sparsity", "0.5"));
        }
        args.addAll(List.of(extra));
        return args;
    }

    private static List<String> resume(Path runDir) {
        return List.of("train", "--resume", runDir.toString(), "--threads", "1");
    }

    private Path uninterrupted(String method) throws IOException, InterruptedException {
        Path ref = tmp.resolve(method + "-uninterrupted");
        ChaseProcess.Result r = ChaseProcess.run(ChaseProcess.command(null, train(method, ref)), tmp);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return ref;
    }

    @Test
    void aChaseRunKilledFourTimesEndsBitwiseLikeAnUninterruptedOne() throws Exception {
        Path ref = uninterrupted("chase");
        Path run = tmp.resolve("chase-killed");
        ChaseProcess.killAt("step#11", train("chase", run), tmp); // mid-epoch 2
        assertThat(latest(run)).isEqualTo("epoch-0001.ckpt");
        ChaseProcess.killAt("channel-event#2", resume(run), tmp); // right after a channel event in epoch 2
        assertThat(latest(run)).isEqualTo("epoch-0001.ckpt");
        ChaseProcess.killAt("checkpoint-write#2", resume(run), tmp); // epoch 2 saved; half-way through saving epoch 3
        assertThat(latest(run)).isEqualTo("epoch-0002.ckpt");
        assertThat(leftovers(run)).as("the half-written checkpoint").anyMatch(p -> p.startsWith("checkpoints/.epoch-0003.ckpt."));
        ChaseProcess.killAt("checkpoint-publish", resume(run), tmp); // epoch 3 saved, not yet named latest
        assertThat(run.resolve("checkpoints/epoch-0003.ckpt")).exists();
        assertThat(latest(run)).isEqualTo("epoch-0002.ckpt");

        ChaseProcess.Result done = ChaseProcess.run(ChaseProcess.command(null, resume(run)), tmp);
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out()).contains("resuming " + run + " after epoch 2 of 3", "finished after epoch 3");
        assertSameRun(ref, run);
        assertSameBytes(ref, run, "model-slim/parameters.bin");
        assertThat(withoutPaths(run.resolve("shrink.json"))).isEqualTo(withoutPaths(ref.resolve("shrink.json")));
    }

    @Test
    void aRiglRunKilledAndStoppedByAFullDiskEndsBitwiseLikeAnUninterruptedOne() throws Exception {
        Path ref = uninterrupted("rigl");
        Path run = tmp.resolve("rigl-killed");
        ChaseProcess.killAt("mask-update#3", train("rigl", run), tmp); // the update at step 9, in epoch 2
        assertThat(latest(run)).isEqualTo("epoch-0001.ckpt");
        byte[] checkpoint = Files.readAllBytes(run.resolve("checkpoints/epoch-0001.ckpt"));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));

        // a disk that takes 2 KB more: the metrics of epoch 2 (the first file written) do not fit
        ChaseProcess.Result full = underFileSizeLimit(2, resume(run));
        assertThat(full.exitCode()).as(full.err()).isEqualTo(2);
        assertThat(full.err()).contains("chase: cannot write " + run.resolve("metrics.jsonl") + ": File too large; "
                + "its previous version is unchanged").doesNotContain("Exception");
        assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
        // 100 KB: the metrics fit, the checkpoint of epoch 2 does not
        full = underFileSizeLimit(100, resume(run));
        assertThat(full.exitCode()).as(full.err()).isEqualTo(2);
        assertThat(full.err()).contains("chase: cannot write " + run.resolve("checkpoints/epoch-0002.ckpt") + ": File too large")
                .doesNotContain("Exception");
        assertThat(latest(run)).isEqualTo("epoch-0001.ckpt");
        assertThat(Files.readAllBytes(run.resolve("checkpoints/epoch-0001.ckpt"))).isEqualTo(checkpoint);
        assertThat(leftovers(run)).isEmpty();

        ChaseProcess.killAt("step#12", resume(run), tmp); // epoch 2 completes and is saved; killed in epoch 3
        assertThat(latest(run)).isEqualTo("epoch-0002.ckpt");
        ChaseProcess.Result done = ChaseProcess.run(ChaseProcess.command(null, resume(run)), tmp);
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertSameRun(ref, run);
    }

    /** Runs chase with a file-size limit (in KB) on every file it writes, as a nearly full disk would impose. */
    private ChaseProcess.Result underFileSizeLimit(int kilobytes, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + kilobytes + " && exec \"$@\"", "bash"));
        cmd.addAll(ChaseProcess.command(null, args));
        return ChaseProcess.run(cmd, tmp);
    }

    /** The same final state: checkpoint, model and metrics (bar timings) identical, nothing half-written left. */
    private static void assertSameRun(Path ref, Path run) throws IOException {
        assertThat(latest(run)).isEqualTo(latest(ref));
        assertSameBytes(ref, run, "checkpoints/" + latest(ref));
        assertSameBytes(ref, run, "model/parameters.bin");
        assertThat(Files.readString(run.resolve("model/netspec.json"))).isEqualTo(Files.readString(ref.resolve("model/netspec.json")));
        assertThat(metricsWithoutTimings(run)).isEqualTo(metricsWithoutTimings(ref)).hasSize(3);
        assertThat(leftovers(run)).isEmpty();
    }

    private static void assertSameBytes(Path ref, Path run, String file) throws IOException {
        byte[] a = Files.readAllBytes(ref.resolve(file));
        byte[] b = Files.readAllBytes(run.resolve(file));
        assertThat(java.util.Arrays.mismatch(a, b)).as(file + " of the interrupted run differs from the uninterrupted one's at this byte")
                .isEqualTo(-1);
    }

    private static String latest(Path run) throws IOException {
        return Files.readString(run.resolve("checkpoints/latest")).trim();
    }

    /** Hidden temporary files anywhere in the run directory. */
    private static List<String> leftovers(Path run) throws IOException {
        try (Stream<Path> all = Files.walk(run)) {
            return all.filter(p -> p.getFileName().toString().startsWith(".")).map(p -> run.relativize(p).toString()).toList();
        }
    }

    private static List<JsonNode> metricsWithoutTimings(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode m = (ObjectNode) Json.MAPPER.readTree(line);
            m.remove(List.of("epoch-seconds", "train-images-per-second"));
            out.add(m);
        }
        return out;
    }

    private static JsonNode withoutPaths(Path shrinkJson) throws IOException {
        ObjectNode n = (ObjectNode) Json.MAPPER.readTree(shrinkJson.toFile());
        n.remove("slim-model-dir");
        return n;
    }
}
