package dev.chase.data;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * An ImageNet-style folder: one sub-folder per class, holding that class's JPEG and PNG files.
 * Classes are the sub-folder names in sorted order (label 0 is the first name), files within a
 * class are in sorted order, and images are decoded lazily, one per {@link #image} call, to RGB
 * (grey and palette images are converted). Only the file list is kept in memory, so the set can
 * be as large as the disk allows. Hidden entries (names starting with a dot) are ignored.
 */
public final class ImageFolderDataset implements ImageDataset {

    private final Path root;
    private final List<String> classNames;
    private final Path[] files;
    private final int[] labels;

    private ImageFolderDataset(Path root, List<String> classNames, Path[] files, int[] labels) {
        this.root = root;
        this.classNames = classNames;
        this.files = files;
        this.labels = labels;
    }

    /** Scans {@code root}; fails with a clear message if it has no class folders or an empty class. */
    public static ImageFolderDataset open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ChaseException("image folder " + root + " does not exist or is not a folder");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        } catch (IOException e) {
            throw new ChaseException("cannot list image folder " + root + ": " + AtomicFiles.describe(e), e);
        }
        if (classDirs.isEmpty()) {
            throw new ChaseException("image folder " + root + " has no class folders; expected one sub-folder per class holding .jpg/.jpeg/.png files");
        }
        List<String> names = new ArrayList<>();
        List<Path> allFiles = new ArrayList<>();
        List<Integer> allLabels = new ArrayList<>();
        for (Path dir : classDirs) {
            int label = names.size();
            names.add(dir.getFileName().toString());
            List<Path> images;
            try (Stream<Path> s = Files.walk(dir)) {
                images = s.filter(Files::isRegularFile).filter(ImageFolderDataset::isImageName)
                        .filter(p -> !hidden(p)).sorted().toList();
            } catch (IOException e) {
                throw new ChaseException("cannot list class folder " + dir + ": " + AtomicFiles.describe(e), e);
            }
            if (images.isEmpty()) {
                throw new ChaseException("class folder " + dir + " holds no .jpg/.jpeg/.png images; remove it or add images");
            }
            for (Path p : images) {
                allFiles.add(p);
                allLabels.add(label);
            }
        }
        int[] labels = allLabels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageFolderDataset(root, Collections.unmodifiableList(names), allFiles.toArray(Path[]::new), labels);
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    public Path root() {
        return root;
    }

    /** Class names by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** The file of example {@code index}. */
    public Path file(int index) {
        return files[checkIndex(index)];
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public int label(int index) {
        return labels[checkIndex(index)];
    }

    @Override
    public RawImage image(int index) {
        Path file = file(index);
        BufferedImage img;
        try {
            // a File (not a stream) lets ImageIO read directly instead of caching to a temp file
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            String why = e instanceof IOException io ? AtomicFiles.describe(io) : String.valueOf(e.getMessage());
            throw new ChaseException("cannot decode image " + file + ": " + why, e);
        }
        if (img == null) {
            throw new ChaseException("cannot decode image " + file + ": not a readable JPEG or PNG");
        }
        return toRaw(img);
    }

    /** Converts any decoded image to 8-bit RGB in CHW order. */
    static RawImage toRaw(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        byte[] data = new byte[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            int base = y * w;
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                data[base + x] = (byte) (argb >> 16);
                data[plane + base + x] = (byte) (argb >> 8);
                data[2 * plane + base + x] = (byte) argb;
            }
        }
        return new RawImage(new ImageShape(3, h, w), data);
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= files.length) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + files.length + ")");
        }
        return index;
    }
}
