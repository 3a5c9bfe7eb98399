package dev.chase.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.chase.FaultPoint;
import dev.chase.channel.ChannelController;
import dev.chase.channel.ConvChannels;
import dev.chase.channel.Shrinker;
import dev.chase.config.MethodConfig;
import dev.chase.config.PruneAndRegrow;
import dev.chase.config.RunConfig;
import dev.chase.config.SoftBound;
import dev.chase.config.Sparsity;
import dev.chase.config.Static;
import dev.chase.method.ChannelContext;
import dev.chase.method.MethodRegistry;
import dev.chase.method.TrainingPlan;
import dev.chase.metrics.LatencyModel;
import dev.chase.model.MaskableWeight;
import dev.chase.model.Network;
import dev.chase.run.EpochMetrics;
import dev.chase.run.SparsityMetrics;
import dev.chase.run.TrainingState;
import dev.chase.sparse.DstUpdater;
import dev.chase.sparse.MaskSampling;
import dev.chase.sparse.MaskedTensor;
import dev.chase.sparse.SparseModel;
import dev.chase.sparse.SparsityDistribution;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connects a {@link SparseModel} and a {@link DstUpdater} to the training loop: after every
 * optimizer step masked weights and their momentum are zeroed; at update steps the dense gradients
 * of the minibatch are copied before the optimizer clears them, and the updater prunes and grows.
 *
 * <p>With Chase it also runs the channel events, and, when the run shrinks while training, moves
 * the whole state onto the physically narrower network after each event ({@link #narrow}).
 */
public final class SparseTraining implements StepHook, AutoCloseable {

    private final NDManager manager;
    private final SparseModel model;
    private final DstUpdater updater;
    private final Sgd sgd;
    private final ChannelController channels;
    private final boolean shrinkDuringTraining;
    private final Network original;
    private final List<String> prunableGroups;
    private Network network;
    private final Map<String, Parameter> weights = new LinkedHashMap<>();
    private final Map<String, String> optimizerKeys = new LinkedHashMap<>();
    private final Map<Parameter, String> parameterKeys = new IdentityHashMap<>();
    private Map<String, NDArray> gradients;
    private DstUpdater.Update lastUpdate;
    private final List<EpochMetrics.MaskUpdate> updatesSinceDrain = new java.util.ArrayList<>();

    private SparseTraining(NDManager manager, SparseModel model, DstUpdater updater, Network network, Sgd sgd,
            ChannelController channels, RunConfig config, Network original) {
        this.manager = manager;
        this.original = original;
        this.prunableGroups = ChannelController.prunableGroups(original, pruneSkip(config.method())).stream()
                .map(dev.chase.graph.ChannelGroup::name).toList();
        this.model = model;
        this.updater = updater;
        this.sgd = sgd;
        this.channels = channels;
        this.shrinkDuringTraining = channels != null && ((SoftBound) config.method()).channels().shrinkDuringTraining();
        bind(network);
    }

    /** Points the weight and optimizer lookups at {@code net}'s parameters. */
    private void bind(Network net) {
        network = net;
        weights.clear();
        optimizerKeys.clear();
        parameterKeys.clear();
        net.block().getParameters().forEach(p -> parameterKeys.put(p.getValue(), p.getKey()));
        for (MaskableWeight w : net.maskableWeights()) {
            weights.put(w.name(), w.parameter());
            optimizerKeys.put(w.name(), parameterKeys.get(w.parameter()));
        }
    }

    /**
     * Starts sparse training of an initialised network: draws masks and zeroes masked weights.
     *
     * @param config a resolved config of a sparse method
     * @param stepsPerEpoch optimizer steps per epoch (to turn epochs and fractions into steps)
     * @param latency the latency model of a Chase run with a latency budget, else null
     */
    public static SparseTraining start(NDManager manager, Network network, Sgd sgd, RunConfig config, int stepsPerEpoch,
            LatencyModel latency) {
        Sparsity sparsity = sparsity(config.method());
        SparsityDistribution distribution = sparsity.distribution() == Sparsity.Distribution.UNIFORM
                ? SparsityDistribution.uniform() : SparsityDistribution.erk();
        MaskSampling sampling = sparsity.maskInit() == Sparsity.MaskInit.BERNOULLI ? MaskSampling.BERNOULLI : MaskSampling.EXACT;
        TrainingPlan plan = plan(config, stepsPerEpoch);
        ChannelController channels = MethodRegistry.channels(config.method(), plan, ChannelContext.fresh(network, latency));
        SparseModel model = SparseModel.create(manager, maskedTensors(network), distribution, sparsity.density(), sampling,
                (int) config.optimisation().seed());
        SparseTraining s = new SparseTraining(manager, model, MethodRegistry.updater(config.method(), plan), network, sgd,
                channels, config, network);
        s.model.apply(s.weightArrays(), Map.of());
        return s;
    }

    /**
     * Restores sparse training from a checkpoint's state ({@link #state}).
     *
     * @param config the run's resolved config
     * @param original the network as configured (only its structure is read)
     * @param network the network that trains, loaded from the checkpoint (narrower than {@code
     *     original} if the run shrinks while training and has removed channels)
     * @param state the checkpoint's sparse state, or null if it has none
     * @param latency the latency model of a Chase run with a latency budget, else null
     */
    public static SparseTraining restore(NDManager manager, Network original, Network network, Sgd sgd, RunConfig config,
            int stepsPerEpoch, TrainingState.Masks state, LatencyModel latency) {
        Map<String, NDArray> masks = new LinkedHashMap<>();
        Map<String, NDArray> ever = new LinkedHashMap<>();
        for (MaskableWeight w : network.maskableWeights()) {
            NDArray m = state == null ? null : state.masks().get(w.name());
            NDArray e = state == null ? null : state.everActive().get(w.name());
            if (m == null || e == null) {
                throw new dev.chase.ChaseException("the checkpoint has no mask for " + w.name() + "; it was not written by a "
                        + config.dstMethod().name().toLowerCase(java.util.Locale.ROOT) + " run");
            }
            if (!m.getShape().equals(w.shape()) || !e.getShape().equals(w.shape())) {
                throw new dev.chase.ChaseException("the checkpoint's mask for " + w.name() + " has shape " + m.getShape()
                        + " (ever-active " + e.getShape() + "), the weight " + w.shape());
            }
            masks.put(w.name(), m);
            ever.put(w.name(), e);
        }
        TrainingPlan plan = plan(config, stepsPerEpoch);
        ChannelController channels = null;
        if (config.dstMethod().prunesChannels()) {
            state.alive().forEach((group, a) -> {
                int width = original.channelGroups().stream().filter(g -> g.name().equals(group)).mapToInt(g -> g.width())
                        .findFirst().orElse(-1);
                if (a.length != width) {
                    throw new dev.chase.ChaseException("the checkpoint's alive vector " + group + " has " + a.length + " channels"
                            + (width < 0 ? ", but this network has no such channel group" : ", the group " + width));
                }
            });
            channels = MethodRegistry.channels(config.method(), plan, new ChannelContext(original, network, state.alive(), latency));
        }
        long everRemoved = state.everActiveRemoved();
        SparseModel model = SparseModel.restore(manager, maskedTensors(original), masks, ever, sparsity(config.method()).density(),
                everRemoved);
        SparseTraining s = new SparseTraining(manager, model, MethodRegistry.updater(config.method(), plan), network, sgd,
                channels, config, original);
        if (channels != null && channels.holdsRemovedChannels()) {
            try (NDManager tmp = manager.newSubManager()) {
                model.restrictTo(dev.chase.channel.StructuralMasks.of(tmp, network, channels.live().toLive(channels.alive())));
            }
        }
        return s;
    }

    private static TrainingPlan plan(RunConfig config, int stepsPerEpoch) {
        return new TrainingPlan(config.optimisation().epochs(), stepsPerEpoch, config.optimisation().seed());
    }

    /** The initial mask options of a sparse method. */
    private static Sparsity sparsity(MethodConfig method) {
        if (method instanceof Static s) {
            return s.sparsity();
        }
        if (method instanceof PruneAndRegrow p) {
            return p.sparsity();
        }
        if (method instanceof SoftBound b) {
            return b.sparsity();
        }
        throw new IllegalArgumentException("dense training has no sparse state");
    }

    private static List<MaskedTensor> maskedTensors(Network network) {
        return network.maskableWeights().stream().map(w -> new MaskedTensor(w.name(), w.shape())).toList();
    }

    /** Whether the run removes channels with prune-skip, so residual streams count as prunable. */
    private static boolean pruneSkip(MethodConfig method) {
        return method instanceof SoftBound b && b.channels() != null && b.channels().pruneSkip();
    }

    @Override
    public void beforeUpdate(long t) {
        if (!updater.updatesAt(t)) {
            return;
        }
        gradients = new LinkedHashMap<>();
        weights.forEach((name, p) -> {
            try (NDArray g = p.getArray().getGradient()) {
                NDArray copy = g.duplicate();
                copy.attach(manager);
                gradients.put(name, copy);
            }
        });
    }

    @Override
    public void afterUpdate(long t) {
        Map<String, NDArray> w = weightArrays();
        Map<String, NDArray> momentum = momentum();
        model.apply(w, momentum);
        if (channels != null) {
            channels.zeroDeadBiases(p -> sgd.buffer(parameterKeys.get(p)));
            if (channels.isEvent(t)) {
                channels.prune(t, model, w, manager);
                model.apply(w, momentum);
                FaultPoint.reach("channel-event");
            }
        }
        if (gradients != null) {
            try {
                lastUpdate = updater.update(t, model, w, gradients, momentum);
                updatesSinceDrain.add(EpochMetrics.MaskUpdate.of(t, lastUpdate));
            } finally {
                gradients.values().forEach(NDArray::close);
                gradients = null;
            }
            model.recordActive();
            FaultPoint.reach("mask-update");
        }
    }

    public SparseModel model() {
        return model;
    }

    /**
     * Whether the run shrinks while training and the last channel event removed channels that the
     * network still holds: then {@link #narrow} is due before the next step.
     */
    public boolean narrowingDue() {
        return shrinkDuringTraining && channels.holdsRemovedChannels();
    }

    /**
     * Shrink while training: builds the network without the channels removed since the network was
     * last narrowed ({@link Shrinker}: weights, biases, BatchNorm affine parameters and running
     * statistics of the kept channels) and moves the run's state onto it: momentum buffers and
     * masks, ever-active records and structural masks are sliced alike, and the budget, the
     * in-time over-parameterisation count and the alive vectors keep referring to the original
     * network. From now on the old network is no longer used; the caller closes it and trains the
     * returned one.
     *
     * @param target owns the new network's parameters
     */
    public Network narrow(NDManager target) {
        Shrinker shrinker = Shrinker.of(network, channels.keptPositions());
        Network narrower = shrinker.shrinkNetwork(target);
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        network.block().getParameters().forEach(p -> parameters.put(p.getKey(), p.getValue()));
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> momentum = new LinkedHashMap<>();
            sgd.buffers().forEach((key, buffer) -> momentum.put(key, shrinker.slice(parameters.get(key), buffer, scratch)));
            sgd.restore(momentum);
            model.narrow((name, tensor) -> shrinker.slice(name, "weight", tensor, scratch));
        }
        channels.narrowedTo(narrower);
        bind(narrower);
        return narrower;
    }

    /** Chase's channel pruning, or null for methods that keep every channel. */
    public ChannelController channels() {
        return channels;
    }

    /** The mask updates since the last call (for the epoch's metrics), in order. */
    List<EpochMetrics.MaskUpdate> drainUpdates() {
        List<EpochMetrics.MaskUpdate> out = List.copyOf(updatesSinceDrain);
        updatesSinceDrain.clear();
        return out;
    }

    /** The latest mask update, or null before the first. */
    public DstUpdater.Update lastUpdate() {
        return lastUpdate;
    }

    /**
     * The sparse part of a checkpoint: masks, ever-active records (with the count of those sliced
     * away) and alive vectors, borrowed from the running state.
     */
    public TrainingState.Masks state() {
        return new TrainingState.Masks(model.masks().masks(), model.everActive(), model.everActiveRemoved(),
                channels == null ? Map.of() : channels.alive());
    }

    /** The sparsity part of an epoch's metrics. */
    public SparsityMetrics metrics() {
        long nnz = model.masks().nonZeros();
        long live = model.masks().size();
        if (!model.structural().isEmpty()) {
            live = 0;
            for (String name : model.masks().names()) {
                NDArray f = model.structural().get(name);
                if (f == null) {
                    live += model.masks().shape(name).size();
                } else {
                    try (NDArray n = f.countNonzero()) {
                        live += n.getLong();
                    }
                }
            }
        }
        return new SparsityMetrics(nnz, model.budget().baseline(), (double) nnz / model.budget().totalParams(),
                (double) nnz / live, model.itopRate(), model.layerDensities(),
                channels == null ? null : new SparsityMetrics.Channels(channels.channelSparsity(), channels.allChannelSparsity(),
                        channels.widths(), channels.costFraction()),
                convChannels());
    }

    private Map<String, SparsityMetrics.ConvLayer> convChannels() {
        Map<String, SparsityMetrics.ConvLayer> out = new LinkedHashMap<>();
        for (ConvChannels c : measureConvs()) {
            out.put(c.layer(), SparsityMetrics.ConvLayer.of(c));
        }
        return out;
    }

    /** Every masked conv's channels now (algorithm §9.3): densities, UMM, alive. */
    public List<ConvChannels> measureConvs() {
        return ConvChannels.measure(original, channels == null ? null : channels.live(), weightArrays(), model.masks().masks(),
                channels == null ? Map.of() : channels.alive(), prunableGroups);
    }

    private Map<String, NDArray> weightArrays() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        weights.forEach((name, p) -> out.put(name, p.getArray()));
        return out;
    }

    private Map<String, NDArray> momentum() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        optimizerKeys.forEach((name, key) -> {
            NDArray b = sgd.buffer(key);
            if (b != null) {
                out.put(name, b);
            }
        });
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
