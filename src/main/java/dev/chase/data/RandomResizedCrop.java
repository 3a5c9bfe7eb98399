package dev.chase.data;

import java.util.SplittableRandom;

/**
 * The ImageNet training augmentation: pick a random region covering a random fraction of the
 * image area ({@code scale}) with a random aspect ratio ({@code ratio}, sampled log-uniformly),
 * resize it to {@code size x size} (bilinear, antialiased when shrinking), mirror horizontally
 * with probability 1/2, and normalise. After ten failed attempts to fit a region it falls back to
 * the largest centred region with the ratio clamped into range, like torchvision.
 */
public final class RandomResizedCrop implements Transform {
    private final int size;
    private final int channels;
    private final double minScale;
    private final double maxScale;
    private final double logMinRatio;
    private final double logMaxRatio;
    private final Normalization normalization;
    private final float[][] affine;

    /** Scale (0.08, 1), ratio (3/4, 4/3): the standard recipe. */
    public RandomResizedCrop(int size, int channels, Normalization normalization) {
        this(size, channels, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, normalization);
    }

    public RandomResizedCrop(int size, int channels, double minScale, double maxScale, double minRatio, double maxRatio, Normalization normalization) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
            throw new IllegalArgumentException("scale range must satisfy 0 < min <= max <= 1, got (" + minScale + ", " + maxScale + ")");
        }
        if (!(minRatio > 0 && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("ratio range must satisfy 0 < min <= max, got (" + minRatio + ", " + maxRatio + ")");
        }
        this.size = size;
        this.channels = channels;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.logMinRatio = Math.log(minRatio);
        this.logMaxRatio = Math.log(maxRatio);
        this.normalization = normalization.forChannels(channels);
        this.affine = normalization.affine(channels);
    }

    @Override
    public ImageShape outputShape() {
        return new ImageShape(channels, size, size);
    }

    public Normalization normalization() {
        return normalization;
    }

    /** The crop region {top, left, height, width} drawn from {@code rng} for an image of h x w. */
    int[] region(int h, int w, SplittableRandom rng) {
        double area = (double) h * w;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + (maxScale - minScale) * rng.nextDouble());
            double ratio = Math.exp(logMinRatio + (logMaxRatio - logMinRatio) * rng.nextDouble());
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
                int top = rng.nextInt(h - ch + 1);
                int left = rng.nextInt(w - cw + 1);
                return new int[] {top, left, ch, cw};
            }
        }
        double ratio = (double) w / h;
        int cw;
        int ch;
        if (ratio < Math.exp(logMinRatio)) {
            cw = w;
            ch = Math.max(1, Math.min(h, (int) Math.round(w / Math.exp(logMinRatio))));
        } else if (ratio > Math.exp(logMaxRatio)) {
            ch = h;
            cw = Math.max(1, Math.min(w, (int) Math.round(h * Math.exp(logMaxRatio))));
        } else {
            cw = w;
            ch = h;
        }
        return new int[] {(h - ch) / 2, (w - cw) / 2, ch, cw};
    }

    @Override
    public void apply(RawImage image, SplittableRandom rng, float[] dst, int offset) {
        Normalize.requireChannels(image, channels, "RandomResizedCrop");
        int[] r = region(image.shape().height(), image.shape().width(), rng);
        boolean flip = rng.nextBoolean();
        Resampler.Axis ys = Resampler.axis(image.shape().height(), r[0], (double) r[2] / size, size);
        Resampler.Axis xs = Resampler.axis(image.shape().width(), r[1], (double) r[3] / size, size);
        Resampler.resample(image, ys, xs, flip, affine[0], affine[1], dst, offset);
    }
}
