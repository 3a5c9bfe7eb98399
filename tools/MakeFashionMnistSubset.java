/*
 * Builds the Fashion-MNIST subset embedded in chase (src/main/resources/dev/chase/data/fashion-mnist-subset).
 *
 * Usage: java tools/MakeFashionMnistSubset.java <source-dir> <target-dir>
 *        java tools/MakeFashionMnistSubset.java --random N --seed S <source-dir> <target-dir>
 *
 * <source-dir> holds the four standard gzip files of Fashion-MNIST (Debian package
 * dataset-fashion-mnist installs them in /usr/share/datasets/fashion-mnist). The subset takes, for
 * each class, the first 1,000 training and the first 200 test images in file order, keeps the
 * selected images in their original relative order, and writes the four standard file names as
 * gzip-compressed IDX. The output is a pure function of the input (gzip header without time
 * stamp), so rerunning the tool reproduces the committed files byte for byte. It also prints the
 * pixel mean and standard deviation (in [0, 1]) of the full and the subset training images.
 *
 * With --random N --seed S it writes instead a seeded random subset for short-schedule studies:
 * N training images drawn without replacement (a Fisher-Yates shuffle driven by java.util.Random(S),
 * whose sequence the Java specification fixes, so a seed names the same subset everywhere), kept
 * in their original relative order, and the full test set unchanged.
 *
 * Self-contained on purpose (runs with the single-file source launcher, no project classpath).
 */

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

public class MakeFashionMnistSubset {
    static final int CLASSES = 10;
    static final int TRAIN_PER_CLASS = 1000;
    static final int TEST_PER_CLASS = 200;

    record Idx(int count, int rows, int cols, byte[] images, byte[] labels) {}

    public static void main(String[] args) throws Exception {
        boolean random = args.length == 6 && args[0].equals("--random") && args[2].equals("--seed");
        if (args.length != 2 && !random) {
            System.err.println("usage: java tools/MakeFashionMnistSubset.java [--random N --seed S] <source-dir> <target-dir>");
            System.exit(2);
        }
        Path source = Path.of(args[args.length - 2]);
        Path target = Path.of(args[args.length - 1]);
        Files.createDirectories(target);

        Idx train = load(source, "train");
        Idx test = load(source, "t10k");
        Idx trainSubset = random ? randomSubset(train, Integer.parseInt(args[1]), Long.parseLong(args[3]))
                : subset(train, TRAIN_PER_CLASS);
        Idx testSubset = random ? test : subset(test, TEST_PER_CLASS);
        write(target, "train", trainSubset);
        write(target, "t10k", testSubset);

        System.out.printf("full train   (%d images): %s%n", train.count(), stats(train));
        System.out.printf("subset train (%d images): %s%n", trainSubset.count(), stats(trainSubset));
        System.out.printf("full test    (%d images): %s%n", test.count(), stats(test));
        System.out.printf("subset test  (%d images): %s%n", testSubset.count(), stats(testSubset));
    }

    static Idx load(Path dir, String prefix) throws IOException {
        byte[] img = gunzip(dir.resolve(prefix + "-images-idx3-ubyte.gz"));
        byte[] lbl = gunzip(dir.resolve(prefix + "-labels-idx1-ubyte.gz"));
        check(readInt(img, 0) == 0x803, prefix + " images: bad magic");
        check(readInt(lbl, 0) == 0x801, prefix + " labels: bad magic");
        int n = readInt(img, 4);
        int rows = readInt(img, 8);
        int cols = readInt(img, 12);
        check(readInt(lbl, 4) == n, prefix + ": image and label counts differ");
        check(img.length == 16 + (long) n * rows * cols, prefix + " images: size does not match header");
        check(lbl.length == 8 + n, prefix + " labels: size does not match header");
        byte[] images = new byte[n * rows * cols];
        System.arraycopy(img, 16, images, 0, images.length);
        byte[] labels = new byte[n];
        System.arraycopy(lbl, 8, labels, 0, n);
        return new Idx(n, rows, cols, images, labels);
    }

    static Idx subset(Idx src, int perClass) {
        int plane = src.rows() * src.cols();
        int[] taken = new int[CLASSES];
        int total = perClass * CLASSES;
        byte[] images = new byte[total * plane];
        byte[] labels = new byte[total];
        int k = 0;
        for (int i = 0; i < src.count() && k < total; i++) {
            int y = src.labels()[i];
            check(y >= 0 && y < CLASSES, "label out of range at " + i);
            if (taken[y] < perClass) {
                taken[y]++;
                System.arraycopy(src.images(), i * plane, images, k * plane, plane);
                labels[k] = (byte) y;
                k++;
            }
        }
        check(k == total, "source has fewer than " + perClass + " images of some class");
        return new Idx(total, src.rows(), src.cols(), images, labels);
    }

    static Idx randomSubset(Idx src, int n, long seed) {
        check(n > 0 && n <= src.count(), "subset size must be in 1.." + src.count() + ", got " + n);
        int[] order = new int[src.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Random rng = new java.util.Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int[] picked = java.util.Arrays.copyOf(order, n);
        java.util.Arrays.sort(picked);
        int plane = src.rows() * src.cols();
        byte[] images = new byte[n * plane];
        byte[] labels = new byte[n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(src.images(), picked[k] * plane, images, k * plane, plane);
            labels[k] = src.labels()[picked[k]];
        }
        return new Idx(n, src.rows(), src.cols(), images, labels);
    }

    static void write(Path dir, String prefix, Idx d) throws Exception {
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        DataOutputStream io = new DataOutputStream(img);
        io.writeInt(0x803);
        io.writeInt(d.count());
        io.writeInt(d.rows());
        io.writeInt(d.cols());
        io.write(d.images());
        ByteArrayOutputStream lbl = new ByteArrayOutputStream();
        DataOutputStream lo = new DataOutputStream(lbl);
        lo.writeInt(0x801);
        lo.writeInt(d.count());
        lo.write(d.labels());
        gzipTo(dir.resolve(prefix + "-images-idx3-ubyte.gz"), img.toByteArray());
        gzipTo(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), lbl.toByteArray());
    }

    static void gzipTo(Path file, byte[] content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        // java.util.zip writes a fixed gzip header (no time stamp, no name): reproducible output
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            out.write(content);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        byte[] written = Files.readAllBytes(file);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written));
        System.out.printf("wrote %s (%d bytes, sha256 %s)%n", file, written.length, sha);
    }

    static String stats(Idx d) {
        long sum = 0;
        long sumSq = 0;
        for (byte b : d.images()) {
            int p = b & 0xFF;
            sum += p;
            sumSq += (long) p * p;
        }
        double n = d.images().length;
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        return String.format("mean %.4f std %.4f (pixels/255)", mean / 255, std / 255);
    }

    static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        }
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
