package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code chase kernels} checks each set in a fresh process and names the fastest correct one; an unknown set is refused. */
class KernelsCommandTest {
    @Test
    void checksTheTestBuildsSetInAFreshProcessAndNamesIt() {
        CliRunner r = CliRunner.run("kernels", "--isa", "sse41", "--repeats", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("SSE41 +0 / " + dev.chase.bench.ConvKernelCheck.grid().size() + " ")
                .contains("Fastest correct: SSE41"); // the test build sets DNNL_MAX_CPU_ISA=SSE41, which computes correctly
    }

    @Test
    void aSetOneDnnWouldIgnoreIsRefusedBeforeAnythingRuns() {
        CliRunner r = CliRunner.run("kernels", "--isa", "SSE41,SSE4.1");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("unknown instruction set 'SSE4.1' (oneDNN would ignore it): use one of SSE41, AVX, AVX2")
                .doesNotContain("Exception");
        assertThat(r.out()).doesNotContain("wrong / checked");
    }
}
