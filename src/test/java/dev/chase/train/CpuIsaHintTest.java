package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuIsaHintTest {
    private static final String AVX2 = "flags\t\t: fpu sse avx avx2 avx512f ";

    @Test
    void hintsWhenTheProcessorHasAvx2AndTheVariableDoesNotLimitOneDnnToSse41() {
        assertThat(CpuIsaHint.hint(null, AVX2)).get().asString().contains("DNNL_MAX_CPU_ISA=SSE41 in the environment")
                .doesNotContain(" is '");
        assertThat(CpuIsaHint.hint("AVX2", AVX2)).get().asString().contains("DNNL_MAX_CPU_ISA is 'AVX2' here")
                .contains("DNNL_MAX_CPU_ISA=SSE41 in the environment");
        assertThat(CpuIsaHint.hint("SSE4.1", AVX2)).get().asString().contains("DNNL_MAX_CPU_ISA is 'SSE4.1' here (oneDNN ignores a name");
        assertThat(CpuIsaHint.hint("SSE41", AVX2)).isEmpty();
        assertThat(CpuIsaHint.hint("sse41", AVX2)).isEmpty();
        assertThat(CpuIsaHint.hint(null, "flags\t\t: fpu sse avx ")).isEmpty();
        assertThat(CpuIsaHint.hint(null, "flags\t\t: fpu avx2x ")).isEmpty();
        assertThat(CpuIsaHint.hint(null, "")).isEmpty();
    }
}
