package dev.chase.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.ManagedTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain Java convolution is right, the check flags an engine result that departs from it, and the test build's kernels pass. */
class ConvKernelCheckTest extends ManagedTest {
    @Test
    void referenceConvolutionMatchesAHandComputedOne() {
        // 2 images of one channel, all ones, except the first image's centre 2; a 3x3 kernel of ones except its centre 3
        float[] x = new float[2 * 64];
        java.util.Arrays.fill(x, 1f);
        x[4 * 8 + 4] = 2f;
        float[] w = {1, 1, 1, 1, 3, 1, 1, 1, 1};
        float[] dy = new float[2 * 64];
        dy[4 * 8 + 4] = 1f; // the gradient of the first image's centre output only
        ConvKernelCheck.Reference r = ConvKernelCheck.Reference.of(x, w, dy, new ConvKernelCheck.Case(2, 1, 1, 8, 3, 1), 1, 8);
        assertThat(r.y()[4 * 8 + 4]).isEqualTo(8 * 1 + 3 * 2);
        assertThat(r.y()[0]).as("a corner sees 4 inputs, zero padding elsewhere").isEqualTo(3 + 1 + 1 + 1);
        assertThat(r.y()[64 + 4 * 8 + 4]).isEqualTo(11);
        assertThat(r.dw()).containsExactly(1, 1, 1, 1, 2, 1, 1, 1, 1);
        assertThat(r.dx()[4 * 8 + 4]).isEqualTo(3);
        assertThat(r.dx()[3 * 8 + 3]).isEqualTo(1);
        assertThat(r.dx()[2 * 8 + 2]).isZero();
    }

    @Test
    void aResultOffByMoreThanTheToleranceIsWrongAndSoIsNaN() {
        double[] expected = {10, -5, 0};
        List<String> problems = new ArrayList<>();
        ConvKernelCheck.compare("output", new float[] {10.005f, -5, 0}, expected, problems);
        assertThat(problems).isEmpty();
        ConvKernelCheck.compare("output", new float[] {10, -5, 0.02f}, expected, problems);
        assertThat(problems).singleElement().asString().startsWith("output off by 0.02");
        ConvKernelCheck.compare("input gradient", new float[] {Float.NaN, -5, 0}, expected, problems);
        assertThat(problems).hasSize(2);
    }

    @Test
    void theTestBuildsKernelsComputeEveryConvolutionOfTheGridCorrectly() {
        ConvKernelCheck.Result r = ConvKernelCheck.run(manager);
        assertThat(r.checked()).isEqualTo(ConvKernelCheck.grid().size()).isEqualTo(126);
        assertThat(r.wrong()).isEmpty();
        assertThat(ConvKernelCheck.timeStep(manager, 2).count()).isEqualTo(2);
    }
}
