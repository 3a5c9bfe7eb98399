package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.chase.ChaseException;
import dev.chase.TinyData;
import dev.chase.config.TrainConfig;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NaN or infinity in the loss or in any parameter stops the run with a message naming the epoch
 * and the step, writes nothing of the failing epoch, and keeps the last good checkpoint, from
 * which the run can continue.
 */
class DivergenceTest {
    @TempDir
    Path tmp;

    private DataBundle data;
    private TrainConfig config;

    @BeforeEach
    void tinyRun() throws IOException {
        Path dir = TinyData.write(tmp.resolve("data"));
        data = DataCatalog.open("fashion-mnist", dir.toString(), false);
        // 200 images in batches of 25: 8 steps per epoch
        config = TrainConfig.defaults().with("model", "resnet20", "width", 0.25, "dataset", "fashion-mnist", "data-dir", dir.toString(),
                "epochs", 3, "batch-size", 25, "lr", 0.05, "method", "rigl", "update-interval", 3);
    }

    /** Fills the first parameter whose name matches with {@code value}, as a numerical blow-up would. */
    private static String poison(TrainingRun run, Predicate<String> name, float value) {
        for (Pair<String, Parameter> p : run.network().block().getParameters()) {
            if (name.test(p.getKey())) {
                NDArray a = p.getValue().getArray();
                float[] values = new float[(int) a.size()];
                java.util.Arrays.fill(values, value);
                a.set(values);
                return p.getKey();
            }
        }
        throw new AssertionError("no such parameter");
    }

    private void assertOnlyEpochOneIsKept(Path run, byte[] checkpoint, byte[] metrics) throws IOException {
        assertThat(Files.readString(run.resolve("checkpoints/latest")).trim()).isEqualTo("epoch-0001.ckpt");
        assertThat(run.resolve("checkpoints/epoch-0002.ckpt")).doesNotExist();
        assertThat(Files.readAllBytes(run.resolve("checkpoints/epoch-0001.ckpt"))).isEqualTo(checkpoint);
        assertThat(Files.readAllBytes(run.resolve("metrics.jsonl"))).isEqualTo(metrics);
    }

    @Test
    void infiniteWeightsMakeTheLossNaNAndStopTheRunAtThatStep() throws IOException {
        Path run = tmp.resolve("run");
        try (TrainingRun r = TrainingRun.create(run, config, data)) {
            r.train(1, TrainListener.SILENT);
            byte[] checkpoint = Files.readAllBytes(run.resolve("checkpoints/epoch-0001.ckpt"));
            byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
            poison(r, n -> n.endsWith("weight"), Float.POSITIVE_INFINITY);
            assertThatThrownBy(() -> r.train(3, TrainListener.SILENT)).isInstanceOf(ChaseException.class)
                    .hasMessage("training diverged in epoch 2 at step 9: the training loss is NaN; the last good checkpoint, "
                            + "epoch-0001.ckpt (epoch 1), is kept in " + run.resolve("checkpoints") + "; try a lower --lr");
            assertOnlyEpochOneIsKept(run, checkpoint, metrics);
        }
        // the run continues from the good checkpoint
        try (TrainingRun r = TrainingRun.resume(run, data)) {
            assertThat(r.train(3, TrainListener.SILENT)).isTrue();
            assertThat(r.history()).hasSize(3);
        }
    }

    @Test
    void aNonFiniteParameterThatTheLossDoesNotSeeStopsTheRunAtTheEndOfTheEpoch() throws IOException {
        Path run = tmp.resolve("run");
        try (TrainingRun r = TrainingRun.create(run, config, data)) {
            r.train(1, TrainListener.SILENT);
            byte[] checkpoint = Files.readAllBytes(run.resolve("checkpoints/epoch-0001.ckpt"));
            byte[] metrics = Files.readAllBytes(run.resolve("metrics.jsonl"));
            // training uses batch statistics, so a NaN running variance leaves the training loss finite
            String name = poison(r, n -> n.endsWith("runningVar"), Float.NaN);
            assertThatThrownBy(() -> r.train(3, TrainListener.SILENT)).isInstanceOf(ChaseException.class)
                    .hasMessage("training diverged in epoch 2 at step 16: parameter " + name + " holds NaN or infinite values at the "
                            + "end of the epoch; the last good checkpoint, epoch-0001.ckpt (epoch 1), is kept in "
                            + run.resolve("checkpoints") + "; try a lower --lr");
            assertOnlyEpochOneIsKept(run, checkpoint, metrics);
        }
    }
}
