package dev.chase.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chase.ChaseException;
import dev.chase.Require;
import dev.chase.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything that determines the result of a training run. It is saved as {@code config.json} in
 * the run directory with the same kebab-case keys as the command-line flags and recipe files, so a
 * saved config is itself a valid recipe.
 *
 * <p>The sparse-training options are null when not given; {@link #resolved()} fills in the
 * defaults of the chosen method, and giving an option to a method that does not use it is an
 * error (see {@link DstMethod}).
 *
 * @param model architecture name (see {@code NetSpecs.names()})
 * @param width width multiplier applied to every layer
 * @param initFromOnnx an {@code onnx:FILE} model: start from the file's weights instead of drawn ones (null or false: drawn)
 * @param dataset dataset name (see {@code DataCatalog})
 * @param dataDir folder holding the dataset files, or null for the dataset's default place
 * @param download whether a missing downloadable dataset may be fetched
 * @param epochs number of passes over the training set
 * @param batchSize training minibatch size
 * @param evalBatchSize minibatch size for evaluation
 * @param lr base learning rate
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay, applied to every parameter as in the reference
 * @param lrSchedule {@code step} or {@code cosine}
 * @param warmupEpochs linear warm-up length for the cosine schedule
 * @param labelSmoothing label smoothing of the cross-entropy loss
 * @param method training method: {@code dense}, {@code static}, {@code set}, {@code rigl}, {@code mest}
 * @param seed drives initialisation, masks, data order and augmentation
 * @param density target overall density d of the maskable weights (sparse methods)
 * @param distribution per-layer density distribution: {@code erk} or {@code uniform}
 * @param maskInit initial mask sampling: {@code exact} (exact count per layer) or {@code bernoulli}
 * @param updateInterval iterations between mask updates (ΔT_p)
 * @param updateFraction SET/RigL: fraction of active weights swapped at the first update (alpha)
 * @param updateEnd SET/RigL: fraction of training after which masks stop changing
 * @param scope SET/RigL: rank weights per layer ({@code layer}) or over all layers ({@code global})
 * @param deathRate MEST: peak p0 of the soft-bound excess, as a fraction of the dense count
 * @param softBoundEnd MEST: epoch at which the soft bound ends (T_dst), after which the final phase starts
 * @param finalPhase MEST: keep swapping weights at a hard budget after the soft bound ends
 * @param channelSparsity Chase: final channel sparsity S_c over the prunable channel groups
 * @param minRatio Chase: β, a group keeps at least floor(width·(1-S_c)·β) channels
 * @param channelInterval Chase: iterations between channel-pruning events (ΔT)
 * @param channelEnd Chase: epoch at which channel pruning ends (E_c)
 * @param channelScore Chase: channel score, {@code umm}, {@code active-mean} or {@code density}
 * @param channelSchedule Chase: {@code cubic} or {@code cosine} ramp of the channel sparsity
 * @param pruneSkip Chase: also prune the channels of residual streams (the "prune skip" variant)
 * @param roundTo Chase: keep each group's width a multiple of this where its floor allows (1 = off)
 * @param shrinkDuringTraining Chase: after each channel event, continue on the physically narrower network
 *     (same decisions as masking the removed channels, cheaper steps)
 * @param targetFlops Chase: instead of S_c, the final dense FLOPs of the live structure as a fraction of the dense network's
 * @param targetLatency Chase: instead of S_c, the final predicted latency of the live structure as a fraction of the dense
 *     network's
 * @param latencyTable Chase with {@code targetLatency}: the latency table file (null: the cached table of the model)
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainConfig(
        String model,
        double width,
        Boolean initFromOnnx,
        String dataset,
        String dataDir,
        boolean download,
        int epochs,
        int batchSize,
        int evalBatchSize,
        double lr,
        double momentum,
        double weightDecay,
        String lrSchedule,
        double warmupEpochs,
        double labelSmoothing,
        String method,
        long seed,
        Double density,
        String distribution,
        String maskInit,
        Integer updateInterval,
        Double updateFraction,
        Double updateEnd,
        String scope,
        Double deathRate,
        Integer softBoundEnd,
        Boolean finalPhase,
        Double channelSparsity,
        Double minRatio,
        Integer channelInterval,
        Integer channelEnd,
        String channelScore,
        String channelSchedule,
        Boolean pruneSkip,
        Integer roundTo,
        Boolean shrinkDuringTraining,
        Double targetFlops,
        Double targetLatency,
        String latencyTable) {

    /**
     * Checks the flat form's own rules (names given, no option the method does not use, one channel
     * budget), then every range and name through the typed form ({@link RunConfig#from}), so each
     * rule is written once, in the typed part it belongs to, with the command line's message.
     */
    public TrainConfig(String model, double width, Boolean initFromOnnx, String dataset, String dataDir, boolean download,
            int epochs, int batchSize, int evalBatchSize, double lr, double momentum, double weightDecay, String lrSchedule,
            double warmupEpochs, double labelSmoothing, String method, long seed, Double density, String distribution,
            String maskInit, Integer updateInterval, Double updateFraction, Double updateEnd, String scope, Double deathRate,
            Integer softBoundEnd, Boolean finalPhase, Double channelSparsity, Double minRatio, Integer channelInterval,
            Integer channelEnd, String channelScore, String channelSchedule, Boolean pruneSkip, Integer roundTo,
            Boolean shrinkDuringTraining, Double targetFlops, Double targetLatency, String latencyTable) {
        Require.that(model != null && !model.isBlank(), "model must be given");
        Require.that(dataset != null && !dataset.isBlank(), "dataset must be given");
        refuseUnusedOptions(DstMethod.parse(method), density, distribution, maskInit, updateInterval, updateFraction, updateEnd, scope,
                deathRate, softBoundEnd, finalPhase, channelSparsity, minRatio, channelInterval, channelEnd, channelScore,
                channelSchedule, pruneSkip, roundTo, shrinkDuringTraining, targetFlops, targetLatency, latencyTable);
        Require.that((channelSparsity != null ? 1 : 0) + (targetFlops != null ? 1 : 0) + (targetLatency != null ? 1 : 0) <= 1,
                "--channel-sparsity, --target-flops and --target-latency are alternative channel budgets; give only one of them");
        Require.that(latencyTable == null || targetLatency != null, "--latency-table is only used with --target-latency");
        this.model = model; this.width = width; this.initFromOnnx = initFromOnnx; this.dataset = dataset;
        this.dataDir = dataDir; this.download = download; this.epochs = epochs; this.batchSize = batchSize;
        this.evalBatchSize = evalBatchSize; this.lr = lr; this.momentum = momentum; this.weightDecay = weightDecay;
        this.lrSchedule = lrSchedule; this.warmupEpochs = warmupEpochs; this.labelSmoothing = labelSmoothing;
        this.method = method; this.seed = seed; this.density = density; this.distribution = distribution;
        this.maskInit = maskInit; this.updateInterval = updateInterval; this.updateFraction = updateFraction;
        this.updateEnd = updateEnd; this.scope = scope; this.deathRate = deathRate; this.softBoundEnd = softBoundEnd;
        this.finalPhase = finalPhase; this.channelSparsity = channelSparsity; this.minRatio = minRatio;
        this.channelInterval = channelInterval; this.channelEnd = channelEnd; this.channelScore = channelScore;
        this.channelSchedule = channelSchedule; this.pruneSkip = pruneSkip; this.roundTo = roundTo;
        this.shrinkDuringTraining = shrinkDuringTraining; this.targetFlops = targetFlops; this.targetLatency = targetLatency;
        this.latencyTable = latencyTable;
        RunConfig.from(this);
    }

    /** The reference CIFAR recipe's optimisation settings on ResNet-20 / CIFAR-10, dense. */
    public static TrainConfig defaults() {
        return new TrainConfig("resnet20", 1.0, null, "cifar10", null, false, 160, 128, 256,
                0.1, 0.9, 5e-4, "step", 0, 0, "dense", 41,
                null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The method as an enum. */
    public DstMethod dstMethod() {
        return DstMethod.parse(method);
    }

    /**
     * This config with every option of its method set: unset ones take the method's defaults
     * (density 0.1, ERK, exact mask init, update interval 100, update fraction 0.3 ending at 75% of
     * training, per-layer scope for SET/RigL, p0 0.05 with the soft bound ending after
     * 130/160 of the epochs and the final phase on for MEST and Chase; for Chase S_c 0.5, β 0.2,
     * a channel event every 4 update intervals until the soft bound ends, UMM, cubic, no skip
     * pruning, no rounding, the network shrunk right after each channel event (not masked until the end); S_c only when no
     * --target-flops or --target-latency budget is given).
     */
    public TrainConfig resolved() {
        DstMethod m = dstMethod();
        return new TrainConfig(model, width, initFromOnnx, dataset, dataDir, download, epochs, batchSize, evalBatchSize, lr,
                momentum, weightDecay, lrSchedule, warmupEpochs, labelSmoothing, method, seed,
                m.uses("density") ? or(density, 0.1) : null,
                m.uses("distribution") ? or(distribution, "erk") : null,
                m.uses("mask-init") ? or(maskInit, "exact") : null,
                m.uses("update-interval") ? or(updateInterval, 100) : null,
                m.uses("update-fraction") ? or(updateFraction, 0.3) : null,
                m.uses("update-end") ? or(updateEnd, 0.75) : null,
                m.uses("scope") ? or(scope, "layer") : null,
                m.uses("death-rate") ? or(deathRate, 0.05) : null,
                m.uses("soft-bound-end") ? or(softBoundEnd, Math.max(1, (int) Math.round(epochs * 130.0 / 160))) : null,
                m.uses("final-phase") ? or(finalPhase, Boolean.TRUE) : null,
                m.uses("channel-sparsity") && targetFlops == null && targetLatency == null ? or(channelSparsity, 0.5) : null,
                m.uses("min-ratio") ? or(minRatio, 0.2) : null,
                m.uses("channel-interval") ? or(channelInterval, 4 * or(updateInterval, 100)) : null,
                m.uses("channel-end") ? or(channelEnd, or(softBoundEnd, Math.max(1, (int) Math.round(epochs * 130.0 / 160)))) : null,
                m.uses("channel-score") ? or(channelScore, "umm") : null,
                m.uses("channel-schedule") ? or(channelSchedule, "cubic") : null,
                m.uses("prune-skip") ? or(pruneSkip, Boolean.FALSE) : null,
                m.uses("round-to") ? or(roundTo, 1) : null,
                m.uses("shrink-during-training") ? or(shrinkDuringTraining, Boolean.TRUE) : null,
                targetFlops, targetLatency, latencyTable);
    }

    /**
     * A copy with some keys replaced, e.g. {@code with("method", "rigl", "density", 0.05)}; keys
     * are the config's JSON keys (the long flags without dashes).
     */
    public TrainConfig with(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        ObjectNode tree = Json.MAPPER.valueToTree(this);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tree.set((String) keysAndValues[i], Json.MAPPER.valueToTree(keysAndValues[i + 1]));
        }
        try {
            return Json.MAPPER.treeToValue(tree, TrainConfig.class);
        } catch (java.io.IOException e) {
            // a value the config refuses is said as the command line says it; a value of the wrong type as Jackson saw it
            throw e.getCause() instanceof ChaseException refusal ? refusal : Json.error("config", e);
        }
    }

    private static void refuseUnusedOptions(DstMethod m, Object... values) {
        List<String> keys = DstMethod.allOptions(); // in the order of the record's components, as values are given
        List<String> unused = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (values[i] != null && !m.uses(keys.get(i))) {
                unused.add("--" + keys.get(i));
            }
        }
        if (!unused.isEmpty()) {
            throw new ChaseException("method " + m.name().toLowerCase(Locale.ROOT) + " does not use " + String.join(", ", unused)
                    + (m.options().isEmpty() ? "" : "; its options are: --" + String.join(", --", m.options())));
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

}
