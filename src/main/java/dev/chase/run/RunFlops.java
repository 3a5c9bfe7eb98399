package dev.chase.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.config.DstMethod;
import dev.chase.config.RunConfig;
import dev.chase.config.TrainConfig;
import dev.chase.method.MethodRegistry;
import dev.chase.method.TrainingPlan;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.Flops;
import dev.chase.metrics.TrainingFlops;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.sparse.DstUpdater;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FLOPs of a finished run (algorithm §7.2), as {@code chase flops} prints them and saves them in
 * {@code flops.json}: per test image, of the dense original, of the final network's non-zero
 * weights and of the shrunk network counted dense; and the theoretical training FLOPs along the
 * run's trajectory against dense training of the same length.
 *
 * <p>The trajectory is known at epoch ends only ({@code metrics.jsonl} records every layer's
 * density and the live channel widths then), so every step of an epoch is charged with the masks
 * and widths of the epoch's end; the dense-gradient steps are the exact steps at which the run's
 * updater grew weights by gradient. Since the soft-bound excess only decays and channels are only
 * removed, this errs low by at most the change within one epoch (and high for the steps before the
 * first mask update, which still run at the initial budget).
 *
 * @param model the architecture's name in the run's config
 * @param method the training method
 * @param inputSize side of the input images the counts assume
 * @param test FLOPs per test image
 * @param training training FLOPs over the run
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record RunFlops(String model, String method, int inputSize, Flops test, TrainingFlops.Result training) {

    /** Counts the FLOPs of a finished run directory. */
    public static RunFlops of(Path root) {
        RunDirectory dir = RunDirectory.open(root);
        Path modelDir = dir.finalModelDir();
        TrainConfig config = dir.readConfig();
        List<EpochMetrics> history = dir.readMetrics();
        if (history.isEmpty()) {
            throw new ChaseException(dir.metricsFile() + " records no epoch; the training trajectory is unknown");
        }
        NetSpec spec = SavedModel.spec(modelDir);
        NetSpec slim = SavedModel.exists(dir.slimModelDir()) ? SavedModel.spec(dir.slimModelDir()) : spec;
        Map<String, Long> nonZeros;
        try (NDManager manager = NDManager.newBaseManager()) {
            nonZeros = FlopCounter.nonZeros(SavedModel.load(modelDir, manager));
        }
        Flops test = FlopCounter.count(spec, slim, nonZeros);
        TrainingFlops.Result training = TrainingFlops.of(spec, trajectory(config, history, spec), config.batchSize());
        return new RunFlops(config.model(), config.method(), spec.inputSize(), test, training);
    }

    /**
     * One interval per epoch: its steps, those that grew weights by dense gradient, and the
     * non-zeros and widths at the epoch's end.
     *
     * @param spec the run's full-width architecture
     */
    static List<TrainingFlops.Interval> trajectory(TrainConfig config, List<EpochMetrics> history, NetSpec spec) {
        TrainConfig c = config.resolved();
        DstMethod method = c.dstMethod();
        DstUpdater updater = method.growsByGradient()
                ? MethodRegistry.updater(RunConfig.from(c).method(), new TrainingPlan(c.epochs(), (int) history.get(0).step(), c.seed()))
                : null;
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (MaskableWeight w : Network.build(spec).maskableWeights()) {
            sizes.put(w.name(), w.size());
        }
        List<TrainingFlops.Interval> out = new ArrayList<>();
        long previous = 0;
        for (EpochMetrics e : history) {
            if (e.step() <= previous) {
                throw new ChaseException("metrics.jsonl is inconsistent: epoch " + e.epoch() + " ends at step " + e.step()
                        + ", not after step " + previous);
            }
            long gradientSteps = 0;
            for (long t = previous + 1; updater != null && t <= e.step(); t++) {
                if (updater.updatesAt(t)) {
                    gradientSteps++;
                }
            }
            SparsityMetrics s = e.sparsity();
            Map<String, Long> nonZeros = sizes;
            Map<String, Integer> widths = Map.of();
            if (s != null) {
                nonZeros = new LinkedHashMap<>();
                for (Map.Entry<String, Double> layer : s.layers().entrySet()) {
                    Long size = sizes.get(layer.getKey());
                    if (size == null) {
                        throw new ChaseException("metrics.jsonl names a layer " + layer.getKey() + " that " + c.model() + " does not have");
                    }
                    nonZeros.put(layer.getKey(), Math.round(layer.getValue() * size));
                }
                widths = s.channels() == null ? Map.of() : s.channels().widths();
            }
            out.add(new TrainingFlops.Interval(e.step() - previous, gradientSteps, nonZeros, widths));
            previous = e.step();
        }
        return out;
    }
}
