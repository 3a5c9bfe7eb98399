package dev.chase.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chase.ChaseException;
import dev.chase.CpuIsa;
import dev.chase.bench.ConvKernelCheck;
import dev.chase.bench.Samples;
import dev.chase.io.Json;
import dev.chase.sweep.ChaseLauncher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chase kernels}: which of oneDNN's kernel sets compute convolutions correctly on this
 * processor, and which of those is fastest. Each set is checked in a fresh process, because the
 * engine reads {@code DNNL_MAX_CPU_ISA} once, when it starts.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Check which CPU kernels compute correctly here, and which is fastest.",
            "For each instruction set oneDNN may use (DNNL_MAX_CPU_ISA; default: the ones this processor has), start a fresh "
            + "process that checks 126 convolutions (output, input and weight gradients; channel counts that are multiples of 8 "
            + "and not, and the shapes a CIFAR ResNet trains) against a plain Java convolution and times one convolution's forward and backward pass. Then name "
            + "the fastest correct set and how to use it. Exit code 1 when no set checked is correct."})
final class KernelsCommand implements Callable<Integer> {
    private static final String REPORT_PREFIX = "chase-kernels-report ";
    private static final long PROBE_TIMEOUT_MINUTES = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--isa", paramLabel = "NAME", split = ",",
            description = "Instruction sets to check, e.g. SSE41,AVX2 (any of: ${COMPLETION-CANDIDATES}). Default: those this processor has.",
            completionCandidates = KnownSets.class)
    List<String> isas;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "20", description = "Timed passes per set (median kept). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--probe", hidden = true, description = "Check the kernels of this process and print one report line.")
    boolean probe;

    @Mixin
    EngineOptions engine;

    /** What one process found with one instruction set. */
    record Report(String isa, int checked, List<String> wrong, @JsonProperty("step-ms") Samples stepMs) {}

    @Override
    public Integer call() throws IOException, InterruptedException {
        Flags.positive("--repeats", repeats);
        if (probe) {
            reportThisProcess();
            return 0;
        }
        return checkEachSet();
    }

    /** The probe: checks and times this process's kernels and prints the report line its parent reads. */
    private void reportThisProcess() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvKernelCheck.Result r = ConvKernelCheck.run(manager);
            Samples time = ConvKernelCheck.timeStep(manager, repeats);
            spec.commandLine().getOut().println(REPORT_PREFIX
                    + Json.write(new Report(System.getenv(CpuIsa.VARIABLE), r.checked(), r.wrong(), time)));
        }
    }

    /** Probes every set in turn, prints the table and names the fastest correct set; 1 when none is correct. */
    private int checkEachSet() throws IOException, InterruptedException {
        String arch = System.getProperty("os.arch");
        if (!CpuIsa.x86(arch)) {
            throw new ChaseException(CpuIsa.VARIABLE + " chooses among x86 instruction sets; this processor is " + arch
                    + ", where oneDNN ignores it and there is nothing to choose");
        }
        String flags = CpuIsa.cpuFlags();
        List<String> sets = isas == null ? CpuIsa.basicSets(flags) : isas.stream().map(KernelsCommand::known).toList();
        List<String> missing = CpuIsa.lackedSets(flags);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Each set is checked in a fresh process: %d convolutions (output, input and weight gradients) against a plain "
                + "Java convolution; then one convolution's forward and backward pass (64 images, 32 to 32 channels, 16x16, 3x3) "
                + "is timed, %d repeats.%n", ConvKernelCheck.grid().size(), repeats);
        out.printf("%-17s %-15s %-22s %s%n", CpuIsa.VARIABLE, "wrong / checked", "ms median (spread)", "first wrong convolution");
        List<Report> correct = new ArrayList<>();
        for (String isa : sets) {
            out.flush();
            Report r = probe(isa);
            out.printf("%-17s %-15s %-22s %s%n", isa, r.wrong().size() + " / " + r.checked(),
                    String.format(Locale.ROOT, "%.1f (%.2f)", r.stepMs().median(), r.stepMs().spread()),
                    r.wrong().isEmpty() ? "-" : r.wrong().get(0));
            if (missing.contains(isa)) {
                out.println("  (" + isa + " is not on this processor: oneDNN ran the best set it has)");
            } else if (r.wrong().isEmpty()) {
                correct.add(r);
            }
        }
        String now = System.getenv(CpuIsa.VARIABLE);
        out.println("This process runs with " + CpuIsa.VARIABLE + (now == null ? " unset (oneDNN's fastest kernels)" : "=" + now)
                + "; ./chase sets SSE41 unless it is set.");
        if (correct.isEmpty()) {
            out.println("None of the sets checked computes correctly on this processor: do not trust results computed with them.");
            return 1;
        }
        Report fastest = correct.stream().min(Comparator.comparingDouble(r -> r.stepMs().median())).orElseThrow();
        if (fastest.isa().equalsIgnoreCase(now)) {
            out.println("Fastest correct: " + fastest.isa() + ", the set in use.");
        } else {
            out.printf("Fastest correct: %s. To use it: export %s=%s (before ./chase, or for any java -jar chase.jar).%n",
                    fastest.isa(), CpuIsa.VARIABLE, fastest.isa());
        }
        return 0;
    }

    private static String known(String name) {
        return CpuIsa.parse(name).orElseThrow(() -> new ChaseException("unknown instruction set '" + name + "' (oneDNN would ignore it):"
                + " use one of " + String.join(", ", CpuIsa.KNOWN)));
    }

    /** Runs the check in a fresh process whose engine may use {@code isa}. */
    private Report probe(String isa) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(ChaseLauncher.current(ChaseCli.class.getName()).prefix());
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        if (threads != null) {
            cmd.add(1, "-Dai.djl.pytorch.num_threads=" + threads);
        }
        cmd.addAll(List.of("kernels", "--probe", "--repeats", Integer.toString(repeats)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(CpuIsa.VARIABLE, isa);
        Process p = pb.start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(PROBE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new ChaseException("the check of " + isa + " did not end within " + PROBE_TIMEOUT_MINUTES + " minutes");
            }
        } finally {
            p.destroyForcibly();
        }
        String line = output.lines().filter(l -> l.startsWith(REPORT_PREFIX)).findFirst().orElseThrow(() -> new ChaseException(
                "the check of " + isa + " ended without a report (exit code " + p.exitValue() + "): " + lastLine(output)));
        try {
            return Json.MAPPER.readValue(line.substring(REPORT_PREFIX.length()), Report.class);
        } catch (IOException e) {
            throw Json.error("the report of the check of " + isa, e);
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    }

    /** Completion candidates for --isa. */
    static final class KnownSets implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return CpuIsa.KNOWN.iterator();
        }
    }
}
