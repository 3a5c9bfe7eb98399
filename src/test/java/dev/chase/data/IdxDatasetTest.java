package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {

    @TempDir
    Path dir;

    /** Image file bytes: magic, n, rows, cols, then pixel (i, y, x) = (i * 31 + y * 7 + x) & 0xFF. */
    static byte[] imageFile(int magic, int n, int rows, int cols, int pixelBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int k = 0; k < pixelBytes; k++) {
            int i = k / (rows * cols);
            int y = (k / cols) % rows;
            int x = k % cols;
            out.write(pixel(i, y, x));
        }
        return bytes.toByteArray();
    }

    static int pixel(int i, int y, int x) {
        return (i * 31 + y * 7 + x) & 0xFF;
    }

    static byte[] labelFile(int magic, int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(labels.length);
        for (int y : labels) {
            out.write(y);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    void writeTrainPair(byte[] images, byte[] labels, boolean gz) throws IOException {
        write("train-images-idx3-ubyte" + (gz ? ".gz" : ""), gz ? gzip(images) : images);
        write("train-labels-idx1-ubyte" + (gz ? ".gz" : ""), gz ? gzip(labels) : labels);
    }

    @Test
    void roundTripRawAndGzipGiveTheWrittenPixelsAndLabels() throws IOException {
        int n = 5;
        byte[] images = imageFile(0x803, n, 3, 4, n * 12);
        byte[] labels = labelFile(0x801, 3, 0, 9, 1, 7);
        for (boolean gz : new boolean[] {false, true}) {
            Path sub = Files.createDirectories(dir.resolve(gz ? "gz" : "raw"));
            Files.write(sub.resolve("t10k-images-idx3-ubyte" + (gz ? ".gz" : "")), gz ? gzip(images) : images);
            Files.write(sub.resolve("t10k-labels-idx1-ubyte" + (gz ? ".gz" : "")), gz ? gzip(labels) : labels);
            IdxDataset ds = IdxDataset.fromFolder(sub, false, IdxDataset.Options.RAW);
            assertThat(ds.size()).isEqualTo(n);
            assertThat(ds.numClasses()).isEqualTo(10);
            assertThat(ds.shape()).isEqualTo(new ImageShape(1, 3, 4));
            assertThat(new int[] {ds.label(0), ds.label(1), ds.label(2), ds.label(3), ds.label(4)}).containsExactly(3, 0, 9, 1, 7);
            for (int i = 0; i < n; i++) {
                RawImage img = ds.image(i);
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 4; x++) {
                        assertThat(img.at(0, y, x)).as("gz=%s i=%d y=%d x=%d", gz, i, y, x).isEqualTo(pixel(i, y, x));
                    }
                }
            }
        }
    }

    @Test
    void gzipIsDetectedByContentNotByName() throws IOException {
        // gzip content under the raw name and raw content under the .gz-less name both load
        Path images = write("imgs.bin", gzip(imageFile(0x803, 2, 2, 2, 8)));
        Path labels = write("lbls.gz.not", labelFile(0x801, 1, 2));
        IdxDataset ds = IdxDataset.fromFiles(images, labels, IdxDataset.Options.RAW);
        assertThat(ds.size()).isEqualTo(2);
        assertThat(ds.image(1).at(0, 1, 1)).isEqualTo(pixel(1, 1, 1));
    }

    @Test
    void padsCentredWithZerosAndRepeatsChannels() throws IOException {
        int n = 2;
        writeTrainPair(imageFile(0x803, n, 28, 28, n * 28 * 28), labelFile(0x801, 4, 5), true);
        IdxDataset ds = IdxDataset.fromFolder(dir, true, IdxDataset.Options.PAD32_RGB);
        assertThat(ds.shape()).isEqualTo(new ImageShape(3, 32, 32));
        RawImage img = ds.image(1);
        assertThat(img.shape()).isEqualTo(new ImageShape(3, 32, 32));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                    int expected = inside ? pixel(1, y - 2, x - 2) : 0;
                    assertThat(img.at(c, y, x)).as("c=%d y=%d x=%d", c, y, x).isEqualTo(expected);
                }
            }
        }
        // grey padded: one channel, same pixels
        RawImage grey = ds.withOptions(IdxDataset.Options.PAD32).image(1);
        assertThat(grey.shape()).isEqualTo(new ImageShape(1, 32, 32));
        assertThat(grey.at(0, 2, 2)).isEqualTo(pixel(1, 0, 0));
        assertThat(grey.at(0, 29, 29)).isEqualTo(pixel(1, 27, 27));
        assertThat(grey.at(0, 1, 5)).isZero();
    }

    @Test
    void wrongMagicNamesTheFileAndTheMagic() throws IOException {
        writeTrainPair(imageFile(0x802, 1, 2, 2, 4), labelFile(0x801, 1), false);
        assertThatThrownBy(() -> IdxDataset.fromFolder(dir, true, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("train-images-idx3-ubyte")
                .hasMessageContaining("0x00000802")
                .hasMessageContaining("0x00000803");
    }

    @Test
    void swappedFilesAreRecognised() throws IOException {
        Path labels = write("l", labelFile(0x801, 1));
        Path images = write("i", imageFile(0x803, 1, 2, 2, 4));
        assertThatThrownBy(() -> IdxDataset.fromFiles(labels, images, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("swapped");
    }

    @Test
    void truncatedRawAndGzipFilesAreRejected() throws IOException {
        byte[] full = imageFile(0x803, 3, 4, 4, 48);
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        writeTrainPair(cut, labelFile(0x801, 1, 2, 3), false);
        assertThatThrownBy(() -> IdxDataset.fromFolder(dir, true, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("train-images-idx3-ubyte")
                .hasMessageContaining("truncated");

        Path gzDir = Files.createDirectories(dir.resolve("gz"));
        Files.write(gzDir.resolve("train-images-idx3-ubyte.gz"), gzip(cut));
        Files.write(gzDir.resolve("train-labels-idx1-ubyte.gz"), gzip(labelFile(0x801, 1, 2, 3)));
        assertThatThrownBy(() -> IdxDataset.fromFolder(gzDir, true, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("43 present");

        // a gzip stream cut in the middle
        byte[] gz = gzip(full);
        Files.write(gzDir.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(gz, gz.length - 12));
        assertThatThrownBy(() -> IdxDataset.fromFolder(gzDir, true, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz");
    }

    @Test
    void extraBytesAfterTheDeclaredDataAreRejected() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path sub = Files.createDirectories(dir.resolve(gz ? "gz" : "raw"));
            byte[] images = imageFile(0x803, 1, 2, 2, 6);
            Files.write(sub.resolve("train-images-idx3-ubyte" + (gz ? ".gz" : "")), gz ? gzip(images) : images);
            Files.write(sub.resolve("train-labels-idx1-ubyte"), labelFile(0x801, 1));
            assertThatThrownBy(() -> IdxDataset.fromFolder(sub, true, IdxDataset.Options.RAW))
                    .as("gzip %s", gz)
                    .isInstanceOf(ChaseException.class)
                    .hasMessageContaining("longer than its header");
        }
    }

    @Test
    void hugeHeaderFailsFastWithoutAllocating() throws IOException {
        // 2^31 - 1 images of 1024 x 1024: far more than any array; must fail on the header
        byte[] absurd = imageFile(0x803, Integer.MAX_VALUE, 1024, 1024, 64);
        // 60,000 images of 512 x 64 = 1.9 GB declared, but only 64 bytes present (gzip: length unknown)
        byte[] big = imageFile(0x803, 60_000, 512, 64, 64);
        byte[] rowsAbsurd = imageFile(0x803, 10, 100_000, 28, 64);
        Path labels = write("labels", labelFile(0x801, 1));
        Runtime rt = Runtime.getRuntime();
        for (byte[] header : new byte[][] {absurd, rowsAbsurd}) {
            Path images = write("images", header);
            assertThatThrownBy(() -> IdxDataset.fromFiles(images, labels, IdxDataset.Options.RAW))
                    .isInstanceOf(ChaseException.class)
                    .hasMessageContaining("corrupt");
        }
        for (byte[] data : new byte[][] {big, gzip(big)}) {
            Path images = write("images", data);
            long before = rt.totalMemory() - rt.freeMemory();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> IdxDataset.fromFiles(images, labels, IdxDataset.Options.RAW))
                    .isInstanceOf(ChaseException.class)
                    .hasMessageContaining("truncated");
            long after = rt.totalMemory() - rt.freeMemory();
            assertThat((System.nanoTime() - t0) / 1e6).as("ms").isLessThan(2000);
            // allocating the declared 1.9 GB would show up here (the heap is capped at 6 GB)
            assertThat(after - before).as("heap growth").isLessThan(256L << 20);
        }
    }

    @Test
    void countMismatchNamesBothCounts() throws IOException {
        writeTrainPair(imageFile(0x803, 3, 2, 2, 12), labelFile(0x801, 1, 2), false);
        assertThatThrownBy(() -> IdxDataset.fromFolder(dir, true, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("3 images")
                .hasMessageContaining("2 labels");
    }

    @Test
    void labelOutOfRangeIsRejected() throws IOException {
        writeTrainPair(imageFile(0x803, 2, 2, 2, 8), labelFile(0x801, 1, 10), false);
        assertThatThrownBy(() -> IdxDataset.fromFolder(dir, true, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("label 10")
                .hasMessageContaining("example 1");
    }

    @Test
    void missingFilesNameTheExpectedFileNames() throws IOException {
        assertThatThrownBy(() -> IdxDataset.fromFolder(dir.resolve("nope"), true, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("train-images-idx3-ubyte(.gz)");
        write("train-images-idx3-ubyte", imageFile(0x803, 1, 2, 2, 4));
        assertThatThrownBy(() -> IdxDataset.fromFolder(dir, true, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("no train-labels-idx1-ubyte or train-labels-idx1-ubyte.gz")
                .hasMessageContaining("t10k-labels-idx1-ubyte(.gz)");
        assertThatThrownBy(() -> IdxDataset.fromFolder(dir, false, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("no t10k-images-idx3-ubyte");
    }

    @Test
    void emptyAndTinyFilesAreRejected() throws IOException {
        Path labels = write("labels", labelFile(0x801, 1));
        Path empty = write("zero.bin", new byte[0]);
        assertThatThrownBy(() -> IdxDataset.fromFiles(empty, labels, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class).hasMessageContaining("zero.bin").hasMessageContaining("magic");
        Path headerOnly = write("short", Arrays.copyOf(imageFile(0x803, 1, 2, 2, 0), 10));
        assertThatThrownBy(() -> IdxDataset.fromFiles(headerOnly, labels, IdxDataset.Options.RAW))
                .isInstanceOf(ChaseException.class).hasMessageContaining("truncated");
    }

    @Test
    void readsFromStreams() throws IOException {
        InputStream img = new ByteArrayInputStream(gzip(imageFile(0x803, 2, 28, 28, 2 * 784)));
        InputStream lbl = new ByteArrayInputStream(labelFile(0x801, 6, 2));
        IdxDataset ds = IdxDataset.read(img, "img", lbl, "lbl", IdxDataset.Options.PAD32);
        assertThat(ds.label(0)).isEqualTo(6);
        assertThat(ds.image(0).shape()).isEqualTo(new ImageShape(1, 32, 32));
    }

    @Test
    void paddingSmallerThanTheImageIsAUserError() throws IOException {
        InputStream img = new ByteArrayInputStream(imageFile(0x803, 1, 40, 40, 1600));
        InputStream lbl = new ByteArrayInputStream(labelFile(0x801, 1));
        assertThatThrownBy(() -> IdxDataset.read(img, "img", lbl, "lbl", IdxDataset.Options.PAD32))
                .isInstanceOf(ChaseException.class).hasMessageContaining("40x40");
    }
}
