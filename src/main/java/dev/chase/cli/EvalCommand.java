package dev.chase.cli;

import ai.djl.ndarray.NDManager;
import dev.chase.ChaseException;
import dev.chase.config.TrainConfig;
import dev.chase.data.BatchLoader;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.run.RunDirectory;
import dev.chase.train.Evaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase eval}: test accuracy and loss of a run's final model or of a saved model folder. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Test accuracy and loss of a trained model.",
            "Evaluate a trained model (a run directory's final model, or a saved model folder) on a test set."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR|MODEL_DIR", description = "A run directory, or a folder with netspec.json and parameters.bin.")
    Path source;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Dataset to evaluate on (default: the run's dataset).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the dataset files (default: the run's).")
    String dataDir;

    @Option(names = "--download", description = "Download CIFAR if it is missing (as chase train --download does).")
    boolean download;

    @Option(names = "--eval-batch-size", paramLabel = "N", defaultValue = "256", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--slim", description = "Evaluate the run's shrunk network (model-slim/) instead of its final model.")
    boolean slim;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() {
        Flags.positive("--eval-batch-size", batchSize);
        Path modelDir = source;
        String name = dataset;
        String dir = dataDir;
        if (java.nio.file.Files.isRegularFile(source.resolve("config.json"))) {
            RunDirectory run = RunDirectory.open(source);
            TrainConfig config = run.readConfig();
            modelDir = slim ? run.slimModelDir() : run.finalModelDir();
            if (!SavedModel.exists(modelDir)) {
                throw new ChaseException("run " + source + " has no shrunk model (model-slim/); only finished chase runs have one (see chase shrink)");
            }
            name = name != null ? name : config.dataset();
            dir = dir != null ? dir : config.dataDir();
        } else if (!SavedModel.exists(source)) {
            throw new ChaseException(source + " is neither a run directory nor a saved model folder");
        }
        if (name == null) {
            throw new ChaseException("--dataset is required when evaluating a bare model folder");
        }
        DataBundle data = DataCatalog.open(name, dir, download);
        try (NDManager manager = NDManager.newBaseManager();
                BatchLoader loader = new BatchLoader(data.test(), data.evalTransform(), batchSize, false, false, 0)) {
            Network network = SavedModel.load(modelDir, manager);
            if (network.spec().numClasses() != data.numClasses() || network.spec().inChannels() != data.inputShape().channels()) {
                throw new ChaseException("model in " + modelDir + " expects " + network.spec().inChannels() + " input channels and "
                        + network.spec().numClasses() + " classes, but " + name + " has " + data.inputShape().channels()
                        + " and " + data.numClasses());
            }
            Evaluator.Result r = Evaluator.evaluate(network.block(), loader, manager);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s on %s test (%d images): accuracy %.2f%%, loss %.4f%n", modelDir, name, r.count(),
                    100 * r.accuracy(), r.loss());
            out.flush();
        }
        return 0;
    }
}
