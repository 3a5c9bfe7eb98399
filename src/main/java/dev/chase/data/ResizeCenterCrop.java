package dev.chase.data;

import java.util.SplittableRandom;

/**
 * The ImageNet evaluation transform: resize so the shorter side is {@code resize} (keeping the
 * aspect ratio; bilinear, antialiased when shrinking), take the centred {@code crop x crop} region,
 * and normalise. Only the cropped pixels are computed. Deterministic: the generator is unused.
 */
public final class ResizeCenterCrop implements Transform {
    private final int resize;
    private final int crop;
    private final int channels;
    private final Normalization normalization;
    private final float[][] affine;

    public ResizeCenterCrop(int resize, int crop, int channels, Normalization normalization) {
        if (crop <= 0 || resize < crop) {
            throw new IllegalArgumentException("need 0 < crop <= resize, got resize " + resize + ", crop " + crop);
        }
        this.resize = resize;
        this.crop = crop;
        this.channels = channels;
        this.normalization = normalization.forChannels(channels);
        this.affine = normalization.affine(channels);
    }

    /** Resize 256, crop 224, RGB, ImageNet statistics. */
    public static ResizeCenterCrop imagenet() {
        return new ResizeCenterCrop(256, 224, 3, Normalization.IMAGENET);
    }

    @Override
    public ImageShape outputShape() {
        return new ImageShape(channels, crop, crop);
    }

    public Normalization normalization() {
        return normalization;
    }

    @Override
    public void apply(RawImage image, SplittableRandom rng, float[] dst, int offset) {
        Normalize.requireChannels(image, channels, "ResizeCenterCrop");
        int h = image.shape().height();
        int w = image.shape().width();
        int newH;
        int newW;
        if (w <= h) {
            newW = resize;
            newH = (int) ((long) resize * h / w);
        } else {
            newH = resize;
            newW = (int) ((long) resize * w / h);
        }
        int top = (int) Math.round((newH - crop) / 2.0);
        int left = (int) Math.round((newW - crop) / 2.0);
        double sy = (double) h / newH;
        double sx = (double) w / newW;
        Resampler.Axis ys = Resampler.axis(h, top * sy, sy, crop);
        Resampler.Axis xs = Resampler.axis(w, left * sx, sx, crop);
        Resampler.resample(image, ys, xs, false, affine[0], affine[1], dst, offset);
    }
}
