package dev.chase.data;

import java.net.URI;
import java.util.List;

/**
 * The two CIFAR datasets in their official binary form: where to download them, how the archive is
 * laid out, how a record is encoded, and the per-channel normalisation statistics that training
 * recipes use. Everything the loader and the downloader need to know about one variant lives here,
 * so adding a mirror or checking a file is never a matter of string literals scattered around.
 */
public enum CifarVariant {
    CIFAR10(
            "CIFAR-10",
            "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
            "c32a1d4ab5d03f1284b67883e8d87530",
            "cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            List.of("test_batch.bin"),
            1,
            10,
            0,
            Normalization.CIFAR10),
    CIFAR100(
            "CIFAR-100",
            "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
            "03b5dce01913d631647c71ecec9e9cb8",
            "cifar-100-binary",
            List.of("train.bin"),
            List.of("test.bin"),
            2,
            100,
            20,
            Normalization.CIFAR100);

    /** Every CIFAR image: 3 channels of 32x32, stored channel-major (CHW). */
    public static final ImageShape IMAGE_SHAPE = new ImageShape(3, 32, 32);

    /** Number of training images in the official split (both variants). */
    public static final int TRAIN_COUNT = 50_000;

    /** Number of test images in the official split (both variants). */
    public static final int TEST_COUNT = 10_000;

    /**
     * Upper bound on the downloaded archive (the real ones are about 170 MB), so a misbehaving
     * server or a wrong mirror cannot fill the disk.
     */
    public static final long MAX_ARCHIVE_BYTES = 256L * 1024 * 1024;

    /** Upper bound on what extracting the archive may write (the real content is about 185 MB). */
    public static final long MAX_EXTRACTED_BYTES = 320L * 1024 * 1024;

    private final String displayName;
    private final URI url;
    private final String md5;
    private final String folderName;
    private final List<String> trainFiles;
    private final List<String> testFiles;
    private final int labelBytes;
    private final int numClasses;
    private final int numCoarseClasses;
    private final Normalization normalization;

    CifarVariant(
            String displayName,
            String url,
            String md5,
            String folderName,
            List<String> trainFiles,
            List<String> testFiles,
            int labelBytes,
            int numClasses,
            int numCoarseClasses,
            Normalization normalization) {
        this.displayName = displayName;
        this.url = URI.create(url);
        this.md5 = md5;
        this.folderName = folderName;
        this.trainFiles = trainFiles;
        this.testFiles = testFiles;
        this.labelBytes = labelBytes;
        this.numClasses = numClasses;
        this.numCoarseClasses = numCoarseClasses;
        this.normalization = normalization;
    }

    /** Human name, e.g. {@code CIFAR-10}, for messages. */
    public String displayName() {
        return displayName;
    }

    /** Official download location of the binary archive. */
    public URI url() {
        return url;
    }

    /** MD5 of the official archive, lowercase hex. */
    public String md5() {
        return md5;
    }

    /** File name of the archive, e.g. {@code cifar-10-binary.tar.gz}. */
    public String archiveFileName() {
        String path = url.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Name of the folder inside the archive that holds the {@code .bin} files. */
    public String folderName() {
        return folderName;
    }

    /** The {@code .bin} files of one split, in the order their records are concatenated. */
    public List<String> files(CifarDataset.Split split) {
        return split == CifarDataset.Split.TRAIN ? trainFiles : testFiles;
    }

    /** Number of examples of one split in the official dataset. */
    public int officialCount(CifarDataset.Split split) {
        return split == CifarDataset.Split.TRAIN ? TRAIN_COUNT : TEST_COUNT;
    }

    /**
     * Label bytes at the start of each record: 1 for CIFAR-10, 2 for CIFAR-100 (coarse, then fine;
     * the fine label is the one used).
     */
    public int labelBytes() {
        return labelBytes;
    }

    /** Bytes per record: the label bytes followed by 3072 pixel bytes. */
    public int recordSize() {
        return labelBytes + IMAGE_SHAPE.size();
    }

    /** Number of classes of the label used for training (the fine label for CIFAR-100). */
    public int numClasses() {
        return numClasses;
    }

    /** Number of coarse classes (20 for CIFAR-100), or 0 where there is no coarse label. */
    public int numCoarseClasses() {
        return numCoarseClasses;
    }

    /** Per-channel mean and standard deviation of the reference recipe (algorithm §8.1). */
    public Normalization normalization() {
        return normalization;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
