package dev.chase.data;

/**
 * An indexed, labelled set of images. Implementations are read-only and safe to call from several
 * threads; they may hold everything in memory (CIFAR, IDX) or decode lazily (image folders).
 */
public interface ImageDataset {
    /** Number of examples. */
    int size();

    /** Number of classes; labels are in {@code [0, numClasses)}. */
    int numClasses();

    /** The label of example {@code index}. */
    int label(int index);

    /** The decoded image of example {@code index}. */
    RawImage image(int index);
}
