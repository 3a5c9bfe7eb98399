package dev.chase.cli;

import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.train.TrainConfig;
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
 * {@code chase demo}: a short run on the Fashion-MNIST subset shipped inside chase, needing no
 * arguments, no download and no GPU.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Train a small ResNet on the Fashion-MNIST subset shipped with chase (10,000 train / 2,000 test images)",
            "and print the result. Takes a few minutes on 2 CPU cores."})
final class DemoCommand implements Callable<Integer> {
    /** Dataset shipped inside the jar. */
    static final String DATASET = "fashion-mnist-subset";

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (default: runs/demo-<time>).")
    Path runDir;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        TrainConfig config = config(epochs);
        PrintWriter out = spec.commandLine().getOut();
        Path dir = runDir != null ? runDir : Path.of("runs", "demo-" + TrainCommand.timestamp());
        DataBundle data = DataCatalog.open(config.dataset(), null, false);
        out.printf("chase demo: dense %s (width x%s) on the embedded Fashion-MNIST subset, %d epochs%n",
                config.model(), config.width(), config.epochs());
        out.printf("equivalent to: chase train --model %s --width %s --dataset %s --epochs %d --lr-schedule %s --batch-size %d%n",
                config.model(), config.width(), config.dataset(), config.epochs(), config.lrSchedule(), config.batchSize());
        out.flush();
        try (TrainingRun run = TrainingRun.create(dir, config, data)) {
            boolean done = run.train(Integer.MAX_VALUE, ProgressBar.forTerminal());
            TrainCommand.report(out, run, done);
        }
        return 0;
    }

    /** The demo's configuration. */
    static TrainConfig config(int epochs) {
        return TrainConfig.defaults().with("model", "resnet20", "width", 0.5, "dataset", DATASET, "epochs", epochs,
                "lr-schedule", "cosine");
    }
}
