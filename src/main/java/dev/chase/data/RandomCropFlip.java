package dev.chase.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The CIFAR training augmentation: pad each side by {@code padding} pixels (zeros, or a mirror of
 * the border), take a random crop of the original size, mirror it horizontally with probability
 * 1/2, and normalise. Works on images of a fixed shape. Draws, in order: crop row offset, crop
 * column offset, flip.
 */
public final class RandomCropFlip implements Transform {

    /** How the border is filled before cropping. */
    public enum Padding {
        /** Pixel value 0 (black), as torchvision's {@code RandomCrop(padding=4)}. */
        ZERO,
        /** Mirror without repeating the edge pixel (numpy/torch "reflect"). */
        REFLECT
    }

    private final ImageShape shape;
    private final int padding;
    private final Padding mode;
    private final Normalization normalization;
    private final float[] table;

    public RandomCropFlip(ImageShape shape, int padding, Padding mode, Normalization normalization) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        if (mode == Padding.REFLECT && (padding >= shape.height() || padding >= shape.width())) {
            throw new IllegalArgumentException("reflect padding " + padding + " needs images larger than the padding, got " + shape);
        }
        this.shape = shape;
        this.padding = padding;
        this.mode = mode;
        this.normalization = normalization.forChannels(shape.channels());
        this.table = normalization.lookupTable(shape.channels());
    }

    /** Zero padding by 4: the standard CIFAR recipe. */
    public static RandomCropFlip cifar(ImageShape shape, Normalization normalization) {
        return new RandomCropFlip(shape, 4, Padding.ZERO, normalization);
    }

    @Override
    public ImageShape outputShape() {
        return shape;
    }

    public int padding() {
        return padding;
    }

    public Padding mode() {
        return mode;
    }

    public Normalization normalization() {
        return normalization;
    }

    @Override
    public void apply(RawImage image, SplittableRandom rng, float[] dst, int offset) {
        Normalize.requireShape(image, shape, "RandomCropFlip");
        int h = shape.height();
        int w = shape.width();
        int dy = rng.nextInt(2 * padding + 1) - padding;
        int dx = rng.nextInt(2 * padding + 1) - padding;
        boolean flip = rng.nextBoolean();
        byte[] src = image.data();
        int[] cols = new int[w];
        for (int x = 0; x < w; x++) {
            int sx = (flip ? w - 1 - x : x) + dx;
            cols[x] = mode == Padding.REFLECT ? reflect(sx, w) : (sx >= 0 && sx < w ? sx : -1);
        }
        for (int c = 0; c < shape.channels(); c++) {
            int base = c * 256;
            float zero = table[base];
            int plane = c * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                int out = offset + plane + y * w;
                if (mode == Padding.REFLECT) {
                    sy = reflect(sy, h);
                } else if (sy < 0 || sy >= h) {
                    Arrays.fill(dst, out, out + w, zero);
                    continue;
                }
                int row = plane + sy * w;
                for (int x = 0; x < w; x++) {
                    int sx = cols[x];
                    dst[out + x] = sx < 0 ? zero : table[base + (src[row + sx] & 0xFF)];
                }
            }
        }
    }

    private static int reflect(int i, int n) {
        if (i < 0) {
            return -i;
        }
        if (i >= n) {
            return 2 * (n - 1) - i;
        }
        return i;
    }
}
