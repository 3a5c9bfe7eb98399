package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.chase.ChaseException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** 1x2x2 images whose four pixels all equal the example index (mod 256); label = index % 3. */
    record IndexImages(int size) implements ImageDataset {
        @Override
        public int numClasses() {
            return 3;
        }

        @Override
        public int label(int index) {
            return index % 3;
        }

        @Override
        public RawImage image(int index) {
            byte v = (byte) index;
            return new RawImage(new ImageShape(1, 2, 2), new byte[] {v, v, v, v});
        }
    }

    static final Transform IDENTITY = new Normalize(new ImageShape(1, 2, 2), Normalization.of(0.0, 1.0 / 255.0));

    @Test
    void sameSeedEpochAndIndexGiveIdenticalTensors() {
        SyntheticDataset ds = new SyntheticDataset(50, 4, new ImageShape(3, 8, 8), 1);
        Transform t = RandomCropFlip.cifar(ds.shape(), Normalization.CIFAR10);
        BatchLoader a = new BatchLoader(ds, t, 16, true, false, 99);
        BatchLoader b = new BatchLoader(ds, t, 16, true, false, 99);
        try (NDManager m = manager.newSubManager()) {
            BatchLoader.Batch x = a.load(2, 1, m);
            // unrelated loads in between must not change anything
            b.load(0, 3, m);
            b.load(5, 0, m);
            BatchLoader.Batch y = b.load(2, 1, m);
            assertThat(x.images().getShape()).isEqualTo(new Shape(16, 3, 8, 8));
            assertThat(x.images().getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(x.labels().getDataType()).isEqualTo(DataType.INT64);
            assertThat(x.images().toFloatArray()).containsExactly(y.images().toFloatArray());
            assertThat(x.labels().toLongArray()).containsExactly(y.labels().toLongArray());
            BatchLoader.Batch other = new BatchLoader(ds, t, 16, true, false, 100).load(2, 1, m);
            assertThat(other.images().toFloatArray()).isNotEqualTo(x.images().toFloatArray());
        }
    }

    @Test
    void augmentationDependsOnPositionNotOnBatchingOrThreads() {
        SyntheticDataset ds = new SyntheticDataset(30, 3, new ImageShape(3, 8, 8), 5);
        Transform t = RandomCropFlip.cifar(ds.shape(), Normalization.CIFAR10);
        try (NDManager m = manager.newSubManager();
                BatchLoader whole = new BatchLoader(ds, t, 30, true, false, 4);
                BatchLoader threaded = new BatchLoader(ds, t, 7, true, false, 4, 3)) {
            float[] all = whole.load(1, 0, m).images().toFloatArray();
            float[] pieces = new float[all.length];
            int at = 0;
            for (int b = 0; b < threaded.numBatches(); b++) {
                float[] part = threaded.load(1, b, m).images().toFloatArray();
                System.arraycopy(part, 0, pieces, at, part.length);
                at += part.length;
            }
            assertThat(at).isEqualTo(all.length);
            assertThat(pieces).containsExactly(all);
            // the crops really are random: a second epoch of the same order would differ
            assertThat(whole.load(2, 0, m).images().toFloatArray()).isNotEqualTo(all);
        }
    }

    @Test
    void everyExampleAppearsOncePerEpochWithItsLabel() {
        IndexImages ds = new IndexImages(103);
        BatchLoader loader = new BatchLoader(ds, IDENTITY, 10, true, false, 7);
        assertThat(loader.numBatches()).isEqualTo(11);
        assertThat(loader.size()).isEqualTo(103);
        for (int epoch = 0; epoch < 2; epoch++) {
            boolean[] seen = new boolean[103];
            int total = 0;
            try (NDManager m = manager.newSubManager()) {
                for (int b = 0; b < loader.numBatches(); b++) {
                    BatchLoader.Batch batch = loader.load(epoch, b, m);
                    assertThat(batch.size()).isEqualTo(b < 10 ? 10 : 3);
                    float[] x = batch.images().toFloatArray();
                    long[] y = batch.labels().toLongArray();
                    for (int j = 0; j < batch.size(); j++) {
                        int index = Math.round(x[4 * j]);
                        assertThat(seen[index]).as("example %d seen twice", index).isFalse();
                        seen[index] = true;
                        assertThat(y[j]).isEqualTo(index % 3);
                        total++;
                    }
                }
            }
            assertThat(total).isEqualTo(103);
            for (boolean s : seen) {
                assertThat(s).isTrue();
            }
        }
    }

    @Test
    void epochsHaveDifferentOrdersAndNoShuffleKeepsFileOrder() {
        IndexImages ds = new IndexImages(200);
        BatchLoader loader = new BatchLoader(ds, IDENTITY, 32, true, false, 11);
        int[] e0 = loader.order(0);
        int[] e1 = loader.order(1);
        assertThat(e0).isNotEqualTo(e1);
        assertThat(loader.order(0)).isEqualTo(e0);
        assertThat(Arrays.stream(e0).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 200).toArray());
        int[] identity = new BatchLoader(ds, IDENTITY, 32, false, false, 11).order(3);
        assertThat(identity).isEqualTo(java.util.stream.IntStream.range(0, 200).toArray());
        assertThat(e0).isNotEqualTo(identity);
        try (NDManager m = manager.newSubManager()) {
            long[] labels0 = loader.load(0, 0, m).labels().toLongArray();
            float[] x0 = loader.load(0, 0, m).images().toFloatArray();
            float[] x1 = loader.load(1, 0, m).images().toFloatArray();
            assertThat(x0).isNotEqualTo(x1);
            for (int j = 0; j < 32; j++) {
                assertThat(Math.round(x0[4 * j])).isEqualTo(e0[j] & 0xFF);
                assertThat(labels0[j]).isEqualTo(e0[j] % 3);
            }
        }
    }

    @Test
    void dropLastDropsThePartialBatch() {
        IndexImages ds = new IndexImages(25);
        BatchLoader loader = new BatchLoader(ds, IDENTITY, 10, true, true, 1);
        assertThat(loader.numBatches()).isEqualTo(2);
        assertThat(loader.size()).isEqualTo(20);
        try (NDManager m = manager.newSubManager()) {
            assertThat(loader.load(0, 1, m).size()).isEqualTo(10);
            assertThatThrownBy(() -> loader.load(0, 2, m)).isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThatThrownBy(() -> new BatchLoader(ds, IDENTITY, 30, true, true, 1))
                .isInstanceOf(ChaseException.class).hasMessageContaining("25 examples");
    }

    @Test
    void errorsInWorkersSurfaceAsTheirOwnException() {
        IndexImages ds = new IndexImages(8);
        Transform wrong = new Normalize(new ImageShape(1, 3, 3), Normalization.UNIT);
        try (NDManager m = manager.newSubManager();
                BatchLoader loader = new BatchLoader(ds, wrong, 8, false, false, 1, 2)) {
            assertThatThrownBy(() -> loader.load(0, 0, m)).isInstanceOf(ChaseException.class).hasMessageContaining("1x3x3");
        }
    }

    @Test
    void sampleGeneratorsDifferByPositionAndEpoch() {
        BatchLoader loader = new BatchLoader(new IndexImages(10), IDENTITY, 5, true, false, 3);
        SplittableRandom a = loader.sampleRandom(0, 0);
        assertThat(loader.sampleRandom(0, 0).nextLong()).isEqualTo(a.nextLong());
        long first = loader.sampleRandom(0, 0).nextLong();
        assertThat(loader.sampleRandom(0, 1).nextLong()).isNotEqualTo(first);
        assertThat(loader.sampleRandom(1, 0).nextLong()).isNotEqualTo(first);
        java.util.Set<Long> seeds = new java.util.HashSet<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int p = 0; p < 1000; p++) {
                seeds.add(loader.sampleRandom(epoch, p).nextLong());
            }
        }
        assertThat(seeds).hasSize(3000);
    }
}
