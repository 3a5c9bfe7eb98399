package dev.chase.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation in the [0, 1] pixel scale, used by every
 * {@link Transform} to map a pixel {@code p} in [0, 255] to {@code (p / 255 - mean) / std}.
 * The constants are the values the reference recipes use, so runs are comparable with them.
 */
public record Normalization(double[] mean, double[] std) {

    /**
     * Fashion-MNIST, full 60,000-image training set (28x28, no padding). Use it for padded 32x32
     * images too: padding happens on the uint8 image, so the border becomes {@code -mean/std} as
     * with torchvision's Pad then Normalize (over padded images the statistics would be 0.2190 /
     * 0.3318).
     */
    public static final Normalization FASHION_MNIST = of(0.2860, 0.3530);

    /**
     * The embedded Fashion-MNIST subset ({@link EmbeddedData}: 10,000 training images, 28x28, no
     * padding); computed from the shipped files and checked by a test.
     */
    public static final Normalization FASHION_MNIST_SUBSET = of(0.2867, 0.3540);

    /** MNIST, full training set. */
    public static final Normalization MNIST = of(0.1307, 0.3081);

    /** CIFAR-10 as the reference code normalises it (algorithm §8.1). */
    public static final Normalization CIFAR10 = of(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2023, 0.1994, 0.2010});

    /** CIFAR-100 as the reference code normalises it (algorithm §8.1). */
    public static final Normalization CIFAR100 = of(new double[] {0.5071, 0.4865, 0.4409}, new double[] {0.2673, 0.2564, 0.2762});

    /** ImageNet (algorithm §8.2). */
    public static final Normalization IMAGENET = of(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});

    /** No normalisation beyond scaling to [0, 1] (mean 0, std 1), any channel count. */
    public static final Normalization UNIT = of(0.0, 1.0);

    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need the same non-zero length, got " + mean.length + " and " + std.length);
        }
        mean = mean.clone();
        std = std.clone();
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0) || !Double.isFinite(std[c]) || !Double.isFinite(mean[c])) {
                throw new IllegalArgumentException("std must be positive and finite and mean finite, channel " + c + ": mean " + mean[c] + ", std " + std[c]);
            }
        }
    }

    /** Single-channel statistics; they apply to every channel of an image. */
    public static Normalization of(double mean, double std) {
        return new Normalization(new double[] {mean}, new double[] {std});
    }

    /** Per-channel statistics. */
    public static Normalization of(double[] mean, double[] std) {
        return new Normalization(mean, std);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    /** Number of channels the statistics were given for (1 means "the same for all"). */
    public int channels() {
        return mean.length;
    }

    /**
     * For {@code channels} channels: single-channel statistics are repeated (a grey image repeated
     * to RGB keeps its statistics); otherwise the channel counts must agree.
     */
    public Normalization forChannels(int channels) {
        if (mean.length == channels) {
            return this;
        }
        if (mean.length == 1) {
            double[] m = new double[channels];
            double[] s = new double[channels];
            Arrays.fill(m, mean[0]);
            Arrays.fill(s, std[0]);
            return new Normalization(m, s);
        }
        throw new IllegalArgumentException("normalisation has " + mean.length + " channels, images have " + channels);
    }

    /**
     * Lookup table for {@code channels} channels: {@code table[c * 256 + p]} is the normalised value
     * of pixel {@code p} in channel {@code c}. Transforms of uint8 data use it to avoid a division
     * per pixel.
     */
    float[] lookupTable(int channels) {
        Normalization n = forChannels(channels);
        float[] table = new float[channels * 256];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < 256; p++) {
                table[c * 256 + p] = (float) ((p / 255.0 - n.mean[c]) / n.std[c]);
            }
        }
        return table;
    }

    /** Scale {@code 1 / (255 std)} and offset {@code -mean / std} per channel, for float input. */
    float[][] affine(int channels) {
        Normalization n = forChannels(channels);
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (1.0 / (255.0 * n.std[c]));
            shift[c] = (float) (-n.mean[c] / n.std[c]);
        }
        return new float[][] {scale, shift};
    }

    /**
     * Per-channel mean and (population) standard deviation of a whole dataset in the [0, 1] scale.
     * All images must have the same channel count.
     */
    public static Normalization compute(ImageDataset dataset) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("cannot compute statistics of an empty dataset");
        }
        int channels = dataset.image(0).shape().channels();
        long[] count = new long[channels];
        long[] sum = new long[channels];
        long[] sumSq = new long[channels];
        for (int i = 0; i < dataset.size(); i++) {
            RawImage img = dataset.image(i);
            if (img.shape().channels() != channels) {
                throw new IllegalArgumentException("image " + i + " has " + img.shape().channels() + " channels, image 0 has " + channels);
            }
            int plane = img.shape().height() * img.shape().width();
            byte[] d = img.data();
            for (int c = 0; c < channels; c++) {
                long s = 0;
                long s2 = 0;
                for (int k = c * plane, end = k + plane; k < end; k++) {
                    int p = d[k] & 0xFF;
                    s += p;
                    s2 += p * p;
                }
                sum[c] += s;
                sumSq[c] += s2;
                count[c] += plane;
            }
        }
        double[] mean = new double[channels];
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            double m = (double) sum[c] / count[c];
            double var = (double) sumSq[c] / count[c] - m * m;
            mean[c] = m / 255.0;
            std[c] = Math.sqrt(Math.max(var, 0)) / 255.0;
        }
        return new Normalization(mean, std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
