package dev.chase.data;

import dev.chase.ChaseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The real data shipped inside chase: a balanced subset of Fashion-MNIST (1,000 training and 200
 * test images per class, the first of each class in file order; see the {@code LICENSE} file
 * beside the resources and {@code tools/MakeFashionMnistSubset.java}). It makes {@code chase demo}
 * and the tests independent of downloads, and is read from the class path, so it works from the
 * jar.
 */
public final class EmbeddedData {

    /** Class-path folder of the subset. */
    public static final String RESOURCE_FOLDER = "/dev/chase/data/fashion-mnist-subset/";
    /** Examples per class in the embedded training split. */
    public static final int TRAIN_PER_CLASS = 1000;
    /** Examples per class in the embedded test split. */
    public static final int TEST_PER_CLASS = 200;
    /** Class names of Fashion-MNIST, by label. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private EmbeddedData() {}

    /** Training split, zero-padded to 1x32x32. */
    public static IdxDataset fashionMnistTrain() {
        return fashionMnist(true, IdxDataset.Options.PAD32);
    }

    /** Test split, zero-padded to 1x32x32. */
    public static IdxDataset fashionMnistTest() {
        return fashionMnist(false, IdxDataset.Options.PAD32);
    }

    /** One split with the given presentation (e.g. {@link IdxDataset.Options#PAD32_RGB}). */
    public static IdxDataset fashionMnist(boolean train, IdxDataset.Options options) {
        String images = RESOURCE_FOLDER + (train ? IdxDataset.TRAIN_IMAGES : IdxDataset.TEST_IMAGES) + ".gz";
        String labels = RESOURCE_FOLDER + (train ? IdxDataset.TRAIN_LABELS : IdxDataset.TEST_LABELS) + ".gz";
        try (InputStream img = open(images);
                InputStream lbl = open(labels)) {
            return IdxDataset.read(img, "embedded resource " + images, lbl, "embedded resource " + labels, options);
        } catch (IOException e) {
            throw new ChaseException("cannot read the embedded Fashion-MNIST subset: " + e.getMessage(), e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = EmbeddedData.class.getResourceAsStream(resource);
        if (in == null) {
            throw new ChaseException("embedded data " + resource + " is missing from the class path; this chase build is incomplete, rebuild or reinstall it");
        }
        return in;
    }
}
