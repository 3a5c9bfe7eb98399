package dev.chase.cli;

import ai.djl.ndarray.NDManager;
import dev.chase.ChaseException;
import dev.chase.bench.OpProfiler;
import dev.chase.bench.Samples;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase profile}: where the forward pass of the dense and the shrunk network spends its time, op by op. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Time the forward pass op by op, dense against shrunk.",
            "Time the forward pass op by op (every conv, BatchNorm, ReLU, residual add, pooling and linear layer at its "
            + "real input) for the dense architecture of a finished Chase run and its shrunk network, interleaved round by round; "
            + "print per layer and per op kind where the time goes and how much of each op's FLOP (or element) saving became "
            + "time, and the sum of the ops against the whole pass. Writes RUN_DIR/profile.json. With --model instead of "
            + "RUN_DIR: the dense architecture only."})
final class ProfileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "0..1", description = "A finished Chase run directory (with a shrunk model).")
    Path runDir;

    @Mixin
    ArchitectureOptions architecture;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", description = "Images per pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + BenchCommand.WARMUP, description = "Untimed rounds. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "" + BenchCommand.REPEATS, description = "Timed rounds. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--training", description = "Time forward + backward of every op (training mode, batch statistics) instead of inference.")
    boolean training;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the profile. Default: RUN_DIR/profile.json; none with --model.")
    Path output;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        if ((runDir == null) == !architecture.given()) {
            throw new ChaseException("give either a run directory or --model NAME");
        }
        Flags.positive("--batch-size", batchSize);
        Flags.notNegative("--warmup", warmup);
        Flags.positive("--repeats", repeats);
        OpProfiler.Settings settings = new OpProfiler.Settings(batchSize, warmup, repeats, training);
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            Network dense;
            Network shrunk = null;
            String what;
            Path file = output;
            if (architecture.given()) {
                NetSpec net = architecture.spec();
                dense = Network.build(net);
                what = architecture.toString();
            } else {
                RunDirectory dir = RunDirectory.open(runDir);
                NetSpec original = SavedModel.spec(dir.finalModelDir());
                if (!SavedModel.exists(dir.slimModelDir())) {
                    throw new ChaseException("run " + runDir + " has no shrunk model (model-slim/); profile compares the dense"
                            + " architecture with a Chase run's shrunk network (use --model NAME to profile an architecture alone)");
                }
                dense = Network.build(original);
                shrunk = SavedModel.load(dir.slimModelDir(), manager);
                what = runDir.toString();
                file = output != null ? output : dir.profileFile();
            }
            dense.initialize(manager);
            out.printf(Locale.ROOT, "profiling %s: %d %s passes after %d warm-up, batch %d...%n", what, repeats,
                    training ? "forward+backward" : "forward", warmup, batchSize);
            out.flush();
            OpProfiler.Profile profile = OpProfiler.run(dense, shrunk, manager, settings);
            print(out, what, profile);
            if (file != null) {
                AtomicFiles.writeString(file, Json.writePretty(profile));
                out.printf("wrote %s%n", file);
            }
        }
        out.flush();
        return 0;
    }

    static void print(PrintWriter out, String what, OpProfiler.Profile p) {
        boolean pair = p.totals().size() == 2;
        out.printf(Locale.ROOT, "%s: %s, batch %d, %dx%d input, threads %d, median of %d interleaved rounds after %d warm-up%n", what,
                p.mode(), p.batchSize(), p.inputSize(), p.inputSize(), p.threads(), p.repeats(), p.warmup());
        int nameWidth = p.ops().stream().mapToInt(o -> o.name().length()).max().orElse(0);
        String row = "%-" + Math.max(24, nameWidth) + "s %-10s %-26s %-17s %-17s %7s %7s %8s%n";
        out.printf(Locale.ROOT, row, "op", "kind", "input per image", "MFLOPs per image", "median ms", "time x", "work x", "realised");
        for (OpProfiler.Op o : p.ops()) {
            OpProfiler.Side d = o.dense();
            OpProfiler.Side s = o.shrunk();
            String flops = d.flopsPerImage() == 0 ? "-" : pair ? mflops(d) + ">" + mflops(s) : mflops(d);
            String shape = pair ? shape(d) + ">" + shape(s) : shape(d);
            String ms = pair ? String.format(Locale.ROOT, "%.3f>%.3f", d.millis().median(), s.millis().median())
                    : String.format(Locale.ROOT, "%.3f", d.millis().median());
            out.printf(Locale.ROOT, row, o.name(), o.kind().label(), shape, flops, ms,
                    ratio(o.speedup()), ratio(o.workSpeedup()), o.realisation() == null ? "-" : String.format(Locale.ROOT, "%.2f",
                            o.realisation()));
        }
        out.println();
        out.printf(Locale.ROOT, "%-10s %5s %10s %10s %7s %8s %8s %12s%n", "kind", "ops", "dense ms", "shrunk ms", "dense %", "shrunk %",
                "speed-up", "proportional");
        for (OpProfiler.KindTotal k : p.kinds()) {
            out.printf(Locale.ROOT, "%-10s %5d %10.2f %10s %6.1f%% %8s %8s %12s%n", k.kind().label(), k.count(), k.denseMillis(),
                    k.shrunkMillis() == null ? "-" : String.format(Locale.ROOT, "%.2f", k.shrunkMillis()), 100 * k.denseShare(),
                    k.shrunkShare() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * k.shrunkShare()), ratio(k.speedup()),
                    ratio(k.proportionalSpeedup()));
        }
        out.println();
        for (OpProfiler.Total t : p.totals()) {
            Samples s = t.passMillis();
            out.printf(Locale.ROOT, "%-6s sum of op medians %.2f ms, whole pass %.2f ms (min %.2f, max %.2f): gap %+.1f%%, FLOPs per image"
                    + " %.4e%n", t.network(), t.opSumMillis(), s.median(), s.min(), s.max(), 100 * t.gap(), (double) t.flopsPerImage());
        }
        if (pair) {
            OpProfiler.Total d = p.totals().get(0);
            OpProfiler.Total s = p.totals().get(1);
            out.printf(Locale.ROOT, "speed-up of the whole pass %.2fx, of the op sum %.2fx; if every op got faster by its work ratio"
                    + " %.2fx; FLOPs %.2fx%n", d.passMillis().median() / s.passMillis().median(), d.opSumMillis() / s.opSumMillis(),
                    p.proportionalSpeedup(), (double) d.flopsPerImage() / s.flopsPerImage());
        }
        out.println("time x: dense median / shrunk median; work x: dense / shrunk FLOPs (conv, linear) or input elements (others);"
                + " realised: time x / work x;");
        out.println("proportional: the speed-up if every op got faster by exactly its work ratio (dense ms / sum of dense ms / work x).");
    }

    private static String mflops(OpProfiler.Side s) {
        return String.format(Locale.ROOT, "%.2f", s.flopsPerImage() / 1e6);
    }

    private static String shape(OpProfiler.Side s) {
        return s.input().subList(1, s.input().size()).stream().map(String::valueOf).collect(Collectors.joining("x"));
    }

    private static String ratio(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }
}
