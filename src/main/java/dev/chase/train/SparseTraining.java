package dev.chase.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.chase.model.MaskableWeight;
import dev.chase.model.Network;
import dev.chase.sparse.DstMethod;
import dev.chase.sparse.DstUpdater;
import dev.chase.sparse.MaskSampling;
import dev.chase.sparse.MaskedTensor;
import dev.chase.sparse.MestUpdater;
import dev.chase.sparse.PruneRegrowUpdater;
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
 */
public final class SparseTraining implements StepHook, AutoCloseable {
    private static final String MASK = "mask/";
    private static final String EVER = "ever-active/";

    private final NDManager manager;
    private final SparseModel model;
    private final DstUpdater updater;
    private final Map<String, Parameter> weights = new LinkedHashMap<>();
    private final Map<String, String> optimizerKeys = new LinkedHashMap<>();
    private final Sgd sgd;
    private Map<String, NDArray> gradients;
    private DstUpdater.Update lastUpdate;

    private SparseTraining(NDManager manager, SparseModel model, DstUpdater updater, Network network, Sgd sgd) {
        this.manager = manager;
        this.model = model;
        this.updater = updater;
        this.sgd = sgd;
        Map<Parameter, String> keys = new IdentityHashMap<>();
        network.block().getParameters().forEach(p -> keys.put(p.getValue(), p.getKey()));
        for (MaskableWeight w : network.maskableWeights()) {
            weights.put(w.name(), w.parameter());
            optimizerKeys.put(w.name(), keys.get(w.parameter()));
        }
    }

    /**
     * Starts sparse training of an initialised network: draws masks and zeroes masked weights.
     *
     * @param config a resolved config of a sparse method
     * @param stepsPerEpoch optimizer steps per epoch (to turn epochs and fractions into steps)
     */
    public static SparseTraining start(NDManager manager, Network network, Sgd sgd, TrainConfig config, int stepsPerEpoch) {
        List<MaskedTensor> tensors = network.maskableWeights().stream().map(w -> new MaskedTensor(w.name(), w.shape())).toList();
        SparsityDistribution distribution = config.distribution().equals("uniform") ? SparsityDistribution.uniform() : SparsityDistribution.erk();
        MaskSampling sampling = config.maskInit().equals("bernoulli") ? MaskSampling.BERNOULLI : MaskSampling.EXACT;
        SparseModel model = SparseModel.create(manager, tensors, distribution, config.density(), sampling, (int) config.seed());
        SparseTraining s = new SparseTraining(manager, model, updater(config, stepsPerEpoch), network, sgd);
        s.model.apply(s.weightArrays(), Map.of());
        return s;
    }

    /** Restores sparse training from checkpoint tensors written by {@link #checkpointTensors()}. */
    public static SparseTraining restore(NDManager manager, Network network, Sgd sgd, TrainConfig config, int stepsPerEpoch,
            Map<String, NDArray> tensors) {
        Map<String, NDArray> masks = new LinkedHashMap<>();
        Map<String, NDArray> ever = new LinkedHashMap<>();
        for (MaskableWeight w : network.maskableWeights()) {
            NDArray m = tensors.get(MASK + w.name());
            NDArray e = tensors.get(EVER + w.name());
            if (m == null || e == null) {
                throw new dev.chase.ChaseException("the checkpoint has no mask for " + w.name() + "; it was not written by a "
                        + config.method() + " run");
            }
            masks.put(w.name(), m);
            ever.put(w.name(), e);
        }
        SparseModel model = SparseModel.restore(manager, masks, ever, config.density());
        return new SparseTraining(manager, model, updater(config, stepsPerEpoch), network, sgd);
    }

    private static DstUpdater updater(TrainConfig c, int stepsPerEpoch) {
        long total = (long) c.epochs() * stepsPerEpoch;
        DstMethod m = c.dstMethod();
        return switch (m) {
            case STATIC -> DstUpdater.STATIC;
            case SET, RIGL -> new PruneRegrowUpdater(m == DstMethod.RIGL, c.scope().equals("global"), c.updateInterval(),
                    c.updateFraction(), Math.max(1, Math.round(c.updateEnd() * total)), c.seed());
            case MEST -> new MestUpdater(c.density(), c.deathRate(), c.updateInterval(), (long) c.softBoundEnd() * stepsPerEpoch,
                    total, c.finalPhase(), c.seed());
            case DENSE -> throw new IllegalArgumentException("dense training has no sparse state");
        };
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
        if (gradients != null) {
            try {
                lastUpdate = updater.update(t, model, w, gradients, momentum);
            } finally {
                gradients.values().forEach(NDArray::close);
                gradients = null;
            }
            model.recordActive();
        }
    }

    public SparseModel model() {
        return model;
    }

    /** The latest mask update, or null before the first. */
    public DstUpdater.Update lastUpdate() {
        return lastUpdate;
    }

    /** Masks and ever-active records, named for a checkpoint. */
    public Map<String, NDArray> checkpointTensors() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        model.masks().masks().forEach((name, m) -> out.put(MASK + name, m));
        model.everActive().forEach((name, e) -> out.put(EVER + name, e));
        return out;
    }

    /** The sparsity part of an epoch's metrics. */
    public SparsityMetrics metrics() {
        long nnz = model.masks().nonZeros();
        return new SparsityMetrics(nnz, model.budget().baseline(), (double) nnz / model.budget().totalParams(),
                (double) nnz / model.masks().size(), model.itopRate(), model.layerDensities());
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
