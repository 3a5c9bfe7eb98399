package dev.chase.cli;

import dev.chase.config.TrainConfig;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.io.Shell;
import dev.chase.run.RunLock;
import dev.chase.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chase demo}: a short sparse run on the Fashion-MNIST subset shipped inside chase, needing
 * no arguments, no download and no GPU; it ends with a short inference benchmark and the run's report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Train, shrink and measure a small Chase ResNet (minutes).",
            "Train a small ResNet with Chase (90%% sparse weights, half of the block channels removed during training) "
            + "on the Fashion-MNIST subset shipped with chase (10,000 train / 2,000 test images), shrink it, print the result, "
            + "measure the inference speed of the dense, masked and shrunk networks (chase bench) and write the report "
            + "(report.html). A few minutes on 2 CPU cores."})
final class DemoCommand implements Callable<Integer> {
    /** Dataset shipped inside the jar. */
    static final String DATASET = "fashion-mnist-subset";

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--method", paramLabel = "NAME", defaultValue = "chase", description = "Training method: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = TrainOptions.MethodNames.class)
    String method;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (default: runs/demo-<time>).")
    Path runDir;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        Flags.positive("--epochs", epochs);
        TrainConfig config = config(method, epochs).resolved();
        PrintWriter out = spec.commandLine().getOut();
        DataBundle data = DataCatalog.open(config.dataset(), null, false);
        try (StopOnSignal signal = new StopOnSignal(spec.commandLine().getErr());
                RunLock lock = runDir != null ? RunLock.acquire(runDir) : RunLock.acquireNew(Path.of("runs", "demo-" + TrainCommand.timestamp()))) {
            Path dir = lock.root();
            out.printf("chase demo: %s %s (width x%s) on the embedded Fashion-MNIST subset, %d epochs%s%n", config.method(),
                    config.model(), config.width(), config.epochs(), config.density() == null ? "" : ", density " + config.density());
            out.printf("to repeat it: chase train --recipe %s%n", Shell.quote(dir.resolve("config.json")));
            out.flush();
            TrainingRun run = TrainingRun.create(dir, config, data);
            signal.stops(run);
            int interrupted = TrainCommand.train(out, signal, run, Integer.MAX_VALUE, ProgressBar.forTerminal(out));
            if (interrupted == 0) {
                out.println("measuring inference speed (chase bench " + Shell.quote(dir) + "):");
                BenchCommand.measure(out, dir, BenchCommand.BATCH_SIZES, BenchCommand.WARMUP, BenchCommand.REPEATS);
            }
            if (!run.history().isEmpty()) {
                ReportCommand.write(out, dir);
            }
            return interrupted;
        }
    }

    /**
     * The demo's configuration: sparse methods at density 0.1 with a mask update every 20 steps;
     * Chase aims at half of the prunable channels with an event every 40 steps, widths rounded to
     * multiples of 8 (which the CPU kernels run fast; at arbitrary widths the shrunk network can be
     * slower than the dense one, docs/measuring-speed.md).
     */
    static TrainConfig config(String method, int epochs) {
        TrainConfig c = TrainConfig.defaults().with("model", "resnet20", "width", 0.5, "dataset", DATASET, "epochs", epochs,
                "lr-schedule", "cosine", "method", method);
        if (c.dstMethod().uses("update-interval")) {
            c = c.with("update-interval", 20);
        }
        return c.dstMethod().prunesChannels() ? c.with("channel-interval", 40, "round-to", 8) : c;
    }
}
