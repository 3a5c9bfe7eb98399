package dev.chase.cli;

import dev.chase.config.TrainConfig;
import dev.chase.data.DataCatalog;
import dev.chase.run.RunDirectory;
import dev.chase.run.RunLock;
import dev.chase.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase shrink}: (re)builds the physically narrower network of a finished Chase run. */
@Command(name = "shrink", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Rebuild the narrower network of a finished Chase run.",
            "Build the physically narrower network of a finished Chase run from its last checkpoint: keep the alive "
            + "channels, slice weights, BatchNorm entries and masks, recalibrate BatchNorm statistics on the training data, "
            + "and save it in RUN_DIR/model-slim (with RUN_DIR/shrink.json), then refresh the run's report. Training runs do "
            + "this at their end already."})
final class ShrinkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A finished run directory of method chase.")
    Path runDir;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        try (RunLock lock = RunLock.acquireRun(runDir)) {
            TrainConfig config = RunDirectory.open(runDir).readConfig();
            PrintWriter out = spec.commandLine().getOut();
            try (TrainingRun run = TrainingRun.resume(runDir, DataCatalog.open(config.dataset(), config.dataDir(), config.download()))) {
                run.shrinkAgain();
                TrainCommand.report(out, run, true);
            }
            ReportCommand.write(out, runDir);
        }
        return 0;
    }
}
