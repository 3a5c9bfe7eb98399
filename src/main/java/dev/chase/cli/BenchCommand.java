package dev.chase.cli;

import ai.djl.ndarray.NDManager;
import dev.chase.ChaseException;
import dev.chase.bench.InferenceBench;
import dev.chase.bench.Samples;
import dev.chase.io.AtomicFiles;
import dev.chase.io.Json;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.train.RunDirectory;
import dev.chase.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase bench}: inference throughput of a run's networks against the dense original. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Measure inference throughput of a finished run: the dense original architecture, the trained (masked)",
            "network and, for Chase runs, the shrunk network; interleaved repeats, median and spread, speed-up over dense.",
            "Writes RUN_DIR/bench.json."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A finished run directory.")
    Path runDir;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed rounds. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--repeats", defaultValue = "20", description = "Timed rounds. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        RunDirectory dir = RunDirectory.open(runDir);
        if (!SavedModel.exists(dir.modelDir())) {
            throw new ChaseException("run " + runDir + " has no final model yet; finish it first (chase train --resume " + runDir + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            Network masked = SavedModel.load(dir.modelDir(), manager);
            // The configured architecture: a run that shrank while training saved a narrower final model.
            TrainConfig config = dir.readConfig();
            Network dense = Network.build(NetSpecs.named(config.model(), masked.spec().inChannels(), masked.spec().numClasses(),
                    config.width()));
            dense.initialize(manager);
            Map<String, Network> networks = new LinkedHashMap<>();
            networks.put("dense", dense);
            networks.put("masked", masked);
            Path slimDir = runDir.resolve("model-slim");
            if (SavedModel.exists(slimDir)) {
                networks.put("shrunk", SavedModel.load(slimDir, manager));
            }
            int size = masked.spec().inputSize();
            List<InferenceBench.Result> results = InferenceBench.run(networks, manager, batchSize, size, warmup, repeats);
            out.printf(Locale.ROOT, "%s, batch %d, %dx%d input, %d threads, %d repeats after %d warm-up%n", runDir, batchSize,
                    size, size, results.get(0).threads(), repeats, warmup);
            out.printf(Locale.ROOT, "%-8s %10s %9s %9s %7s %10s %8s%n", "network", "median ms", "min", "max", "spread", "images/s",
                    "speed-up");
            for (InferenceBench.Result r : results) {
                Samples s = r.millisPerBatch();
                out.printf(Locale.ROOT, "%-8s %10.1f %9.1f %9.1f %7.2f %10.0f %7.2fx%s%n", r.name(), s.median(), s.min(), s.max(),
                        s.spread(), r.imagesPerSecond(), r.speedup(),
                        s.spread() > 1.0 + Math.abs(1 - 1 / r.speedup()) && !r.name().equals("dense") ? "  (noise larger than the effect)" : "");
            }
            AtomicFiles.writeString(runDir.resolve("bench.json"), Json.writePretty(results));
            out.flush();
        }
        return 0;
    }
}
