package dev.chase.data;

import dev.chase.ChaseException;
import java.util.SplittableRandom;

/**
 * The evaluation transform for fixed-size sets (CIFAR, padded MNIST): no augmentation, only
 * {@code (pixel / 255 - mean) / std} per channel. Images must already have {@link #outputShape()}.
 */
public final class Normalize implements Transform {
    private final ImageShape shape;
    private final Normalization normalization;
    private final float[] table;

    public Normalize(ImageShape shape, Normalization normalization) {
        this.shape = shape;
        this.normalization = normalization.forChannels(shape.channels());
        this.table = normalization.lookupTable(shape.channels());
    }

    @Override
    public ImageShape outputShape() {
        return shape;
    }

    public Normalization normalization() {
        return normalization;
    }

    @Override
    public void apply(RawImage image, SplittableRandom rng, float[] dst, int offset) {
        requireShape(image, shape, "Normalize");
        byte[] src = image.data();
        int plane = shape.height() * shape.width();
        for (int c = 0; c < shape.channels(); c++) {
            int base = c * 256;
            for (int k = c * plane, end = k + plane; k < end; k++) {
                dst[offset + k] = table[base + (src[k] & 0xFF)];
            }
        }
    }

    /** Fails with a user-facing message when a fixed-size transform meets an image of another size. */
    static void requireShape(RawImage image, ImageShape expected, String transform) {
        if (!image.shape().equals(expected)) {
            throw new ChaseException(transform + " expects images of shape " + expected + " but got " + image.shape()
                    + "; images of varying size need RandomResizedCrop / ResizeCenterCrop");
        }
    }

    /** Fails with a user-facing message when an image has another channel count than the transform. */
    static void requireChannels(RawImage image, int channels, String transform) {
        if (image.shape().channels() != channels) {
            throw new ChaseException(transform + " expects " + channels + "-channel images but got shape " + image.shape());
        }
    }
}
