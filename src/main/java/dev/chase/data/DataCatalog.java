package dev.chase.data;

import dev.chase.ChaseException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opens a dataset by name with the transforms of its recipe:
 *
 * <ul>
 *   <li>{@code cifar10}, {@code cifar100}: binary CIFAR from {@code --data-dir} or the cache
 *       folder, downloaded (verified) when allowed; random crop (pad 4) + flip, normalised as
 *       algorithm §8.1;
 *   <li>{@code fashion-mnist}, {@code mnist}: IDX files in {@code --data-dir}, zero-padded to
 *       32x32; Fashion-MNIST gets crop + flip, MNIST no augmentation (flipped digits are not digits);
 *   <li>{@code fashion-mnist-subset}: the 10,000/2,000-image Fashion-MNIST subset shipped inside
 *       chase;
 *   <li>{@code imagefolder}: {@code train/} and {@code val/} folders of class subfolders,
 *       random-resized-crop 224 for training, resize 256 + centre crop 224 for evaluation;
 *   <li>{@code synthetic}: a generated, learnable 10-class 3x32x32 set (2,000 train, 500 test).
 * </ul>
 */
public final class DataCatalog {
    private static final List<String> NAMES =
            List.of("cifar10", "cifar100", "fashion-mnist", "mnist", "fashion-mnist-subset", "imagefolder", "synthetic");
    private static final ImageShape MNIST_SHAPE = new ImageShape(1, 32, 32);

    private DataCatalog() {}

    /** Every dataset name {@link #open} accepts. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * Opens a dataset.
     *
     * @param dataDir folder of the files, or null for the default place
     * @param download whether a missing CIFAR archive may be downloaded
     */
    public static DataBundle open(String name, String dataDir, boolean download) {
        Path dir = dataDir == null ? null : Path.of(dataDir);
        if (download && !name.startsWith("cifar")) {
            throw new ChaseException("--download applies to cifar10 and cifar100 only; " + name + (name.equals("synthetic")
                    || name.equals("fashion-mnist-subset") ? " is built into chase" : " must already be in --data-dir"));
        }
        if (dir != null && (name.equals("synthetic") || name.equals("fashion-mnist-subset"))) {
            throw new ChaseException("--data-dir does not apply to " + name + ", which is built into chase; remove it");
        }
        return switch (name) {
            case "cifar10" -> cifar(CifarVariant.CIFAR10, dir, download);
            case "cifar100" -> cifar(CifarVariant.CIFAR100, dir, download);
            case "fashion-mnist" -> idx(name, requireDir(name, dir), Normalization.FASHION_MNIST, true);
            case "mnist" -> idx(name, requireDir(name, dir), Normalization.MNIST, false);
            case "fashion-mnist-subset" -> fashionSubset();
            case "imagefolder" -> imageFolder(requireDir(name, dir));
            case "synthetic" -> synthetic();
            default -> throw new ChaseException("unknown dataset '" + name + "': use one of " + String.join(", ", NAMES));
        };
    }

    /** Default cache folder for downloads: {@code $CHASE_DATA_DIR}, else {@code ~/.cache/chase/datasets}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("CHASE_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "chase", "datasets");
    }

    private static DataBundle cifar(CifarVariant v, Path dir, boolean download) {
        Path folder;
        if (dir != null && Files.isDirectory(dir) && holdsCifar(v, dir)) {
            folder = dir;
        } else {
            Path cache = dir != null ? dir : defaultCacheDir();
            folder = new CifarDownloader().ensure(v, cache, download, null, new ConsoleProgress(System.err, v.displayName()));
        }
        CifarDataset train = CifarDataset.load(folder, v, CifarDataset.Split.TRAIN);
        CifarDataset test = CifarDataset.load(folder, v, CifarDataset.Split.TEST);
        Normalization norm = v.normalization();
        // Algorithm §8.1: CIFAR-10 pads by reflection, CIFAR-100 with zeros.
        RandomCropFlip.Padding padding = v == CifarVariant.CIFAR10 ? RandomCropFlip.Padding.REFLECT : RandomCropFlip.Padding.ZERO;
        return new DataBundle(v.name().toLowerCase(Locale.ROOT), train, test,
                new RandomCropFlip(CifarVariant.IMAGE_SHAPE, 4, padding, norm), new Normalize(CifarVariant.IMAGE_SHAPE, norm),
                v.numClasses());
    }

    private static boolean holdsCifar(CifarVariant v, Path dir) {
        String first = v.files(CifarDataset.Split.TRAIN).get(0);
        return Files.isRegularFile(dir.resolve(first)) || Files.isRegularFile(dir.resolve(v.folderName()).resolve(first));
    }

    private static DataBundle idx(String name, Path dir, Normalization norm, boolean augment) {
        IdxDataset train = IdxDataset.fromFolder(dir, true, IdxDataset.Options.PAD32);
        IdxDataset test = IdxDataset.fromFolder(dir, false, IdxDataset.Options.PAD32);
        return mnistLike(name, train, test, norm, augment);
    }

    private static DataBundle fashionSubset() {
        return mnistLike("fashion-mnist-subset", EmbeddedData.fashionMnistTrain(), EmbeddedData.fashionMnistTest(),
                Normalization.FASHION_MNIST_SUBSET, true);
    }

    private static DataBundle mnistLike(String name, ImageDataset train, ImageDataset test, Normalization norm, boolean augment) {
        Transform eval = new Normalize(MNIST_SHAPE, norm);
        Transform trainTransform = augment ? RandomCropFlip.cifar(MNIST_SHAPE, norm) : eval;
        return new DataBundle(name, train, test, trainTransform, eval, 10);
    }

    private static DataBundle imageFolder(Path dir) {
        Path trainDir = dir.resolve("train");
        Path testDir = Files.isDirectory(dir.resolve("val")) ? dir.resolve("val") : dir.resolve("test");
        if (!Files.isDirectory(trainDir) || !Files.isDirectory(testDir)) {
            throw new ChaseException("image folder dataset " + dir + " needs a train/ and a val/ (or test/) folder, each with one subfolder per class");
        }
        ImageFolderDataset train = ImageFolderDataset.open(trainDir);
        ImageFolderDataset test = ImageFolderDataset.open(testDir);
        if (!train.classNames().equals(test.classNames())) {
            throw new ChaseException("the class folders of " + trainDir + " and " + testDir + " differ; they must name the same classes");
        }
        return new DataBundle("imagefolder", train, test, new RandomResizedCrop(224, 3, Normalization.IMAGENET),
                ResizeCenterCrop.imagenet(), train.numClasses());
    }

    private static DataBundle synthetic() {
        ImageShape shape = new ImageShape(3, 32, 32);
        SyntheticDataset all = new SyntheticDataset(2500, 10, shape, 7);
        Normalization norm = Normalization.of(0.5, 0.25);
        return new DataBundle("synthetic", new SubsetDataset(all, 0, 2000), new SubsetDataset(all, 2000, 500),
                RandomCropFlip.cifar(shape, norm), new Normalize(shape, norm), 10);
    }

    private static Path requireDir(String name, Path dir) {
        if (dir == null) {
            throw new ChaseException("dataset " + name + " needs --data-dir DIR (a folder with its files"
                    + (name.endsWith("mnist") ? ": train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz" : "")
                    + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new ChaseException("data folder " + dir + (Files.exists(dir) ? " is a file, not a folder" : " does not exist"));
        }
        return dir;
    }

    /** Download progress as a line redrawn on a console (or nothing when not attached to one). */
    private record ConsoleProgress(PrintStream out, String what) implements DownloadProgress {
        @Override
        public void update(long bytesSoFar, long totalBytes) {
            if (System.console() == null) {
                return;
            }
            out.printf(Locale.ROOT, "\rdownloading %s: %.1f MB%s", what, bytesSoFar / 1e6,
                    totalBytes > 0 ? String.format(Locale.ROOT, " of %.1f MB", totalBytes / 1e6) : "");
            if (totalBytes > 0 && bytesSoFar >= totalBytes) {
                out.println();
            }
        }
    }
}
