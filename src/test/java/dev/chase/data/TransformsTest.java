package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chase.ChaseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformsTest {

    /** An image whose pixel value encodes its position: distinct values make crops identifiable. */
    static RawImage ramp(int c, int h, int w) {
        byte[] d = new byte[c * h * w];
        for (int k = 0; k < d.length; k++) {
            d[k] = (byte) (1 + k % 255);
        }
        return new RawImage(new ImageShape(c, h, w), d);
    }

    static float[] run(Transform t, RawImage img, long seed) {
        float[] out = new float[t.outputShape().size()];
        t.apply(img, new SplittableRandom(seed), out, 0);
        return out;
    }

    @Test
    void normalizeComputesPixelOver255MinusMeanOverStdPerChannel() {
        byte[] d = {0, (byte) 255, (byte) 128, 10, 20, 30};
        RawImage img = new RawImage(new ImageShape(2, 1, 3), d);
        Normalization n = Normalization.of(new double[] {0.5, 0.25}, new double[] {0.5, 0.1});
        float[] out = new float[8];
        new Normalize(img.shape(), n).apply(img, new SplittableRandom(1), out, 2);
        assertThat(out[0]).isZero();
        assertThat(out[1]).isZero();
        assertThat(out[2]).isCloseTo((float) ((0 / 255.0 - 0.5) / 0.5), within(1e-6f));
        assertThat(out[3]).isCloseTo(1.0f, within(1e-6f));
        assertThat(out[4]).isCloseTo((float) ((128 / 255.0 - 0.5) / 0.5), within(1e-6f));
        assertThat(out[5]).isCloseTo((float) ((10 / 255.0 - 0.25) / 0.1), within(1e-5f));
        assertThat(out[7]).isCloseTo((float) ((30 / 255.0 - 0.25) / 0.1), within(1e-5f));
    }

    @Test
    void singleChannelStatisticsApplyToEveryChannel() {
        RawImage img = new RawImage(new ImageShape(3, 1, 1), new byte[] {51, 51, 51});
        float[] out = run(new Normalize(img.shape(), Normalization.FASHION_MNIST), img, 0);
        float expected = (float) ((0.2 - 0.2860) / 0.3530);
        assertThat(out).containsExactly(new float[] {expected, expected, expected}, within(1e-6f));
    }

    @Test
    void normalizeRejectsAnotherShapeWithAUserMessage() {
        Normalize t = new Normalize(new ImageShape(3, 32, 32), Normalization.CIFAR10);
        assertThatThrownBy(() -> run(t, ramp(3, 28, 28), 0))
                .isInstanceOf(ChaseException.class).hasMessageContaining("3x32x32").hasMessageContaining("3x28x28");
    }

    @Test
    void randomCropFlipWithoutShiftOrFlipIsTheIdentity() {
        RawImage img = ramp(3, 8, 8);
        RandomCropFlip t = new RandomCropFlip(img.shape(), 0, RandomCropFlip.Padding.ZERO, Normalization.UNIT);
        // padding 0 leaves only the flip random: find a seed without and one with a flip
        float[] plain = null;
        float[] flipped = null;
        for (long s = 0; s < 20 && (plain == null || flipped == null); s++) {
            float[] out = run(t, img, s);
            if (out[0] == img.at(0, 0, 0) / 255f) {
                plain = out;
            } else {
                flipped = out;
            }
        }
        assertThat(plain).isNotNull();
        assertThat(flipped).isNotNull();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    assertThat(plain[(c * 8 + y) * 8 + x]).isEqualTo(img.at(c, y, x) / 255f);
                    assertThat(flipped[(c * 8 + y) * 8 + x]).isEqualTo(img.at(c, y, 7 - x) / 255f);
                }
            }
        }
    }

    @Test
    void randomCropFlipIsDeterministicPerSeedAndVariesAcrossSeeds() {
        RawImage img = ramp(3, 32, 32);
        RandomCropFlip t = RandomCropFlip.cifar(img.shape(), Normalization.CIFAR10);
        assertThat(run(t, img, 42)).containsExactly(run(t, img, 42));
        Set<String> distinct = new HashSet<>();
        for (long s = 0; s < 50; s++) {
            distinct.add(Arrays.toString(run(t, img, s)));
        }
        // 81 offsets x 2 flips: 50 seeds give many different crops
        assertThat(distinct.size()).isGreaterThan(30);
    }

    @Test
    void zeroPaddedCropIsAShiftedCopyWithNormalisedZeroBorder() {
        RawImage img = ramp(1, 10, 10);
        Normalization n = Normalization.of(0.5, 0.25);
        RandomCropFlip t = new RandomCropFlip(img.shape(), 4, RandomCropFlip.Padding.ZERO, n);
        float zero = (float) ((0 - 0.5) / 0.25);
        boolean sawBorder = false;
        for (long s = 0; s < 40; s++) {
            float[] out = run(t, img, s);
            // recover the shift and flip from the generator the transform consumed
            SplittableRandom r = new SplittableRandom(s);
            int dy = r.nextInt(9) - 4;
            int dx = r.nextInt(9) - 4;
            boolean flip = r.nextBoolean();
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    int sy = y + dy;
                    int sx = (flip ? 9 - x : x) + dx;
                    float expected = sy < 0 || sy >= 10 || sx < 0 || sx >= 10 ? zero : (float) ((img.at(0, sy, sx) / 255.0 - 0.5) / 0.25);
                    sawBorder |= expected == zero;
                    assertThat(out[y * 10 + x]).as("seed %d y %d x %d", s, y, x).isCloseTo(expected, within(1e-5f));
                }
            }
        }
        assertThat(sawBorder).isTrue();
    }

    @Test
    void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        RawImage img = ramp(1, 6, 6);
        RandomCropFlip t = new RandomCropFlip(img.shape(), 4, RandomCropFlip.Padding.REFLECT, Normalization.UNIT);
        for (long s = 0; s < 30; s++) {
            float[] out = run(t, img, s);
            SplittableRandom r = new SplittableRandom(s);
            int dy = r.nextInt(9) - 4;
            int dx = r.nextInt(9) - 4;
            boolean flip = r.nextBoolean();
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    int sy = reflect(y + dy, 6);
                    int sx = reflect((flip ? 5 - x : x) + dx, 6);
                    assertThat(out[y * 6 + x]).isEqualTo(img.at(0, sy, sx) / 255f);
                }
            }
        }
        assertThatThrownBy(() -> new RandomCropFlip(new ImageShape(1, 4, 4), 4, RandomCropFlip.Padding.REFLECT, Normalization.UNIT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }

    @Test
    void randomResizedCropHasTheRequestedShapeAndStaysInTheNormalisedRange() {
        RawImage img = ramp(3, 90, 130);
        RandomResizedCrop t = new RandomResizedCrop(24, 3, Normalization.IMAGENET);
        assertThat(t.outputShape()).isEqualTo(new ImageShape(3, 24, 24));
        double[] mean = Normalization.IMAGENET.mean();
        double[] std = Normalization.IMAGENET.std();
        Set<String> distinct = new HashSet<>();
        for (long s = 0; s < 30; s++) {
            float[] out = new float[t.outputShape().size() + 4];
            Arrays.fill(out, Float.NaN);
            t.apply(img, new SplittableRandom(s), out, 2);
            assertThat(out[0]).isNaN();
            assertThat(out[out.length - 1]).isNaN();
            for (int c = 0; c < 3; c++) {
                float lo = (float) ((0 - mean[c]) / std[c]) - 1e-4f;
                float hi = (float) ((1 - mean[c]) / std[c]) + 1e-4f;
                for (int k = 0; k < 24 * 24; k++) {
                    assertThat(out[2 + c * 576 + k]).isBetween(lo, hi);
                }
            }
            distinct.add(Arrays.toString(out));
            assertThat(run(t, img, s)).containsExactly(Arrays.copyOfRange(out, 2, out.length - 2));
        }
        assertThat(distinct).hasSize(30);
    }

    @Test
    void randomResizedCropRegionsRespectScaleAndRatio() {
        RandomResizedCrop t = new RandomResizedCrop(16, 3, Normalization.IMAGENET);
        SplittableRandom rng = new SplittableRandom(7);
        double minArea = 1;
        double maxArea = 0;
        for (int i = 0; i < 2000; i++) {
            int[] r = t.region(200, 300, rng);
            assertThat(r[0]).isBetween(0, 200 - r[2]);
            assertThat(r[1]).isBetween(0, 300 - r[3]);
            double area = (double) r[2] * r[3] / (200 * 300);
            double ratio = (double) r[3] / r[2];
            assertThat(area).isBetween(0.07, 1.0);
            assertThat(ratio).isBetween(0.70, 1.42);
            minArea = Math.min(minArea, area);
            maxArea = Math.max(maxArea, area);
        }
        assertThat(minArea).isLessThan(0.12);
        assertThat(maxArea).isGreaterThan(0.8);
    }

    @Test
    void resizeOfAConstantImageIsConstantAndUpscalingInterpolates() {
        byte[] flat = new byte[3 * 40 * 60];
        Arrays.fill(flat, (byte) 200);
        float[] out = run(new ResizeCenterCrop(20, 16, 3, Normalization.UNIT), new RawImage(new ImageShape(3, 40, 60), flat), 0);
        for (float v : out) {
            assertThat(v).isCloseTo(200 / 255f, within(1e-5f));
        }
        // 1x2 image [0, 255] to width 4 (shorter side 1 -> 2 rows, crop 2): bilinear with half-pixel centres
        RawImage two = new RawImage(new ImageShape(1, 1, 2), new byte[] {0, (byte) 255});
        float[] up = run(new ResizeCenterCrop(2, 2, 1, Normalization.UNIT), two, 0);
        // shorter side 1 -> 2 gives width 4; the centre crop keeps resized columns 1 and 2, whose
        // centres map to source x 0.75 and 1.25 (pixel centres 0.5 and 1.5): weights 3/4-1/4, 1/4-3/4
        assertThat(up[0]).isCloseTo(0.25f, within(1e-5f));
        assertThat(up[1]).isCloseTo(0.75f, within(1e-5f));
        assertThat(up[2]).isCloseTo(0.25f, within(1e-5f));
    }

    @Test
    void resizeCenterCropTakesTheCentre() {
        // left half dark, right half bright, 100 x 200: resize 50 -> 50 x 100, centre crop 50 sees both halves equally
        byte[] d = new byte[3 * 100 * 200];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 100; y++) {
                for (int x = 100; x < 200; x++) {
                    d[(c * 100 + y) * 200 + x] = (byte) 255;
                }
            }
        }
        ResizeCenterCrop t = new ResizeCenterCrop(50, 50, 3, Normalization.UNIT);
        float[] out = run(t, new RawImage(new ImageShape(3, 100, 200), d), 0);
        assertThat(out[10 * 50]).isCloseTo(0f, within(1e-5f));
        assertThat(out[10 * 50 + 49]).isCloseTo(1f, within(1e-5f));
        double sum = 0;
        for (float v : out) {
            sum += v;
        }
        assertThat(sum / out.length).isCloseTo(0.5, within(0.01));
        assertThat(ResizeCenterCrop.imagenet().outputShape()).isEqualTo(new ImageShape(3, 224, 224));
    }

    @Test
    void shrinkingAveragesInsteadOfAliasing() {
        // a one-pixel checkerboard shrunk 3x: output centres fall exactly on source pixels, so
        // point-sampled bilinear would return pure 0 or 255; the widened filter gives about 0.5
        byte[] d = new byte[48 * 48];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                d[y * 48 + x] = (byte) (((x + y) & 1) == 0 ? 0 : 255);
            }
        }
        float[] out = run(new ResizeCenterCrop(16, 16, 1, Normalization.UNIT), new RawImage(new ImageShape(1, 48, 48), d), 0);
        for (float v : out) {
            assertThat(v).isCloseTo(0.5f, within(0.06f));
        }
    }
}
