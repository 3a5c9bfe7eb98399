package dev.chase.data;

import java.util.SplittableRandom;

/**
 * Turns a {@link RawImage} into normalised float model input (CHW) of a fixed shape. Random
 * augmentations draw only from the given generator, so the same seed gives the same batch.
 */
public interface Transform {
    /** Shape of what {@link #apply} writes. */
    ImageShape outputShape();

    /** Writes the transformed image into {@code dst} starting at {@code offset}. */
    void apply(RawImage image, SplittableRandom rng, float[] dst, int offset);
}
