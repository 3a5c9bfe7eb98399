package dev.chase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The instruction sets oneDNN, the PyTorch engine's CPU kernel library, may use: the environment
 * variable {@link #VARIABLE} caps them, read once when the engine starts. oneDNN ignores a name it
 * does not know, so names are checked here against the ones it documents.
 */
public final class CpuIsa {
    /** The environment variable oneDNN reads. */
    public static final String VARIABLE = "DNNL_MAX_CPU_ISA";
    /** The names oneDNN documents for x86, slowest first. */
    public static final List<String> KNOWN = List.of("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE",
            "AVX512_CORE_VNNI", "AVX512_CORE_BF16", "AVX512_CORE_FP16", "AVX512_CORE_AMX", "AVX512_CORE_AMX_FP16");
    /** The base sets, slowest first: what {@link #basicSets} chooses from. */
    public static final List<String> BASIC = List.of("SSE41", "AVX", "AVX2", "AVX512_CORE");

    private CpuIsa() {}

    /** The canonical (upper-case) name, or empty when oneDNN does not know it. */
    public static Optional<String> parse(String name) {
        String upper = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        return KNOWN.contains(upper) ? Optional.of(upper) : Optional.empty();
    }

    /** The {@code flags} line of Linux's {@code /proc/cpuinfo} with a space at each end, or "" where there is none. */
    public static String cpuFlags() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> " " + l + " ").orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The base instruction sets a processor with these flags has (SSE41, AVX, AVX2, AVX512_CORE), slowest first; all four
     * when the flags are unknown (oneDNN caps a name at what the processor has).
     */
    public static List<String> basicSets(String cpuFlags) {
        if (cpuFlags.isBlank()) {
            return BASIC;
        }
        List<String> sets = new ArrayList<>();
        if (cpuFlags.contains(" sse4_1 ")) {
            sets.add("SSE41");
        }
        if (cpuFlags.contains(" avx ")) {
            sets.add("AVX");
        }
        if (cpuFlags.contains(" avx2 ")) {
            sets.add("AVX2");
        }
        if (cpuFlags.contains(" avx512f ") && cpuFlags.contains(" avx512bw ") && cpuFlags.contains(" avx512vl ")) {
            sets.add("AVX512_CORE");
        }
        return sets;
    }

    /** The base instruction sets a processor with these flags lacks; none when the flags are unknown. */
    public static List<String> lackedSets(String cpuFlags) {
        List<String> has = basicSets(cpuFlags);
        return BASIC.stream().filter(set -> !has.contains(set)).toList();
    }

    /** Whether a JVM's {@code os.arch} is x86-64, the only processors these names apply to. */
    public static boolean x86(String osArch) {
        return List.of("amd64", "x86_64").contains(osArch);
    }
}
