package dev.chase.cli;

import dev.chase.config.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The flags that make up a {@link TrainConfig}. Their long names are the config's JSON keys and
 * the recipe keys; defaults come from {@link TrainConfig#defaults()} through the command's default
 * provider, so there is one source of defaults.
 */
final class TrainOptions {
    @Option(names = "--model", paramLabel = "NAME", description = "Architecture: ${COMPLETION-CANDIDATES}; or graph:FILE (graph JSON), onnx:FILE. Default: ${DEFAULT-VALUE}.",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--width", paramLabel = "X", description = "Width multiplier for every layer, in (0, 4]. Default: ${DEFAULT-VALUE}.")
    double width;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Dataset: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = DatasetNames.class)
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder with the dataset files (default: the dataset's cache folder).")
    String dataDir;

    @Option(names = "--download", paramLabel = "BOOL", arity = "0..1", description = "Download CIFAR if it is missing. Default: ${DEFAULT-VALUE}.")
    boolean download;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Training minibatch size. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--eval-batch-size", paramLabel = "N", description = "Evaluation minibatch size. Default: ${DEFAULT-VALUE}.")
    int evalBatchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Base learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--momentum", paramLabel = "X", description = "SGD momentum (no Nesterov). Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "X", description = "L2 weight decay on every parameter. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--lr-schedule", paramLabel = "NAME", description = "step (x0.1 at 50%% and 75%% of training) or cosine. Default: ${DEFAULT-VALUE}.")
    String lrSchedule;

    @Option(names = "--warmup-epochs", paramLabel = "X", description = "Linear warm-up epochs (cosine schedule only). Default: ${DEFAULT-VALUE}.")
    double warmupEpochs;

    @Option(names = "--label-smoothing", paramLabel = "X", description = "Label smoothing of the loss, in [0, 1). Default: ${DEFAULT-VALUE}.")
    double labelSmoothing;

    @Option(names = "--method", paramLabel = "NAME", description = "Training method: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = MethodNames.class)
    String method;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for initialisation, data order and augmentation. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--density", paramLabel = "X",
            description = "Sparse methods: overall density d of conv and linear weights, in (0, 1]. Default: 0.1.")
    Double density;

    @Option(names = "--distribution", paramLabel = "NAME", description = "Sparse methods: per-layer densities, erk or uniform. Default: erk.")
    String distribution;

    @Option(names = "--mask-init", paramLabel = "NAME",
            description = "Sparse methods: exact (exact count per layer) or bernoulli (as the reference). Default: exact.")
    String maskInit;

    @Option(names = "--update-interval", paramLabel = "N", description = "set, rigl, mest: iterations between mask updates. Default: 100.")
    Integer updateInterval;

    @Option(names = "--update-fraction", paramLabel = "X",
            description = "set, rigl: fraction of active weights swapped at the first update, decayed by cosine. Default: 0.3.")
    Double updateFraction;

    @Option(names = "--update-end", paramLabel = "X", description = "set, rigl: fraction of training after which masks stay fixed. Default: 0.75.")
    Double updateEnd;

    @Option(names = "--scope", paramLabel = "NAME", description = "set, rigl: rank weights per layer or over all layers (global). Default: layer.")
    String scope;

    @Option(names = "--death-rate", paramLabel = "X",
            description = "mest: peak p0 of the soft-bound excess, as a fraction of the dense weight count. Default: 0.05.")
    Double deathRate;

    @Option(names = "--soft-bound-end", paramLabel = "EPOCH",
            description = "mest: epoch at which the soft bound ends and the final phase starts. Default: 130/160 of the epochs.")
    Integer softBoundEnd;

    @Option(names = "--final-phase", paramLabel = "BOOL", arity = "0..1",
            description = "mest: keep swapping weights at the hard budget after the soft bound. Default: true.")
    Boolean finalPhase;

    @Option(names = "--channel-sparsity", paramLabel = "X",
            description = "chase: final channel sparsity S_c over the prunable channel groups, in [0, 1). Default: 0.5.")
    Double channelSparsity;

    @Option(names = "--min-ratio", paramLabel = "X",
            description = "chase: beta; a group keeps at least floor(width*(1-S_c)*beta) channels (S_c = 1-sqrt(F) with a target). Default: 0.2.")
    Double minRatio;

    @Option(names = "--channel-interval", paramLabel = "N", description = "chase: iterations between channel events. Default: 4 update intervals.")
    Integer channelInterval;

    @Option(names = "--channel-end", paramLabel = "EPOCH", description = "chase: epoch at which channel pruning ends. Default: the soft-bound end.")
    Integer channelEnd;

    @Option(names = "--channel-score", paramLabel = "NAME", description = "chase: umm, active-mean or density. Default: umm.")
    String channelScore;

    @Option(names = "--channel-schedule", paramLabel = "NAME", description = "chase: cubic or cosine ramp of the channel sparsity. Default: cubic.")
    String channelSchedule;

    @Option(names = "--prune-skip", paramLabel = "BOOL", arity = "0..1",
            description = "chase: also prune residual-stream channels (ResNets only). Default: false.")
    Boolean pruneSkip;

    @Option(names = "--round-to", paramLabel = "K", description = "chase: keep widths multiples of K where the floor allows. Default: 1 (off).")
    Integer roundTo;

    @Option(names = "--shrink-during-training", paramLabel = "BOOL", arity = "0..1",
            description = "chase: after each channel event, continue on the physically narrower network (same channel and mask "
                + "decisions as masking, up to float rounding; cheaper steps). Default: true; false masks removed channels until the end.")
    Boolean shrinkDuringTraining;

    @Option(names = "--target-flops", paramLabel = "F",
            description = "chase: instead of --channel-sparsity, remove channels until the dense FLOPs of the live network are F of "
                + "the dense network's (dense-of-slim), cheapest score per FLOP saved first, on the same gradual schedule; in (0, 1].")
    Double targetFlops;

    @Option(names = "--target-latency", paramLabel = "L",
            description = "chase: like --target-flops, with the predicted batch-128 latency of a measured table (built and cached "
                + "on first use, see chase profile-latency); in (0, 1].")
    Double targetLatency;

    @Option(names = "--latency-table", paramLabel = "FILE",
            description = "chase with --target-latency: the latency table to use (built there if missing). Default: the cached one.")
    String latencyTable;

    @Option(names = "--init-from-onnx", description = "With --model onnx:FILE: start from the file's weights (the convolutions"
            + " reading a 1-channel image get their filters summed over the file's channels; a classifier for other classes is"
            + " drawn) instead of drawn ones.")
    Boolean initFromOnnx;

    TrainConfig toConfig() {
        return new TrainConfig(model, width, initFromOnnx, dataset, dataDir, download, epochs, batchSize, evalBatchSize, lr, momentum,
                weightDecay, lrSchedule, warmupEpochs, labelSmoothing, method, seed, density, distribution, maskInit,
                updateInterval, updateFraction, updateEnd, scope, deathRate, softBoundEnd, finalPhase, channelSparsity, minRatio,
                channelInterval, channelEnd, channelScore, channelSchedule, pruneSkip, roundTo, shrinkDuringTraining, targetFlops,
                targetLatency, latencyTable);
    }

    /** Completion candidates for --model. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return dev.chase.model.NetSpecs.names().iterator();
        }
    }

    /** Completion candidates for --dataset. */
    static final class DatasetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return dev.chase.data.DataCatalog.names().iterator();
        }
    }

    /** Completion candidates for --method. */
    static final class MethodNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return dev.chase.config.DstMethod.names().iterator();
        }
    }
}
