package dev.chase.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import dev.chase.ChaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path tmp;

    private static Block linear(NDManager m, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Block b = Linear.builder().setUnits(3).build();
        b.initialize(m, DataType.FLOAT32, new Shape(1, 4));
        return b;
    }

    @Test
    void roundTripRestoresParametersTensorsAndHeader() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block saved = linear(m, 1);
            NDArray momentum = m.create(new float[] {1, 2, 3});
            Path file = tmp.resolve("a.ckpt");
            // a narrowed architecture, as a run that shrinks while training records it
            dev.chase.model.NetSpec spec = dev.chase.model.NetSpecs.named("resnet20", 3, 10, 0.25)
                    .withGroupWidths(Map.of("layer1.0.conv1", 2, "stream0", 3));
            Checkpoint.Header header = new Checkpoint.Header(3, 120, 0.75, spec);
            Checkpoint.write(file, header, saved, Map.of("momentum/x", momentum));
            assertThat(Checkpoint.readHeader(file)).isEqualTo(header);

            Block loaded = linear(m, 2);
            assertThat(loaded.getParameters().get(0).getValue().getArray().contentEquals(saved.getParameters().get(0).getValue().getArray())).isFalse();
            Checkpoint.Loaded l = Checkpoint.read(file, loaded, m);
            assertThat(l.header()).isEqualTo(header);
            assertThat(l.tensors().get("momentum/x").toFloatArray()).containsExactly(1, 2, 3);
            for (int i = 0; i < saved.getParameters().size(); i++) {
                NDArray a = saved.getParameters().get(i).getValue().getArray();
                NDArray b = loaded.getParameters().get(i).getValue().getArray();
                assertThat(b.contentEquals(a)).isTrue();
                assertThat(b.hasGradient()).isTrue();
            }
        }
    }

    @Test
    void corruptionTruncationAndForeignFilesAreRefused() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = linear(m, 1);
            Path file = tmp.resolve("b.ckpt");
            Checkpoint.write(file, new Checkpoint.Header(1, 10, 0.5, null), block, Map.of());
            byte[] bytes = Files.readAllBytes(file);

            byte[] flipped = bytes.clone();
            flipped[bytes.length / 2] ^= 0x10;
            Files.write(tmp.resolve("flipped.ckpt"), flipped);
            assertThatThrownBy(() -> Checkpoint.read(tmp.resolve("flipped.ckpt"), block, m))
                    .isInstanceOf(ChaseException.class).hasMessageContaining("corrupt");

            Files.write(tmp.resolve("short.ckpt"), java.util.Arrays.copyOf(bytes, bytes.length - 20));
            assertThatThrownBy(() -> Checkpoint.read(tmp.resolve("short.ckpt"), block, m))
                    .isInstanceOf(ChaseException.class).hasMessageContaining("corrupt");

            Files.writeString(tmp.resolve("text.ckpt"), "hello, this is not a checkpoint");
            assertThatThrownBy(() -> Checkpoint.read(tmp.resolve("text.ckpt"), block, m))
                    .isInstanceOf(ChaseException.class).hasMessageContaining("not a chase checkpoint");

            Block other = Linear.builder().setUnits(5).build();
            other.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            assertThatThrownBy(() -> Checkpoint.read(file, other, m)).isInstanceOf(ChaseException.class)
                    .hasMessageContaining("does not match this model");
        }
    }
}
