package dev.chase.data;

import java.util.SplittableRandom;

/**
 * A seeded, learnable image classification set that needs no files, for tests and benchmarks.
 * Each class has a fixed random low-frequency template (a coarse random grid per channel, smoothly
 * upsampled); example {@code i} is its class template plus independent Gaussian pixel noise,
 * clipped to [0, 255]. Labels cycle through the classes ({@code i % numClasses}), so the set is
 * balanced. Images are generated on demand from (seed, index): nothing is stored, any index can be
 * read from any thread, and the same seed always gives the same set.
 *
 * <p>With the default noise (standard deviation 48 on a template range of about 40-215) a tiny CNN
 * separates the classes well above chance within a few hundred steps, yet single pixels are too
 * noisy to give the answer away.
 */
public final class SyntheticDataset implements ImageDataset {

    /** Default standard deviation of the pixel noise, in pixel units. */
    public static final double DEFAULT_NOISE = 48.0;
    private static final int GRID = 4;

    private final int size;
    private final int numClasses;
    private final ImageShape shape;
    private final long seed;
    private final double noise;
    private final float[][] templates;

    public SyntheticDataset(int size, int numClasses, ImageShape shape, long seed) {
        this(size, numClasses, shape, seed, DEFAULT_NOISE);
    }

    public SyntheticDataset(int size, int numClasses, ImageShape shape, long seed, double noise) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (numClasses < 2 || numClasses > 100_000) {
            throw new IllegalArgumentException("numClasses must be in [2, 100000], got " + numClasses);
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
        }
        this.size = size;
        this.numClasses = numClasses;
        this.shape = shape;
        this.seed = seed;
        this.noise = noise;
        this.templates = new float[numClasses][];
        for (int k = 0; k < numClasses; k++) {
            templates[k] = template(new SplittableRandom(mix(seed, -1 - k)));
        }
    }

    /** A coarse GRID x GRID random grid per channel, bilinearly upsampled to the image size. */
    private float[] template(SplittableRandom rng) {
        int h = shape.height();
        int w = shape.width();
        float[] t = new float[shape.size()];
        for (int c = 0; c < shape.channels(); c++) {
            double[] grid = new double[GRID * GRID];
            for (int g = 0; g < grid.length; g++) {
                grid[g] = 40 + 175 * rng.nextDouble();
            }
            for (int y = 0; y < h; y++) {
                double gy = h == 1 ? 0 : (double) y * (GRID - 1) / (h - 1);
                int y0 = Math.min((int) gy, GRID - 2);
                double fy = gy - y0;
                for (int x = 0; x < w; x++) {
                    double gx = w == 1 ? 0 : (double) x * (GRID - 1) / (w - 1);
                    int x0 = Math.min((int) gx, GRID - 2);
                    double fx = gx - x0;
                    double top = grid[y0 * GRID + x0] * (1 - fx) + grid[y0 * GRID + x0 + 1] * fx;
                    double bottom = grid[(y0 + 1) * GRID + x0] * (1 - fx) + grid[(y0 + 1) * GRID + x0 + 1] * fx;
                    t[(c * h + y) * w + x] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return t;
    }

    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    public ImageShape shape() {
        return shape;
    }

    public long seed() {
        return seed;
    }

    @Override
    public int label(int index) {
        checkIndex(index);
        return index % numClasses;
    }

    @Override
    public RawImage image(int index) {
        float[] t = templates[label(index)];
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        byte[] data = new byte[t.length];
        for (int k = 0; k < t.length; k++) {
            double v = t[k] + noise * gaussian(rng);
            data[k] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
        }
        return new RawImage(shape, data);
    }

    /** Standard normal via Box-Muller: spelled out so the data cannot change with the JDK. */
    private static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
    }
}
