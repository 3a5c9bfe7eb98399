package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.bench.LatencyCheck;
import dev.chase.bench.LatencyProfiler;
import dev.chase.metrics.LatencyModel;
import dev.chase.metrics.LatencyTable;
import dev.chase.model.NetSpec;
import dev.chase.model.SavedModel;
import dev.chase.run.LatencyTableFiles;
import dev.chase.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chase profile-latency}: measures (or shows) the latency table that {@code --target-latency} predicts with. */
@Command(name = "profile-latency", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Measure a per-layer latency table, for --target-latency.",
            "Time every conv and linear layer of an architecture (with the BatchNorm, ReLU, pooling and residual closing "
            + "that follow it) at widths 1, 0.75, 0.5 and 0.25 of its input and output channels, at its real input size, and cache "
            + "the table (JSON) for chase train --target-latency. An existing table is shown, not measured again (use --force). "
            + "--check N compares predicted and measured whole-network latency of the dense, a half-width and N random narrower "
            + "networks, --check-run RUN_DIR[,RUN_DIR...] the shrunk networks of finished Chase runs, and --check-widths networks "
            + "narrowed as you say (which widths are fast on this machine?)."})
final class ProfileLatencyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchitectureOptions architecture;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", description = "Batch size timed. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Untimed rounds per layer. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "9", description = "Timed rounds per layer (median kept). Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--latency-table", paramLabel = "FILE",
            description = "Table file. Default: the cache, $CHASE_LATENCY_DIR or ~/.cache/chase/latency, one file per model, width,"
                    + " input, batch size and thread count.")
    Path file;

    @Option(names = "--force", description = "Measure again even if the table exists.")
    boolean force;

    @Option(names = "--check", paramLabel = "N", defaultValue = "-1",
            description = "Also time the dense, a half-width and N random narrower networks against the prediction.")
    int check;

    @Option(names = "--check-run", paramLabel = "RUN_DIR", split = ",",
            description = "With --check: also time the shrunk network of these finished Chase runs of this architecture.")
    List<Path> checkRuns = new ArrayList<>();

    @Option(names = "--check-widths", paramLabel = "GLOB=W[,GLOB=W...]",
            description = "With --check: also time a network whose prunable channel groups matching each GLOB (names as chase"
                    + " groups prints them, * matches any characters) have W channels, e.g. 'layer3.*.conv1=8'. Repeat for more networks.")
    List<String> checkWidths = new ArrayList<>();

    @Option(names = "--check-round-to", paramLabel = "K", defaultValue = "1",
            description = "With --check: round the random networks' widths to multiples of K, as a run with --round-to K leaves"
                    + " them. Default: ${DEFAULT-VALUE} (as drawn).")
    int checkRoundTo;

    @Option(names = "--check-repeats", paramLabel = "N", defaultValue = "15", description = "Timed repeats of --check. Default: ${DEFAULT-VALUE}.")
    int checkRepeats;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NetSpec net = architecture.spec();
        // checked before measuring, which can take minutes
        Flags.positive("--batch-size", batchSize);
        Flags.notNegative("--warmup", warmup);
        Flags.positive("--repeats", repeats);
        Flags.positive("--check-repeats", checkRepeats);
        LatencyCheck.RandomVariants random = new LatencyCheck.RandomVariants(Math.max(check, 0), 7, checkRoundTo);
        if ((!checkRuns.isEmpty() || !checkWidths.isEmpty()) && check < 0) {
            throw new ChaseException((checkRuns.isEmpty() ? "--check-widths" : "--check-run") + " needs --check N (N may be 0)");
        }
        Map<String, Map<String, Integer>> named = new LinkedHashMap<>();
        for (Path run : checkRuns) {
            if (named.put("run:" + run, shrunkWidths(run, net)) != null) {
                throw new ChaseException("--check-run names " + run + " twice");
            }
        }
        for (String widths : checkWidths) {
            if (named.put(widths, CheckWidths.parse(widths, net)) != null) {
                throw new ChaseException("--check-widths names " + widths + " twice");
            }
        }
        LatencyTable.Key key = new LatencyTable.Key(LatencyTableFiles.architectureName(architecture.model, net), architecture.width,
                net.inChannels(), net.numClasses(), net.inputSize(), batchSize, LatencyTable.engineThreads());
        Path target = file != null ? file : LatencyTableFiles.defaultFile(key);
        LatencyProfiler.Settings settings = new LatencyProfiler.Settings(warmup, repeats, LatencyProfiler.Settings.defaults().fractions());
        LatencyTable table;
        if (force && Files.exists(target)) {
            out.printf("measuring layer latencies of %s into %s%n", architecture.model, target);
            out.flush();
            table = LatencyProfiler.profile(net, key, settings, line -> print(out, line));
            LatencyTableFiles.write(target, table);
        } else {
            table = LatencyProfiler.obtain(target, key, net, settings, line -> print(out, line));
        }
        LatencyModel latency = new LatencyModel(table, net);
        LatencyTable.Key k = table.key();
        out.printf(Locale.ROOT, "%s: %s width %s, %dx%d input, batch %d, %d threads, median of %d repeats%n", target, k.model(), k.width(),
                k.inputSize(), k.inputSize(), k.batchSize(), k.threads(), table.repeats());
        String name = "%-" + Math.max(22, table.layers().stream().mapToInt(e -> e.name().length()).max().orElse(0)) + "s";
        out.printf(Locale.ROOT, name + " %12s %7s %12s%n", "layer", "channels", "input", "ms (full)");
        for (LatencyTable.Entry e : table.layers()) {
            double[][] ms = e.millis();
            out.printf(Locale.ROOT, name + " %5d->%-5d %4dx%-3d %12.3f%n", e.name(), e.in(), e.out(), e.inputSide(), e.inputSide(),
                    ms[ms.length - 1][ms[0].length - 1]);
        }
        out.printf(Locale.ROOT, "predicted dense forward: %.2f ms per batch of %d%n", latency.cost(net), k.batchSize());
        if (check >= 0) {
            if (k.batchSize() != batchSize || k.threads() != LatencyTable.engineThreads()) {
                throw new ChaseException("--check times at batch " + batchSize + " with " + LatencyTable.engineThreads()
                        + " threads, but the table was measured at batch " + k.batchSize() + " with " + k.threads() + " threads");
            }
            check(out, net, latency, random, named);
        }
        out.flush();
        return 0;
    }

    private void check(PrintWriter out, NetSpec net, LatencyModel latency, LatencyCheck.RandomVariants random,
            Map<String, Map<String, Integer>> named) {
        out.printf(Locale.ROOT, "timing %d networks, %d interleaved repeats after 3 warm-up...%n", check + 2 + named.size(), checkRepeats);
        out.flush();
        List<LatencyCheck.Row> rows = LatencyCheck.run(net, latency, random, named,
                batchSize, 3, checkRepeats);
        String name = "%-" + Math.max(10, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0)) + "s";
        out.printf(Locale.ROOT, name + " %12s %12s %8s %10s %10s %8s %7s%n", "network", "predicted ms", "measured ms", "error",
                "pred frac", "meas frac", "error", "spread");
        double worst = 0;
        double worstFraction = 0;
        for (LatencyCheck.Row r : rows) {
            out.printf(Locale.ROOT, name + " %12.2f %12.2f %+7.1f%% %10.3f %10.3f %+7.1f%% %7.2f%n", r.name(), r.predictedMillis(),
                    r.measuredMillis(), 100 * r.error(), r.predictedFraction(), r.measuredFraction(), 100 * r.fractionError(), r.spread());
            worst = Math.max(worst, Math.abs(r.error()));
            worstFraction = Math.max(worstFraction, Math.abs(r.fractionError()));
        }
        out.printf(Locale.ROOT, "largest error: %.1f%% in milliseconds, %.1f%% as a fraction of dense%n", 100 * worst, 100 * worstFraction);
    }

    /** The group widths of a finished run's shrunk network, which must be a narrowing of {@code net}. */
    private static Map<String, Integer> shrunkWidths(Path run, NetSpec net) {
        RunDirectory dir = RunDirectory.open(run);
        NetSpec original = SavedModel.spec(dir.finalModelDir());
        if (!original.equals(net)) {
            throw new ChaseException("run " + run + " trained another architecture than the one profiled; give its --model, --width,"
                    + " --classes and --in-channels");
        }
        if (!SavedModel.exists(dir.slimModelDir())) {
            throw new ChaseException("run " + run + " has no shrunk model (model-slim/): --check-run takes finished Chase runs");
        }
        NetSpec slim = SavedModel.spec(dir.slimModelDir());
        if (!net.narrowsTo(slim)) {
            throw new ChaseException("the shrunk model of run " + run + " is not a narrowing of its architecture");
        }
        return slim.groupWidths();
    }

    private static void print(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
