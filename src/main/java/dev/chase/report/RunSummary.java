package dev.chase.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.bench.InferenceBench;
import dev.chase.config.TrainConfig;
import dev.chase.io.Json;
import dev.chase.io.Shell;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.Flops;
import dev.chase.model.SavedModel;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import dev.chase.run.RunFlops;
import dev.chase.run.ShrinkReport;
import dev.chase.run.SparsityMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The headline numbers of one run, the content of {@code summary.json}: what was trained, how
 * accurate and how sparse it ended, what it costs in FLOPs and weights, what the shrink and the
 * inference benchmark measured. Everything is derived from the run directory (FLOPs through
 * {@link RunFlops}, the same code as {@code chase flops}), so the file can always be regenerated.
 *
 * @param formatVersion {@link #FORMAT_VERSION} of the chase that wrote it
 * @param runDir the run directory
 * @param config the run's configuration
 * @param epochs completed epochs
 * @param finished whether the run has completed all its epochs (and saved its final model)
 * @param accuracy test accuracy at the last and at the best epoch
 * @param sparsity masks at the last epoch; null for dense runs
 * @param flops FLOPs per test image and of training; null while the run is unfinished
 * @param parameters conv and linear weight counts; null while the run is unfinished
 * @param shrink the physical shrink ({@code shrink.json}); null unless the run is a finished Chase run
 * @param bench the inference measurement ({@code bench.json}); null until {@code chase bench} ran
 * @param trainingSeconds wall time of the training parts of all epochs (test evaluations excluded)
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(int formatVersion, String runDir, TrainConfig config, int epochs, boolean finished,
        Accuracy accuracy, Sparsity sparsity, FlopCounts flops, Parameters parameters, ShrinkReport shrink,
        InferenceBench.Report bench, double trainingSeconds) {
    /** The file name in the run directory. */
    public static final String FILE = "summary.json";
    /** Raised whenever a field changes meaning or a required field is added. */
    public static final int FORMAT_VERSION = 1;

    /**
     * Test accuracy (top-1).
     *
     * @param finalTest at the last completed epoch
     * @param finalEpoch that epoch
     * @param bestTest the highest over all epochs (the paper's CIFAR number is a best-of-window on the test set)
     * @param bestEpoch the first epoch that reached it
     * @param finalTrain training accuracy of the last epoch (on augmented batches)
     * @param finalTestLoss test loss at the last epoch
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Accuracy(double finalTest, int finalEpoch, double bestTest, int bestEpoch, double finalTrain,
            double finalTestLoss) {}

    /**
     * Sparsity at the last epoch (algorithm §7.1).
     *
     * @param nonZeros active weights
     * @param density active weights / the original architecture's maskable weights
     * @param liveDensity active weights / the weights of the live structure
     * @param channelSparsity S_c, removed channels over the prunable groups (0 for methods that remove none)
     * @param channelSparsityAllConvs removed channels over all conv output channels
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Sparsity(long nonZeros, double density, double liveDensity, double channelSparsity,
            double channelSparsityAllConvs) {}

    /**
     * FLOPs per test image (see {@link Flops}) and of training (see {@link RunFlops}).
     *
     * @param slim the shrunk network counted dense ("dense-of-slim"); equal to dense when no channel was removed
     * @param trainingFraction training FLOPs of the run over dense training of the same length
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record FlopCounts(long dense, long sparse, long slim, double sparseFraction, double slimFraction,
            double trainingFraction) {}

    /**
     * Conv and linear weights (the maskable ones; biases and BatchNorm are not counted).
     *
     * @param denseWeights of the original architecture
     * @param nonZeros non-zero weights of the final network
     * @param slimWeights of the shrunk architecture (equal to dense when no channel was removed)
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Parameters(long denseWeights, long nonZeros, long slimWeights) {}

    /**
     * Summarises a run directory.
     *
     * @throws ChaseException for a missing directory or a run without a completed epoch
     */
    public static RunSummary of(Path root) {
        RunDirectory dir = RunDirectory.open(root);
        TrainConfig config = dir.readConfig();
        List<EpochMetrics> history = dir.readMetrics();
        if (history.isEmpty()) {
            SortedMap<Integer, Path> checkpoints = dir.checkpoints();
            Optional<String> gap = checkpoints.isEmpty() ? Optional.empty() : dir.metricsGap(history, checkpoints.lastKey());
            throw new ChaseException(gap.orElse("run " + root + " has no completed epoch yet: there is nothing to report before"
                    + " its first epoch ends"));
        }
        EpochMetrics last = history.get(history.size() - 1);
        EpochMetrics best = history.get(0);
        for (EpochMetrics m : history) {
            if (m.testAccuracy() > best.testAccuracy()) {
                best = m;
            }
        }
        Accuracy accuracy = new Accuracy(last.testAccuracy(), last.epoch(), best.testAccuracy(), best.epoch(),
                last.trainAccuracy(), last.testLoss());
        boolean finished = SavedModel.exists(dir.modelDir());
        FlopCounts flops = null;
        Parameters parameters = null;
        if (finished) {
            RunFlops counted = RunFlops.of(root);
            Flops test = counted.test();
            flops = new FlopCounts(test.dense(), test.sparse(), test.slim(), test.sparseFraction(), test.slimFraction(),
                    counted.training().fraction());
            long weights = weights(test);
            long slimWeights = SavedModel.exists(dir.slimModelDir()) ? weights(FlopCounter.count(SavedModel.spec(dir.slimModelDir())))
                    : weights;
            parameters = new Parameters(weights, test.layers().stream().mapToLong(Flops.Layer::nonZeros).sum(), slimWeights);
        }
        return new RunSummary(FORMAT_VERSION, root.toString(), config, last.epoch(), finished, accuracy, sparsity(last.sparsity()),
                flops, parameters, dir.readShrink().orElse(null), readBench(dir).orElse(null),
                history.stream().mapToDouble(EpochMetrics::epochSeconds).sum());
    }

    private static Sparsity sparsity(SparsityMetrics s) {
        if (s == null) {
            return null;
        }
        SparsityMetrics.Channels c = s.channels();
        return new Sparsity(s.nonZeros(), s.density(), s.liveDensity(), c == null ? 0 : c.prunable(), c == null ? 0 : c.allConvs());
    }

    private static long weights(Flops flops) {
        return flops.layers().stream().mapToLong(Flops.Layer::weights).sum();
    }

    /** Reads the run's {@code bench.json}, if {@code chase bench} has written one. */
    private static Optional<InferenceBench.Report> readBench(RunDirectory dir) {
        Path file = dir.benchFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), InferenceBench.Report.class));
        } catch (IOException e) {
            throw Json.error(file.toString(), e);
        }
    }

    /**
     * Reads a {@code summary.json}; empty if it was written in an older format (regenerate it).
     *
     * @throws ChaseException if a newer chase wrote it, or it cannot be read
     */
    public static Optional<RunSummary> read(Path file) {
        try {
            JsonNode tree = Json.MAPPER.readTree(file.toFile());
            int version = tree.path("format-version").asInt(0);
            if (version > FORMAT_VERSION) {
                throw new ChaseException(file + " was written by a newer chase (summary format " + version + "; this chase reads"
                        + " format " + FORMAT_VERSION + "): use that chase, or rewrite the summary with this one: chase report "
                        + Shell.quote(file.getParent()));
            }
            return version < FORMAT_VERSION ? Optional.empty() : Optional.of(Json.MAPPER.treeToValue(tree, RunSummary.class));
        } catch (IOException e) {
            throw new ChaseException(Json.error(file.toString(), e).getMessage() + "; rewrite it with: chase report "
                    + Shell.quote(file.getParent()), e);
        }
    }

    /** The test-time network whose speed stands for this run: shrunk for Chase, masked for other sparse methods, dense for dense. */
    public String deployedNetwork() {
        if (shrink != null) {
            return "shrunk";
        }
        return config.dstMethod().sparse() ? "masked" : "dense";
    }

    /** The bench result of {@link #deployedNetwork()} at a batch size, if measured. */
    public Optional<InferenceBench.Result> measured(int batchSize) {
        if (bench == null) {
            return Optional.empty();
        }
        String network = deployedNetwork();
        return bench.results().stream().filter(r -> r.batchSize() == batchSize && r.network().equals(network)).findFirst();
    }
}
