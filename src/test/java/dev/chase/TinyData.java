package dev.chase;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny Fashion-MNIST-format dataset (IDX files: 200 training and 100 test images of 28x28, ten
 * balanced classes, class-dependent brightness plus noise) for tests that run whole trainings,
 * several of them, in seconds: {@code --dataset fashion-mnist --data-dir DIR}.
 */
public final class TinyData {
    private TinyData() {}

    /** Writes the four IDX files into {@code dir} and returns it. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", 200, 1);
        write(dir, "t10k", 100, 2);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, long seed) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + n * 28 * 28).putInt(0x803).putInt(n).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int y = i % 10;
            labels.put((byte) y);
            for (int p = 0; p < 28 * 28; p++) {
                // the left half carries the class, the right half is noise
                images.put((byte) (p % 28 < 14 ? 20 * y + r.nextInt(60) : r.nextInt(256)));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
