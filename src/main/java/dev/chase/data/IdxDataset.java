package dev.chase.data;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * MNIST-style data in the IDX format: an image file (magic {@code 0x00000803}, dimensions count,
 * rows, columns, then unsigned bytes) and a label file (magic {@code 0x00000801}, count, then one
 * byte per label), each raw or gzip-compressed (recognised by the gzip magic, not the file name).
 *
 * <p>Every header field is checked against what the file can actually hold before memory is
 * allocated, so a corrupt or hostile header fails with a clear message instead of an
 * out-of-memory error. Images are kept once, unpadded; {@link Options} decides how
 * {@link #image} presents them (zero padding to a square size, grey repeated to RGB), which is what
 * the CIFAR-shaped networks need.
 */
public final class IdxDataset implements ImageDataset {

    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** MNIST and Fashion-MNIST both have ten classes. */
    public static final int NUM_CLASSES = 10;
    /** Largest accepted image side; MNIST is 28. Anything larger is treated as a corrupt header. */
    public static final int MAX_SIDE = 1024;

    /** Largest array the JVM reliably allocates. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 16;
    private static final int CHUNK = 1 << 20;

    /** The standard file names, without the optional {@code .gz} suffix. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * How images are presented.
     *
     * @param padTo zero-pad each image, centred, to {@code padTo x padTo}; 0 keeps the stored size
     * @param channels 1 (grey) or 3 (grey repeated to three identical channels)
     */
    public record Options(int padTo, int channels) {
        /** Images as stored: 1x28x28 for MNIST. */
        public static final Options RAW = new Options(0, 1);
        /** Zero-padded to 1x32x32. */
        public static final Options PAD32 = new Options(32, 1);
        /** Zero-padded to 32x32 and repeated to 3 channels: drop-in input for CIFAR networks. */
        public static final Options PAD32_RGB = new Options(32, 3);

        public Options {
            if (padTo < 0 || padTo > MAX_SIDE) {
                throw new IllegalArgumentException("padTo must be in [0, " + MAX_SIDE + "], got " + padTo);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
            }
        }
    }

    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;
    private final Options options;
    private final ImageShape shape;
    private final int padTop;
    private final int padLeft;

    private IdxDataset(int count, int rows, int cols, byte[] pixels, byte[] labels, Options options, String source) {
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
        this.options = options;
        int h = rows;
        int w = cols;
        if (options.padTo() > 0) {
            if (rows > options.padTo() || cols > options.padTo()) {
                throw new ChaseException(source + ": images are " + rows + "x" + cols + ", larger than the requested padded size " + options.padTo() + "x" + options.padTo());
            }
            h = options.padTo();
            w = options.padTo();
        }
        this.shape = new ImageShape(options.channels(), h, w);
        this.padTop = (h - rows) / 2;
        this.padLeft = (w - cols) / 2;
    }

    /**
     * Reads the training ({@code train-*}) or test ({@code t10k-*}) pair of the standard file
     * names from {@code folder}, each either raw or with a {@code .gz} suffix.
     */
    public static IdxDataset fromFolder(Path folder, boolean train, Options options) {
        if (!Files.isDirectory(folder)) {
            throw new ChaseException("IDX data folder " + folder + " does not exist or is not a folder; it should hold " + expectedNames());
        }
        Path images = find(folder, train ? TRAIN_IMAGES : TEST_IMAGES);
        Path labelFile = find(folder, train ? TRAIN_LABELS : TEST_LABELS);
        return fromFiles(images, labelFile, options);
    }

    /** Reads an image file and its label file (raw or gzip). */
    public static IdxDataset fromFiles(Path images, Path labelFile, Options options) {
        for (Path p : new Path[] {images, labelFile}) {
            if (!Files.isRegularFile(p)) {
                throw new ChaseException("IDX file " + p + " does not exist or is not a file");
            }
        }
        try (InputStream imgIn = Files.newInputStream(images);
                InputStream lblIn = Files.newInputStream(labelFile)) {
            return read(imgIn, images.toString(), Files.size(images), lblIn, labelFile.toString(), Files.size(labelFile), options);
        } catch (IOException e) {
            throw new ChaseException("cannot read IDX files " + images + " and " + labelFile + ": " + AtomicFiles.describe(e), e);
        }
    }

    /**
     * Reads from streams (for class-path resources); the names appear in error messages. The
     * streams are not closed.
     */
    public static IdxDataset read(InputStream images, String imagesName, InputStream labelStream, String labelsName, Options options) {
        return read(images, imagesName, -1, labelStream, labelsName, -1, options);
    }

    private static IdxDataset read(InputStream images, String imagesName, long imagesLength,
            InputStream labelStream, String labelsName, long labelsLength, Options options) {
        Body img = readBody(images, imagesName, imagesLength, IMAGES_MAGIC);
        Body lbl = readBody(labelStream, labelsName, labelsLength, LABELS_MAGIC);
        if (img.dims[0] != lbl.dims[0]) {
            throw new ChaseException("IDX count mismatch: " + imagesName + " holds " + img.dims[0] + " images but " + labelsName + " holds " + lbl.dims[0] + " labels");
        }
        for (int i = 0; i < lbl.data.length; i++) {
            int y = lbl.data[i] & 0xFF;
            if (y >= NUM_CLASSES) {
                throw new ChaseException(labelsName + ": label " + y + " of example " + i + " is outside [0, " + NUM_CLASSES + ")");
            }
        }
        return new IdxDataset(img.dims[0], img.dims[1], img.dims[2], img.data, lbl.data, options, imagesName);
    }

    private record Body(int[] dims, byte[] data) {}

    private static Body readBody(InputStream raw, String name, long fileLength, int expectedMagic) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            InputStream in = buffered;
            boolean gzip = isGzip(buffered);
            if (gzip) {
                in = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
            }
            byte[] head = new byte[4];
            if (readFully(in, head, 0, 4) < 4) {
                throw new ChaseException(name + " is not an IDX file: it is shorter than the 4-byte magic number" + (gzip ? " (after gzip decompression)" : ""));
            }
            int magic = bigEndian(head, 0);
            if (magic != expectedMagic) {
                String what = expectedMagic == IMAGES_MAGIC ? "image" : "label";
                String hint = "";
                if (magic == IMAGES_MAGIC) {
                    hint = " (this is an image file; were image and label files swapped?)";
                } else if (magic == LABELS_MAGIC) {
                    hint = " (this is a label file; were image and label files swapped?)";
                }
                throw new ChaseException(name + " is not an IDX " + what + " file: magic number " + hex(magic)
                        + ", expected " + hex(expectedMagic) + hint);
            }
            int ndims = expectedMagic & 0xFF;
            byte[] dimBytes = new byte[4 * ndims];
            if (readFully(in, dimBytes, 0, dimBytes.length) < dimBytes.length) {
                throw new ChaseException(name + " is truncated: the header ends before its " + ndims + " dimension(s)");
            }
            int[] dims = new int[ndims];
            long total = 1;
            for (int d = 0; d < ndims; d++) {
                long v = Integer.toUnsignedLong(bigEndian(dimBytes, 4 * d));
                if (d > 0 && (v == 0 || v > MAX_SIDE)) {
                    throw new ChaseException(name + ": implausible image size " + dimsText(dimBytes, ndims) + " in the header (each side must be in [1, " + MAX_SIDE + "]); the file is corrupt");
                }
                if (v > Integer.MAX_VALUE) {
                    throw new ChaseException(name + ": implausible count " + v + " in the header; the file is corrupt");
                }
                dims[d] = (int) v;
                total *= v;
            }
            if (dims[0] == 0) {
                throw new ChaseException(name + " holds no examples (count 0 in the header)");
            }
            long headerBytes = 4L + 4L * ndims;
            if (total > MAX_BYTES) {
                throw new ChaseException(name + ": header " + dimsText(dimBytes, ndims) + " declares " + total + " bytes, more than this reader supports (" + MAX_BYTES + "); the file is corrupt or not MNIST-like");
            }
            if (!gzip && fileLength >= 0 && fileLength != headerBytes + total) {
                throw new ChaseException(name + (fileLength < headerBytes + total ? " is truncated" : " is longer than its header says")
                        + ": header " + dimsText(dimBytes, ndims) + " needs " + (headerBytes + total) + " bytes, the file has " + fileLength);
            }
            byte[] data = readBounded(in, (int) total, name, dimBytes, ndims);
            if (in.read() != -1) {
                throw new ChaseException(name + " is longer than its header says: data continues after the " + total + " bytes declared by " + dimsText(dimBytes, ndims));
            }
            return new Body(dims, data);
        } catch (ZipException e) {
            throw new ChaseException(name + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new ChaseException(name + " is truncated: the gzip stream ends early", e);
        } catch (IOException e) {
            throw new ChaseException("cannot read " + name + ": " + AtomicFiles.describe(e), e);
        }
    }

    /**
     * Reads exactly {@code total} bytes, growing the buffer only as data actually arrives, so a
     * header that lies about its size costs no more memory than the stream really holds.
     */
    private static byte[] readBounded(InputStream in, int total, String name, byte[] dimBytes, int ndims) throws IOException {
        byte[] buf = new byte[Math.min(total, CHUNK)];
        int filled = 0;
        while (filled < total) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(total, Math.max(2L * buf.length, CHUNK)));
            }
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                throw new ChaseException(name + " is truncated: header " + dimsText(dimBytes, ndims) + " declares " + total + " data bytes, only " + filled + " present");
            }
            filled += n;
        }
        return buf;
    }

    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static int readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(buf, off + done, len - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    private static int bigEndian(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }

    private static String dimsText(byte[] dimBytes, int ndims) {
        StringBuilder sb = new StringBuilder("(");
        for (int d = 0; d < ndims; d++) {
            if (d > 0) {
                sb.append(" x ");
            }
            sb.append(Integer.toUnsignedLong(bigEndian(dimBytes, 4 * d)));
        }
        return sb.append(')').toString();
    }

    private static Path find(Path folder, String base) {
        Path raw = folder.resolve(base);
        Path gz = folder.resolve(base + ".gz");
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new ChaseException("IDX data folder " + folder + " has no " + base + " or " + base + ".gz; it should hold " + expectedNames());
    }

    private static String expectedNames() {
        return TRAIN_IMAGES + "(.gz), " + TRAIN_LABELS + "(.gz), " + TEST_IMAGES + "(.gz), " + TEST_LABELS + "(.gz)";
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public int numClasses() {
        return NUM_CLASSES;
    }

    @Override
    public int label(int index) {
        return labels[checkIndex(index)] & 0xFF;
    }

    /** Shape of what {@link #image} returns (after padding and channel repetition). */
    public ImageShape shape() {
        return shape;
    }

    /** Size of the images as stored in the file: rows. */
    public int storedRows() {
        return rows;
    }

    /** Size of the images as stored in the file: columns. */
    public int storedColumns() {
        return cols;
    }

    public Options options() {
        return options;
    }

    @Override
    public RawImage image(int index) {
        checkIndex(index);
        int plane = rows * cols;
        int src = index * plane;
        int h = shape.height();
        int w = shape.width();
        byte[] out = new byte[shape.size()];
        if (h == rows && w == cols) {
            System.arraycopy(pixels, src, out, 0, plane);
        } else {
            for (int y = 0; y < rows; y++) {
                System.arraycopy(pixels, src + y * cols, out, (y + padTop) * w + padLeft, cols);
            }
        }
        for (int c = 1; c < shape.channels(); c++) {
            System.arraycopy(out, 0, out, c * h * w, h * w);
        }
        return new RawImage(shape, out);
    }

    /** This dataset presented with other options; the pixel data is shared, not copied. */
    public IdxDataset withOptions(Options newOptions) {
        return new IdxDataset(count, rows, cols, pixels, labels, newOptions, "IDX dataset");
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + count + ")");
        }
        return index;
    }
}
