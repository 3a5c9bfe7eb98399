package dev.chase.cli;

import dev.chase.bench.Samples;
import dev.chase.bench.TrainStepBench;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chase bench-train}: milliseconds per training step, the yardstick for training-speed claims. */
@Command(name = "bench-train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Time full training steps (forward, backward, SGD update) on a fixed random batch.",
            "Prints median, min and max milliseconds per step after warm-up, and the same as JSON."})
final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "resnet20", description = "Architecture. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--width", defaultValue = "1.0", description = "Width multiplier. Default: ${DEFAULT-VALUE}.")
    double width;

    @Option(names = "--method", defaultValue = "dense", description = "Training method: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = TrainOptions.MethodNames.class)
    String method;

    @Option(names = "--density", paramLabel = "X", description = "Density of sparse methods (default 0.1).")
    Double density;

    @Option(names = "--update-interval", paramLabel = "N", description = "Steps between mask updates of sparse methods (default 100).")
    Integer updateInterval;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--input-size", description = "Image side in pixels (default: the model's nominal size, 32 or 224).")
    Integer inputSize;

    @Option(names = "--in-channels", defaultValue = "3", description = "Input channels. Default: ${DEFAULT-VALUE}.")
    int inChannels;

    @Option(names = "--classes", defaultValue = "10", description = "Number of classes. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed warm-up steps. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--seed", defaultValue = "41", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result (with every step's time) to FILE.")
    Path json;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        TrainConfig config = TrainConfig.defaults().with("model", model, "width", width, "method", method, "batch-size", batchSize,
                "epochs", 1, "seed", seed, "density", density, "update-interval", updateInterval);
        NetSpec netSpec = NetSpecs.named(model, inChannels, classes, width);
        int size = inputSize != null ? inputSize : netSpec.inputSize();
        if (size < 8) {
            throw new dev.chase.ChaseException("--input-size must be at least 8, got " + size);
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean interactive = System.console() != null;
        TrainStepBench.Result r = TrainStepBench.run(config, netSpec, size, warmup, steps, i -> {
            if (interactive) {
                System.err.printf("\rstep %d/%d", i, warmup + steps);
            }
        });
        if (interactive) {
            System.err.print("\r");
        }
        Samples s = r.millisPerStep();
        out.printf(Locale.ROOT, "%s x%s (%s), batch %d, %dx%d input, %d threads: %d steps after %d warm-up%n",
                model, width, method, batchSize, size, size, r.threads(), s.count(), warmup);
        out.printf(Locale.ROOT, "ms/step  median %.1f  min %.1f  max %.1f  mean %.1f  (spread max/min %.2f)  -> %.0f images/s%n",
                s.median(), s.min(), s.max(), s.mean(), s.spread(), r.imagesPerSecond());
        String text = Json.write(r);
        out.println(text);
        if (json != null) {
            AtomicFiles.writeString(json, Json.writePretty(r));
        }
        out.flush();
        return 0;
    }
}
