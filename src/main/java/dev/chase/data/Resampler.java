package dev.chase.data;

/**
 * Separable resampling of uint8 CHW images with a triangle (bilinear) filter. Upscaling is plain
 * bilinear interpolation with pixel centres at half-integers; downscaling widens the filter by the
 * scale factor (as Pillow does), so shrinking a large photo averages its pixels instead of
 * aliasing. Output is float in the [0, 255] pixel scale, written through a per-channel affine map
 * so a transform can normalise in the same pass.
 */
final class Resampler {

    /** Weights of one axis: output k reads {@code count[k]} source pixels from {@code first[k]}. */
    record Axis(int[] first, int[] count, float[] weights, int stride) {}

    private Resampler() {}

    /**
     * Filter weights for {@code outLen} outputs whose centres sit at {@code start + (k + 0.5) *
     * scale} in source coordinates (pixel i covers [i, i + 1)); samples outside {@code [0,
     * srcLen)} are dropped and the rest renormalised, which clamps at the edges.
     */
    static Axis axis(int srcLen, double start, double scale, int outLen) {
        double support = Math.max(1.0, scale);
        int stride = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outLen];
        int[] count = new int[outLen];
        float[] weights = new float[outLen * stride];
        for (int k = 0; k < outLen; k++) {
            double centre = start + (k + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(centre - support));
            int hi = Math.min(srcLen, (int) Math.ceil(centre + support));
            double total = 0;
            int n = 0;
            int firstUsed = -1;
            double[] tmp = new double[Math.max(0, hi - lo)];
            for (int i = lo; i < hi; i++) {
                double w = 1.0 - Math.abs((i + 0.5 - centre) / support);
                if (w > 0) {
                    if (firstUsed < 0) {
                        firstUsed = i;
                    }
                    tmp[i - firstUsed] = w;
                    n = i - firstUsed + 1;
                    total += w;
                }
            }
            if (firstUsed < 0) {
                // the centre lies outside the image: use the nearest edge pixel
                firstUsed = Math.min(srcLen - 1, Math.max(0, (int) Math.floor(centre)));
                tmp = new double[] {1.0};
                n = 1;
                total = 1.0;
            }
            if (n > stride) {
                throw new IllegalStateException("filter wider than its stride");
            }
            first[k] = firstUsed;
            count[k] = n;
            for (int j = 0; j < n; j++) {
                weights[k * stride + j] = (float) (tmp[j] / total);
            }
        }
        return new Axis(first, count, weights, stride);
    }

    /**
     * Resamples {@code image} with the given row ({@code ys}) and column ({@code xs}) axes and
     * writes {@code value * scale[c] + shift[c]} for each output pixel into {@code dst} (CHW of
     * {@code channels x ys.len x xs.len}); {@code flip} mirrors the output horizontally.
     */
    static void resample(RawImage image, Axis ys, Axis xs, boolean flip, float[] scale, float[] shift, float[] dst, int offset) {
        int channels = image.shape().channels();
        int srcH = image.shape().height();
        int srcW = image.shape().width();
        int outH = ys.first().length;
        int outW = xs.first().length;
        byte[] src = image.data();
        // horizontal pass only over the source rows the vertical pass will read
        int rowLo = ys.first()[0];
        int rowHi = rowLo;
        for (int k = 0; k < outH; k++) {
            rowLo = Math.min(rowLo, ys.first()[k]);
            rowHi = Math.max(rowHi, ys.first()[k] + ys.count()[k]);
        }
        int rowsUsed = rowHi - rowLo;
        float[] tmp = new float[rowsUsed * outW];
        for (int c = 0; c < channels; c++) {
            int plane = c * srcH * srcW;
            for (int r = 0; r < rowsUsed; r++) {
                int rowBase = plane + (r + rowLo) * srcW;
                for (int k = 0; k < outW; k++) {
                    int f = xs.first()[k];
                    int n = xs.count()[k];
                    int wb = k * xs.stride();
                    float acc = 0;
                    for (int j = 0; j < n; j++) {
                        acc += xs.weights()[wb + j] * (src[rowBase + f + j] & 0xFF);
                    }
                    tmp[r * outW + k] = acc;
                }
            }
            float sc = scale[c];
            float sh = shift[c];
            int outPlane = offset + c * outH * outW;
            for (int k = 0; k < outH; k++) {
                int f = ys.first()[k] - rowLo;
                int n = ys.count()[k];
                int wb = k * ys.stride();
                int outRow = outPlane + k * outW;
                for (int x = 0; x < outW; x++) {
                    float acc = 0;
                    for (int j = 0; j < n; j++) {
                        acc += ys.weights()[wb + j] * tmp[(f + j) * outW + x];
                    }
                    dst[outRow + (flip ? outW - 1 - x : x)] = acc * sc + sh;
                }
            }
        }
    }
}
