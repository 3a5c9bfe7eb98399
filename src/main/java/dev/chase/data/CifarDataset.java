package dev.chase.data;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One split of CIFAR-10 or CIFAR-100, read from the official binary files and held in memory: all
 * pixels in one array (32x32x3 per image, channel-major exactly as stored) and one label per image.
 * Every size is checked before anything is allocated, and every label against the class count, so
 * a truncated or corrupt download fails with a message that names the file instead of training on
 * garbage. Read-only after loading, hence safe to share between threads.
 */
public final class CifarDataset implements ImageDataset {

    /** Which half of the dataset to load. */
    public enum Split {
        TRAIN,
        TEST;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Records read per I/O call; about 3 MB, small enough to stay out of the way. */
    private static final int RECORDS_PER_READ = 1024;

    private final CifarVariant variant;
    private final Split split;
    private final byte[] labels;
    private final byte[] pixels;

    private CifarDataset(CifarVariant variant, Split split, byte[] labels, byte[] pixels) {
        this.variant = variant;
        this.split = split;
        this.labels = labels;
        this.pixels = pixels;
    }

    /**
     * Loads the full official split; fails unless it has exactly 50,000 (train) or 10,000 (test)
     * images.
     *
     * @param folder the extracted folder holding the {@code .bin} files, or its parent
     */
    public static CifarDataset load(Path folder, CifarVariant variant, Split split) {
        return load(folder, variant, split, true);
    }

    /**
     * Loads one split.
     *
     * @param folder the extracted folder holding the {@code .bin} files (e.g. {@code
     *     cifar-10-batches-bin}), or the folder that contains it
     * @param requireOfficialCount whether the split must have the official number of images; turn
     *     off only for hand-made subsets (tests, smoke runs)
     */
    public static CifarDataset load(Path folder, CifarVariant variant, Split split, boolean requireOfficialCount) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(split, "split");
        Path dir = resolveFolder(folder, variant, split);
        List<String> names = variant.files(split);
        int recordSize = variant.recordSize();

        List<Integer> counts = new ArrayList<>();
        long total = 0;
        for (String name : names) {
            Path file = dir.resolve(name);
            long size = sizeOf(file, variant);
            if (size % recordSize != 0) {
                throw new ChaseException(variant + " file " + file + " is truncated or corrupt: " + size
                        + " bytes is not a whole number of " + recordSize + "-byte records; "
                        + redownloadHint(dir));
            }
            if (size == 0) {
                throw new ChaseException(variant + " file " + file + " is empty; " + redownloadHint(dir));
            }
            long count = size / recordSize;
            total += count;
            counts.add((int) Math.min(count, Integer.MAX_VALUE));
        }
        int expected = variant.officialCount(split);
        if (requireOfficialCount && total != expected) {
            throw new ChaseException(variant + " " + split + " split in " + dir + " has " + total
                    + " images, expected " + expected + "; the files are truncated or corrupt, " + redownloadHint(dir));
        }
        int imageSize = CifarVariant.IMAGE_SHAPE.size();
        if (total > (Integer.MAX_VALUE - 16) / imageSize) {
            throw new ChaseException(variant + " " + split + " split in " + dir + " has " + total
                    + " images, too many to hold in memory; the files are not CIFAR data");
        }

        byte[] labels = new byte[(int) total];
        byte[] pixels = new byte[(int) total * imageSize];
        int index = 0;
        for (int f = 0; f < names.size(); f++) {
            Path file = dir.resolve(names.get(f));
            index = readFile(file, dir, variant, counts.get(f), index, labels, pixels);
        }
        return new CifarDataset(variant, split, labels, pixels);
    }

    /** Accepts either the folder holding the files or its parent, as extracted from the archive. */
    private static Path resolveFolder(Path folder, CifarVariant variant, Split split) {
        String first = variant.files(split).get(0);
        if (Files.isRegularFile(folder.resolve(first))) {
            return folder;
        }
        Path nested = folder.resolve(variant.folderName());
        if (Files.isRegularFile(nested.resolve(first))) {
            return nested;
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new ChaseException(variant + " data folder " + folder + " is a file, not a folder");
        }
        if (!Files.isDirectory(folder)) {
            throw new ChaseException(variant + " data folder " + folder + " does not exist; pass --download to fetch "
                    + variant + ", or point --data-dir at the extracted " + variant.folderName() + " folder");
        }
        if (Files.isDirectory(nested)) {
            return nested; // the per-file check below names the missing file
        }
        return folder;
    }

    private static long sizeOf(Path file, CifarVariant variant) {
        if (!Files.isRegularFile(file)) {
            throw new ChaseException(variant + " file " + file + " not found; pass --download to fetch " + variant
                    + ", or point --data-dir at a complete extracted " + variant.folderName() + " folder");
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new ChaseException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static int readFile(
            Path file, Path dir, CifarVariant variant, int count, int index, byte[] labels, byte[] pixels) {
        int recordSize = variant.recordSize();
        int labelBytes = variant.labelBytes();
        int imageSize = CifarVariant.IMAGE_SHAPE.size();
        byte[] buffer = new byte[Math.min(count, RECORDS_PER_READ) * recordSize];
        try (InputStream in = Files.newInputStream(file)) {
            int done = 0;
            while (done < count) {
                int n = Math.min(count - done, RECORDS_PER_READ);
                int len = n * recordSize;
                if (in.readNBytes(buffer, 0, len) != len) {
                    throw new EOFException();
                }
                for (int r = 0; r < n; r++) {
                    int off = r * recordSize;
                    int label = buffer[off + labelBytes - 1] & 0xFF;
                    if (label >= variant.numClasses()) {
                        throw badLabel(file, dir, variant, done + r, "label", label, variant.numClasses());
                    }
                    if (labelBytes == 2) {
                        int coarse = buffer[off] & 0xFF;
                        if (coarse >= variant.numCoarseClasses()) {
                            throw badLabel(file, dir, variant, done + r, "coarse label", coarse,
                                    variant.numCoarseClasses());
                        }
                    }
                    labels[index] = (byte) label;
                    System.arraycopy(buffer, off + labelBytes, pixels, index * imageSize, imageSize);
                    index++;
                }
                done += n;
            }
        } catch (EOFException e) {
            throw new ChaseException(variant + " file " + file + " became shorter while it was read; "
                    + redownloadHint(dir), e);
        } catch (IOException e) {
            throw new ChaseException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        return index;
    }

    private static ChaseException badLabel(
            Path file, Path dir, CifarVariant variant, int record, String what, int value, int classes) {
        return new ChaseException(variant + " file " + file + " is corrupt: record " + record + " has " + what + " "
                + value + ", expected 0.." + (classes - 1) + "; " + redownloadHint(dir));
    }

    private static String redownloadHint(Path dir) {
        return "delete " + dir + " and download it again (--download)";
    }

    public CifarVariant variant() {
        return variant;
    }

    public Split split() {
        return split;
    }

    /** Shape of every image: 3x32x32. */
    public ImageShape shape() {
        return CifarVariant.IMAGE_SHAPE;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int numClasses() {
        return variant.numClasses();
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, labels.length)] & 0xFF;
    }

    /** A copy of the image's pixels, so callers cannot alter the dataset. */
    @Override
    public RawImage image(int index) {
        int imageSize = CifarVariant.IMAGE_SHAPE.size();
        int from = Objects.checkIndex(index, labels.length) * imageSize;
        byte[] data = new byte[imageSize];
        System.arraycopy(pixels, from, data, 0, imageSize);
        return new RawImage(CifarVariant.IMAGE_SHAPE, data);
    }

    @Override
    public String toString() {
        return variant + " " + split + " (" + size() + " images)";
    }
}
