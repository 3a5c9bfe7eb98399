package dev.chase.cli;

import ai.djl.ndarray.NDManager;
import dev.chase.bench.InferenceBench;
import dev.chase.bench.Samples;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.Flops;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.run.RunDirectory;
import dev.chase.run.RunLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase bench}: inference latency and throughput of a run's networks against the dense original. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Inference latency and throughput of a finished run.",
            "Measure inference latency and throughput of a finished run at several batch sizes: the dense original "
            + "architecture, the trained (masked) network and, for Chase runs, the shrunk network; interleaved repeats, median "
            + "and spread, speed-up over dense, and how much of the FLOPs speed-up it realises. Writes RUN_DIR/bench.json and "
            + "refreshes the run's report (summary.json, report.html)."})
final class BenchCommand implements Callable<Integer> {
    /** The defaults, also what {@code chase demo} measures. */
    static final List<Integer> BATCH_SIZES = List.of(1, 32, 128);
    static final int WARMUP = 3;
    static final int REPEATS = 20;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A finished run directory.")
    Path runDir;

    // the default is BATCH_SIZES (an annotation needs a constant string)
    @Option(names = {"--batch-sizes", "--batch-size"}, split = ",", defaultValue = "1,32,128", paramLabel = "N",
            description = "Batch sizes. Default: ${DEFAULT-VALUE}.")
    List<Integer> batchSizes;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + WARMUP, description = "Untimed rounds per batch size. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "" + REPEATS, description = "Timed rounds per batch size. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        batchSizes.forEach(b -> Flags.positive("--batch-sizes", b));
        Flags.notNegative("--warmup", warmup);
        Flags.positive("--repeats", repeats);
        try (RunLock lock = RunLock.acquireRun(runDir)) {
            measure(out, runDir, batchSizes, warmup, repeats);
            ReportCommand.write(out, runDir);
        }
        return 0;
    }

    /** Times a finished run's networks, prints the table and writes {@code bench.json}. */
    static InferenceBench.Report measure(PrintWriter out, Path runDir, List<Integer> batchSizes, int warmup, int repeats) {
        RunDirectory dir = RunDirectory.open(runDir);
        Path modelDir = dir.finalModelDir();
        try (NDManager manager = NDManager.newBaseManager()) {
            Network masked = SavedModel.load(modelDir, manager);
            NetSpec original = masked.spec();
            boolean shrunk = SavedModel.exists(dir.slimModelDir());
            Flops flops = FlopCounter.count(original, shrunk ? SavedModel.spec(dir.slimModelDir()) : original,
                    FlopCounter.nonZeros(masked));
            Network dense = Network.build(original);
            dense.initialize(manager);
            List<InferenceBench.Subject> subjects = new ArrayList<>();
            subjects.add(new InferenceBench.Subject("dense", dense, flops.dense()));
            // a dense run's trained network has no mask: it is the dense architecture, trained
            subjects.add(new InferenceBench.Subject(dir.readConfig().dstMethod().sparse() ? "masked" : "trained", masked, flops.sparse()));
            if (shrunk) {
                subjects.add(new InferenceBench.Subject("shrunk", SavedModel.load(dir.slimModelDir(), manager), flops.slim()));
            }
            int size = original.inputSize();
            InferenceBench.Report report = InferenceBench.run(subjects, manager, batchSizes, size, warmup, repeats);
            print(out, runDir, report);
            AtomicFiles.writeString(dir.benchFile(), Json.writePretty(report));
            out.printf("wrote %s%n", dir.benchFile());
            out.flush();
            return report;
        }
    }

    private static void print(PrintWriter out, Path runDir, InferenceBench.Report report) {
        out.printf(Locale.ROOT, "%s: %dx%d input, threads %d, %d timed repeats after %d warm-up per batch size, interleaved%n",
                runDir, report.inputSize(), report.inputSize(), report.threads(), report.repeats(), report.warmup());
        out.printf(Locale.ROOT, "%5s %-7s %10s %9s %9s %7s %10s %9s %9s %9s%n", "batch", "network", "median ms", "min", "max", "spread",
                "images/s", "speed-up", "FLOPs x", "realised");
        boolean anyNoisy = false;
        for (InferenceBench.Result r : report.results()) {
            Samples s = r.millisPerBatch();
            out.printf(Locale.ROOT, "%5d %-7s %10.2f %9.2f %9.2f %7.2f %10.1f %8.2fx %8.2fx %9.2f%s%n", r.batchSize(), r.network(),
                    s.median(), s.min(), s.max(), s.spread(), r.imagesPerSecond(), r.speedup(), r.flopsSpeedup(), r.realisation(),
                    r.noisy() ? "  noisy" : "");
            anyNoisy |= r.noisy();
        }
        out.println("speed-up: dense median time / this one's; FLOPs x: dense FLOPs / this network's (sparse non-zeros for masked,");
        out.println("dense-of-slim for shrunk); realised: speed-up / FLOPs x.");
        if (anyNoisy) {
            out.println("noisy: the repeat spread (max/min) exceeds the measured effect; repeat on a quieter machine or with more --repeats.");
        }
    }
}
