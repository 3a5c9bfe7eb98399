package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.io.Shell;
import dev.chase.report.Comparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase compare}: several runs side by side, with charts in the style of the paper's Figure 1. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Compare runs: a table, charts and compare.html.",
            "Compare runs: method, density, channel sparsity S_c, prune skip, final test accuracy, dense-of-slim FLOPs "
            + "and the batch-128 throughput each run's chase bench measured for the network it deploys (shrunk for Chase, "
            + "masked for other sparse methods, dense for dense) with its speed-up over dense. Reads each run's summary.json "
            + "(rewriting it if missing or stale) and writes compare.json, compare.html and two PNG charts (accuracy against "
            + "dense-of-slim FLOPs and against throughput, one labelled dot per run) into --out."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories with at least one completed epoch.")
    List<Path> runDirs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "compare", description = "Output folder. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() {
        Map<Path, Path> seen = new HashMap<>();
        for (Path d : runDirs) {
            Path same = seen.put(canonical(d), d);
            if (same != null) {
                throw new ChaseException(same + " and " + d + " are the same run; name each run once");
            }
        }
        Comparison c = Comparison.of(runDirs);
        PrintWriter w = spec.commandLine().getOut();
        int run = Math.max(3, c.runs().stream().mapToInt(r -> r.run().length()).max().orElse(3));
        String format = "%-" + run + "s %-7s %8s %-12s %6s %10s %9s %10s  %s%n";
        w.printf(Locale.ROOT, format, "run", "method", "density", "budget", "S_c", "prune-skip", "accuracy", "slim FLOPs",
                "images/s at batch " + c.batchSize() + " (network, speed-up over dense)");
        boolean unmeasured = false;
        for (Comparison.Row r : c.runs()) {
            String speed = r.measured()
                    ? String.format(Locale.ROOT, "%.1f (%s, %.2fx)", r.imagesPerSecond(), r.network(), r.speedup())
                    : "not measured (chase bench " + Shell.quote(r.run()) + ")";
            unmeasured |= !r.measured();
            w.printf(Locale.ROOT, format, r.run(), r.method(), String.format(Locale.ROOT, "%.4f", r.density()),
                    r.budget() == null ? "-" : r.budget(), String.format(Locale.ROOT, "%.3f", r.channelSparsity()), r.pruneSkip() ? "yes" : "no",
                    String.format(Locale.ROOT, "%.2f%%", 100 * r.finalTestAccuracy()),
                    r.slimFraction() == null ? "unfinished" : String.format(Locale.ROOT, "%.4f", r.slimFraction()), speed);
        }
        w.println("slim FLOPs: the shrunk network counted dense, over the dense original's FLOPs.");
        if (unmeasured) {
            w.println("not measured: chase bench RUN_DIR measures batch sizes 1, 32 and 128.");
        }
        w.println("wrote " + String.join(", ", c.write(out).stream().map(Path::toString).toList()));
        w.flush();
        return 0;
    }

    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
