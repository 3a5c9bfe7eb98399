package dev.chase;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Instruction set names are oneDNN's, in any case; the processor's flags say which base sets it has. */
class CpuIsaTest {
    @Test
    void namesAreReadInAnyCaseAndUnknownOnesAreNot() {
        assertThat(CpuIsa.parse(" avx512_core ")).hasValue("AVX512_CORE");
        assertThat(CpuIsa.parse("sse41")).hasValue("SSE41");
        assertThat(CpuIsa.parse("SSE4.1")).isEmpty();
        assertThat(CpuIsa.parse(null)).isEmpty();
    }

    @Test
    void theBaseSetsFollowTheFlags() {
        assertThat(CpuIsa.basicSets(" flags\t\t: fpu sse4_1 sse4_2 avx avx2 fma ")).containsExactly("SSE41", "AVX", "AVX2");
        assertThat(CpuIsa.basicSets(" flags : sse4_1 avx avx2 avx512f avx512dq avx512bw avx512vl "))
                .containsExactly("SSE41", "AVX", "AVX2", "AVX512_CORE");
        assertThat(CpuIsa.basicSets(" flags : sse4_1 avx avx2 avx512f ")).as("AVX512_CORE needs BW and VL too")
                .containsExactly("SSE41", "AVX", "AVX2");
        assertThat(CpuIsa.basicSets(" flags : sse4_1 avx2x ")).containsExactly("SSE41");
        assertThat(CpuIsa.basicSets("")).as("unknown flags: all four, oneDNN caps them").hasSize(4);
        assertThat(CpuIsa.lackedSets(" flags : sse4_1 avx avx2 ")).containsExactly("AVX512_CORE");
        assertThat(CpuIsa.lackedSets("")).isEmpty();
        assertThat(CpuIsa.x86("amd64")).isTrue();
        assertThat(CpuIsa.x86("aarch64")).isFalse();
    }
}
