package dev.chase.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Checks the engine's convolution kernels in this process against a plain Java convolution: the
 * output and the gradients of the input and the weight, over a grid of channel counts (multiples of
 * 8 and not), kernels and strides. The kernels the engine picks depend on the processor and on
 * {@code DNNL_MAX_CPU_ISA}, read once when the engine starts, so one process checks one setting.
 * {@link #timeStep} times them on one convolution of a training step.
 */
public final class ConvKernelCheck {
    private static final int[] IN_CHANNELS = {1, 3, 8, 12, 16, 21, 24, 32, 43, 64};
    private static final int[] OUT_CHANNELS = {5, 16, 24, 64};
    private static final int[][] KERNEL_STRIDE = {{3, 1}, {3, 2}, {1, 1}};
    /** Batch, input channels, output channels, size, kernel, stride of the first layers of a CIFAR ResNet's stages, as trained. */
    private static final int[][] NETWORK_SHAPES = {{8, 3, 16, 32, 3, 1}, {8, 16, 16, 32, 3, 1}, {8, 16, 32, 32, 3, 2},
        {8, 32, 32, 16, 3, 1}, {8, 32, 64, 16, 3, 2}, {8, 64, 64, 8, 3, 1}};
    /** A tensor is wrong when an entry is further from the reference than this fraction of the reference's largest entry. */
    static final double TOLERANCE = 1e-3;

    private ConvKernelCheck() {}

    /**
     * One convolution of the grid, padding kernel/2.
     *
     * @param batch images
     * @param in input channels
     * @param out output channels
     * @param size height and width of the input images
     * @param kernel square kernel size
     * @param stride stride in both directions
     */
    public record Case(int batch, int in, int out, int size, int kernel, int stride) {
        @Override
        public String toString() {
            return in + "->" + out + " channels, " + kernel + "x" + kernel + " stride " + stride + ", " + batch + " images of "
                    + size + "x" + size;
        }
    }

    /**
     * What the check found.
     *
     * @param checked convolutions checked
     * @param wrong the convolutions with a wrong output or gradient, each with what was wrong
     */
    public record Result(int checked, List<String> wrong) {
        public Result {
            wrong = List.copyOf(wrong);
        }
    }

    /** The grid of convolutions checked. */
    public static List<Case> grid() {
        List<Case> cases = new ArrayList<>();
        for (int in : IN_CHANNELS) {
            for (int out : OUT_CHANNELS) {
                for (int[] ks : KERNEL_STRIDE) {
                    cases.add(new Case(2, in, out, 8, ks[0], ks[1]));
                }
            }
        }
        for (int[] n : NETWORK_SHAPES) {
            cases.add(new Case(n[0], n[1], n[2], n[3], n[4], n[5]));
        }
        return cases;
    }

    /** Checks every convolution of the grid with seeded random inputs. */
    public static Result run(NDManager manager) {
        List<Case> cases = grid();
        List<String> wrong = new ArrayList<>();
        Random random = new Random(7);
        for (Case c : cases) {
            String problem = check(manager, c, random);
            if (problem != null) {
                wrong.add(c + ": " + problem);
            }
        }
        return new Result(cases.size(), wrong);
    }

    /**
     * Milliseconds of the forward and backward pass of one convolution the size of a CIFAR ResNet's
     * middle stage (64 images, 32 to 32 channels, 16x16, 3x3), after warm-up.
     */
    public static Samples timeStep(NDManager manager, int repeats) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(64, 32, 16, 16));
            NDArray w = m.randomNormal(new Shape(32, 32, 3, 3));
            w.setRequiresGradient(true);
            List<Double> ms = new ArrayList<>();
            for (int r = -3; r < repeats; r++) {
                long start = System.nanoTime();
                try (NDManager step = m.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
                    step.tempAttachAll(y);
                    collector.backward(y.sum());
                    w.getGradient().toFloatArray();
                }
                if (r >= 0) {
                    ms.add((System.nanoTime() - start) / 1e6);
                }
            }
            return Samples.of(ms);
        }
    }

    /** Null when the engine's output and gradients match the reference, else which of them do not. */
    static String check(NDManager manager, Case c, Random random) {
        int pad = c.kernel() / 2;
        int outSize = (c.size() + 2 * pad - c.kernel()) / c.stride() + 1;
        float[] x = gaussian(random, c.batch() * c.in() * c.size() * c.size());
        float[] w = gaussian(random, c.out() * c.in() * c.kernel() * c.kernel());
        float[] dy = gaussian(random, c.batch() * c.out() * outSize * outSize);
        try (NDManager m = manager.newSubManager()) {
            NDArray xs = m.create(x, new Shape(c.batch(), c.in(), c.size(), c.size()));
            NDArray ws = m.create(w, new Shape(c.out(), c.in(), c.kernel(), c.kernel()));
            xs.setRequiresGradient(true);
            ws.setRequiresGradient(true);
            float[] y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = Conv2d.conv2d(xs, ws, null, new Shape(c.stride(), c.stride()), new Shape(pad, pad), new Shape(1, 1), 1)
                        .singletonOrThrow();
                y = out.toFloatArray();
                // the loss sum(y * dy) has the gradient dy at the output
                collector.backward(out.mul(m.create(dy, out.getShape())).sum());
            }
            Reference ref = Reference.of(x, w, dy, c, pad, outSize);
            List<String> problems = new ArrayList<>();
            compare("output", y, ref.y(), problems);
            compare("input gradient", xs.getGradient().toFloatArray(), ref.dx(), problems);
            compare("weight gradient", ws.getGradient().toFloatArray(), ref.dw(), problems);
            return problems.isEmpty() ? null : String.join(", ", problems);
        }
    }

    static void compare(String what, float[] actual, double[] expected, List<String> problems) {
        double largest = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        if (!(worst <= TOLERANCE * largest + 1e-6)) { // a NaN is wrong too
            problems.add(String.format("%s off by %.3g (largest entry %.3g)", what, worst, largest));
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** The convolution, its input gradient and its weight gradient, summed in double precision. */
    record Reference(double[] y, double[] dx, double[] dw) {
        static Reference of(float[] x, float[] w, float[] dy, Case c, int pad, int outSize) {
            int in = c.in();
            int out = c.out();
            int k = c.kernel();
            int size = c.size();
            double[] y = new double[dy.length];
            double[] dx = new double[x.length];
            double[] dw = new double[w.length];
            for (int b = 0; b < c.batch(); b++) {
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < outSize; i++) {
                        for (int j = 0; j < outSize; j++) {
                            int yi = ((b * out + o) * outSize + i) * outSize + j;
                            for (int ch = 0; ch < in; ch++) {
                                for (int di = 0; di < k; di++) {
                                    int row = i * c.stride() + di - pad;
                                    if (row < 0 || row >= size) {
                                        continue;
                                    }
                                    for (int dj = 0; dj < k; dj++) {
                                        int col = j * c.stride() + dj - pad;
                                        if (col < 0 || col >= size) {
                                            continue;
                                        }
                                        int xi = ((b * in + ch) * size + row) * size + col;
                                        int wi = ((o * in + ch) * k + di) * k + dj;
                                        y[yi] += (double) x[xi] * w[wi];
                                        dx[xi] += (double) dy[yi] * w[wi];
                                        dw[wi] += (double) dy[yi] * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return new Reference(y, dx, dw);
        }
    }
}
