package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.bench.Samples;
import dev.chase.bench.TrainStepBench;
import dev.chase.config.DstMethod;
import dev.chase.config.TrainConfig;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
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
import picocli.CommandLine.Spec;

/** {@code chase bench-train}: milliseconds per training step, the yardstick for training-speed claims. */
@Command(name = "bench-train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Milliseconds per training step of one or more methods.",
            "Time full training steps (forward, backward, SGD update) on a fixed random batch.",
            "Prints median, min and max milliseconds per step after warm-up, and the same as JSON."})
final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "resnet20", description = "Architecture. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--width", paramLabel = "X", defaultValue = "1.0", description = "Width multiplier. Default: ${DEFAULT-VALUE}.")
    double width;

    @Option(names = "--method", defaultValue = "dense", split = ",", paramLabel = "NAME",
            description = "Training method(s): ${COMPLETION-CANDIDATES}. Several, comma-separated, are measured interleaved "
                + "in one process and compared with the first. Default: ${DEFAULT-VALUE}.",
            completionCandidates = TrainOptions.MethodNames.class)
    List<String> methods;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Interleaving rounds when comparing methods. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--density", paramLabel = "X", description = "Density of sparse methods (default 0.1).")
    Double density;

    @Option(names = "--update-interval", paramLabel = "N", description = "Steps between mask updates of sparse methods (default 100).")
    Integer updateInterval;

    @Option(names = "--channel-interval", paramLabel = "N",
            description = "chase: steps between channel events (default: 4 update intervals, as in train); they must fall within the timed steps.")
    Integer channelInterval;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--input-size", paramLabel = "N", description = "Image side in pixels (default: the model's nominal size, 32 or 224).")
    Integer inputSize;

    @Option(names = "--in-channels", paramLabel = "N", defaultValue = "3", description = "Input channels. Default: ${DEFAULT-VALUE}.")
    int inChannels;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "10", description = "Number of classes. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Untimed warm-up steps. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "30", description = "Timed steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "41", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result (with every step's time) to FILE.")
    Path json;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        Flags.notNegative("--warmup", warmup);
        Flags.positive("--steps", steps);
        Flags.positive("--rounds", rounds);
        if (methods.size() > 1 && rounds > steps) {
            throw new ChaseException("--rounds " + rounds + " is more than --steps " + steps + ": every round times at least one step"
                    + " of each method");
        }
        List<DstMethod> parsed = methods.stream().map(DstMethod::parse).toList();
        refuseUnused("--density", density, parsed);
        refuseUnused("--update-interval", updateInterval, parsed);
        refuseUnused("--channel-interval", channelInterval, parsed);
        List<TrainConfig> configs = new ArrayList<>();
        for (DstMethod method : parsed) {
            TrainConfig c = TrainConfig.defaults().with("model", model, "width", width, "method", method.name().toLowerCase(Locale.ROOT),
                    "batch-size", batchSize, "epochs", 1, "seed", seed);
            c = method.uses("density") ? c.with("density", density) : c;
            c = method.uses("update-interval") ? c.with("update-interval", updateInterval) : c;
            configs.add(method.uses("channel-interval") ? c.with("channel-interval", channelInterval) : c);
        }
        NetSpec netSpec = NetSpecs.named(model, inChannels, classes, width);
        int size = inputSize != null ? inputSize : netSpec.inputSize();
        if (size < 8) {
            throw new ChaseException("--input-size must be at least 8, got " + size);
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean interactive = ProgressBar.stderrIsTerminal();
        int total = methods.size() * (warmup + steps);
        List<TrainStepBench.Result> results = TrainStepBench.run(configs, netSpec, size, warmup, steps,
                methods.size() == 1 ? 1 : rounds, i -> {
                    if (interactive) {
                        System.err.printf("\rstep %d/%d", i, total);
                    }
                });
        if (interactive) {
            System.err.print("\r");
        }
        out.printf(Locale.ROOT, "%s x%s, batch %d, %dx%d input, %d threads: %d timed steps per method after %d warm-up%n",
                model, width, batchSize, size, size, results.get(0).threads(), steps, warmup);
        out.printf(Locale.ROOT, "%-8s %9s %9s %9s %9s %7s %8s %10s %8s%n", "method", "median", "min", "max", "mean", "spread",
                "updates", "images/s", "mean/" + methods.get(0));
        for (TrainStepBench.Result r : results) {
            Samples s = r.millisPerStep();
            out.printf(Locale.ROOT, "%-8s %9.1f %9.1f %9.1f %9.1f %7.2f %8d %10.0f %8.3f%n", r.method(), s.median(), s.min(),
                    s.max(), s.mean(), s.spread(), r.updateSteps(), r.imagesPerSecond(), r.meanRatio());
        }
        out.println("(milliseconds per training step; spread = max/min; ratio of mean step times, update steps included)");
        out.println(Json.write(results));
        if (json != null) {
            AtomicFiles.writeString(json, Json.writePretty(results));
        }
        out.flush();
        return 0;
    }

    /** Refuses a given option that none of the methods measured would read, as chase train refuses it. */
    private static void refuseUnused(String flag, Object value, List<DstMethod> methods) {
        if (value != null && methods.stream().noneMatch(m -> m.uses(flag.substring(2)))) {
            throw new ChaseException(flag + " is not used by --method " + String.join(",",
                    methods.stream().map(m -> m.name().toLowerCase(Locale.ROOT)).toList()) + "; it would change nothing");
        }
    }
}
