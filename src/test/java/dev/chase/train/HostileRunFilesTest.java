package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.chase.Hostile;
import dev.chase.TinyData;
import dev.chase.config.TrainConfig;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.run.Checkpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and forged checkpoints and run directories: a checkpoint is loaded correctly or refused
 * with a ChaseException, also when the damage carries a valid checksum (a forged file reaches
 * every parser behind the CRC), and resuming a damaged run directory never fails otherwise.
 */
class HostileRunFilesTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path tmp;

    private static Block block(NDManager m) {
        Engine.getInstance().setRandomSeed(1);
        Block b = new SequentialBlock().add(Linear.builder().setUnits(3).build()).add(BatchNorm.builder().build());
        b.initialize(m, DataType.FLOAT32, new Shape(2, 4));
        return b;
    }

    /** The file with its trailing CRC-32 recomputed, as a forger (or a bug that writes garbage) would have it. */
    private static byte[] withValidCrc(byte[] file) {
        if (file.length < 8) {
            return file;
        }
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 8);
        byte[] out = file.clone();
        ByteBuffer.wrap(out, out.length - 8, 8).putLong(crc.getValue());
        return out;
    }

    @Test
    void checkpointsAreLoadedOrRefused() throws IOException {
        Path good = tmp.resolve("good.ckpt");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, ai.djl.ndarray.NDArray> tensors = new LinkedHashMap<>();
            tensors.put("momentum/x", m.create(new float[] {1, 2, 3}));
            tensors.put("mask/w", m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2)));
            Checkpoint.write(good, new Checkpoint.Header(2, 16, 0.5, null), block(m), tensors);
        }
        byte[] valid = Files.readAllBytes(good);
        int[] hot = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(8, 12, 16),
                Arrays.stream(Hostile.occurrences(valid, "NDAR"))).toArray();
        Hostile.Tally tally = new Hostile.Tally("checkpoints (half with a forged valid CRC)");
        Path file = tmp.resolve("c.ckpt");
        Hostile.forAll("checkpoint", 300, r -> {
            byte[] damaged = Hostile.bytes(r, 2000, List.of(valid), hot);
            byte[] bytes = r.nextBoolean() ? withValidCrc(damaged) : damaged;
            Files.write(file, bytes);
            try (NDManager m = NDManager.newBaseManager()) {
                Block b = block(m);
                Checkpoint.Loaded loaded = Hostile.read(tally, bytes, 5, 16 * MB + 16L * bytes.length, () -> Checkpoint.read(file, b, m));
                if (loaded != null) {
                    loaded.tensors().values().forEach(t -> assertThat(t.size()).isLessThanOrEqualTo(bytes.length));
                }
            }
        });
        tally.assertBothOutcomes();
    }

    @Test
    void damagedRunDirectoriesAreResumedOrRefused() throws IOException {
        DataBundle data = DataCatalog.open("fashion-mnist", TinyData.write(tmp.resolve("data")).toString(), false);
        TrainConfig config = TrainConfig.defaults().with("model", "resnet20", "width", 0.25, "dataset", "fashion-mnist",
                "data-dir", tmp.resolve("data").toString(), "epochs", 3, "batch-size", 50, "lr", 0.05, "method", "chase",
                "update-interval", 2, "channel-interval", 2, "soft-bound-end", 2);
        Path run = tmp.resolve("run");
        try (TrainingRun r = TrainingRun.create(run, config, data)) {
            r.train(1, TrainListener.SILENT);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of("config.json", "metrics.jsonl", "checkpoints/latest", "checkpoints/epoch-0001.ckpt")) {
            files.put(name, Files.readAllBytes(run.resolve(name)));
        }
        byte[] ckpt = files.get("checkpoints/epoch-0001.ckpt");
        int[] hot = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(8, 12, 16, 40, 80),
                Arrays.stream(Hostile.occurrences(ckpt, "NDAR"))).toArray();
        Hostile.Tally tally = new Hostile.Tally("run directories to resume");
        Path copy = tmp.resolve("copy");
        Hostile.forAll("resume", 80, r -> {
            Hostile.deleteTree(copy);
            Files.createDirectories(copy.resolve("checkpoints"));
            String victim = pick(r, files);
            byte[] damaged = null;
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                byte[] content = f.getValue();
                if (f.getKey().equals(victim)) {
                    damaged = victim.endsWith(".ckpt") ? withValidCrc(Hostile.bytes(r, 1000, List.of(content), hot))
                            : Hostile.text(r, List.of(new String(content, StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
                    content = damaged;
                }
                Files.write(copy.resolve(f.getKey()), content);
            }
            TrainingRun resumed = Hostile.read(tally, damaged, 10, 256 * MB, () -> TrainingRun.resume(copy, data));
            if (resumed != null) {
                try (resumed) {
                    assertThat(resumed.epoch()).isEqualTo(1);
                }
            }
        });
        tally.assertBothOutcomes();
    }

    /** The checkpoint half of the time, else one of the small files. */
    private static String pick(Random r, Map<String, byte[]> files) {
        List<String> names = List.copyOf(files.keySet());
        return r.nextBoolean() ? names.get(names.size() - 1) : names.get(r.nextInt(names.size() - 1));
    }
}
