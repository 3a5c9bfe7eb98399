package dev.chase.train;

import dev.chase.CpuIsa;
import java.util.Optional;

/**
 * A hint for runs that diverge at once. The oneDNN kernels bundled with PyTorch 2.7.1 compute wrong
 * values on some processors (seen on AMD EPYC Zen 5: the AVX-512 kernels give NaN gradients within
 * 3 steps at a finite loss, the AVX2 kernels a NaN loss after a channel event). Limiting oneDNN to
 * SSE4.1 with the environment variable {@code DNNL_MAX_CPU_ISA=SSE41}, read when the engine loads,
 * avoids it; the {@code chase} launcher and the test build set it.
 */
final class CpuIsaHint {
    private static final String VARIABLE = CpuIsa.VARIABLE;

    private CpuIsaHint() {}

    /**
     * The hint, when the processor (Linux {@code /proc/cpuinfo}) has AVX2 or later and the variable is not {@code SSE41}:
     * unset, set to faster kernels, or to a name oneDNN does not know, which it ignores.
     */
    static Optional<String> forThisMachine() {
        return hint(System.getenv(VARIABLE), CpuIsa.cpuFlags());
    }

    static Optional<String> hint(String isa, String cpuFlags) {
        boolean avx2 = !cpuFlags.isBlank() && CpuIsa.basicSets(cpuFlags).contains("AVX2");
        if ("SSE41".equalsIgnoreCase(isa) || !avx2) { // oneDNN reads the name in any case
            return Optional.empty();
        }
        String now = isa == null ? "" : VARIABLE + " is '" + isa + "' here (oneDNN ignores a name it does not know); ";
        return Optional.of("on some processors PyTorch 2.7.1's oneDNN kernels compute NaN values (docs/measuring-speed.md): " + now
                + "set " + VARIABLE + "=SSE41 in the environment (./chase does unless it is set) and start again, or try a lower --lr;"
                + " chase kernels checks which kernels compute correctly on this processor");
    }
}
