package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sparse state of a network during training: the masks of its maskable weights, the budget
 * (B = d·D_tot over the original shapes), and which positions have ever been active (for the
 * in-time over-parameterisation rate). Applying it zeroes masked weights and their momentum.
 */
public final class SparseModel implements AutoCloseable {
    private final NDManager manager;
    private final MaskSet masks;
    private final Budget budget;
    private final Map<String, NDArray> everActive;
    private final Map<String, NDArray> structural = new LinkedHashMap<>();

    private SparseModel(NDManager manager, MaskSet masks, Budget budget, Map<String, NDArray> everActive) {
        this.manager = manager;
        this.masks = masks;
        this.budget = budget;
        this.everActive = everActive;
    }

    /**
     * Draws the initial masks.
     *
     * @param seed seeds the engine generator used for sampling
     */
    public static SparseModel create(NDManager parent, List<MaskedTensor> tensors, SparsityDistribution distribution,
            double density, MaskSampling sampling, int seed) {
        DensityAllocation allocation = distribution.allocate(tensors.stream().map(MaskedTensor::shape).toList(), density);
        NDManager manager = parent.newSubManager();
        MaskSet masks = MaskSet.sample(manager, tensors, allocation, sampling, seed);
        Map<String, NDArray> ever = new LinkedHashMap<>();
        masks.masks().forEach((name, m) -> ever.put(name, m.duplicate()));
        ever.values().forEach(a -> a.attach(manager));
        return new SparseModel(manager, masks, new Budget(allocation.totalParams(), density), ever);
    }

    /** Restores a state saved with {@link #masks()} and {@link #everActive()} (from a checkpoint). */
    public static SparseModel restore(NDManager parent, Map<String, NDArray> masks, Map<String, NDArray> everActive,
            double density) {
        NDManager manager = parent.newSubManager();
        MaskSet set = MaskSet.of(manager, masks);
        Map<String, NDArray> ever = new LinkedHashMap<>();
        for (String name : set.names()) {
            NDArray e = everActive.get(name);
            if (e == null) {
                throw new IllegalArgumentException("no ever-active record for " + name);
            }
            NDArray copy = floatCopy(e);
            copy.attach(manager);
            ever.put(name, copy);
        }
        return new SparseModel(manager, set, new Budget(set.size(), density), ever);
    }

    /**
     * A float32 copy that owns its memory. (DJL's {@code toType(sameType, true)} returns an alias on
     * the PyTorch engine, which outlives nothing: arrays decoded from a checkpoint point into a
     * buffer that is freed with them.)
     */
    private static NDArray floatCopy(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.duplicate() : a.toType(DataType.FLOAT32, false);
    }

    public MaskSet masks() {
        return masks;
    }

    public Budget budget() {
        return budget;
    }

    /** 0/1 tensors: 1 where the position has been active at some point of the run. */
    public Map<String, NDArray> everActive() {
        return everActive;
    }

    /**
     * Structural masks F by tensor name (removed channels' rows and columns are 0); growth never
     * reaches outside them. Empty until channels are removed.
     */
    public Map<String, NDArray> structural() {
        return java.util.Collections.unmodifiableMap(structural);
    }

    /** Replaces the structural masks and restricts the masks to them (M &lt;- M AND F). */
    public void restrictTo(Map<String, NDArray> newStructural) {
        structural.values().forEach(NDArray::close);
        structural.clear();
        newStructural.forEach((name, f) -> {
            NDArray copy = floatCopy(f);
            copy.attach(manager);
            structural.put(name, copy);
        });
        masks.restrictTo(structural);
    }

    /** W *= M and momentum *= M for every masked tensor. */
    public void apply(Map<String, NDArray> weights, Map<String, NDArray> momentum) {
        masks.applyToWeights(weights);
        masks.applyToOptional(momentum);
    }

    /** Adds the currently active positions to the ever-active record. */
    public void recordActive() {
        for (String name : masks.names()) {
            NDArray old = everActive.get(name);
            NDArray updated = old.maximum(masks.mask(name));
            updated.attach(manager);
            everActive.put(name, updated);
            old.close();
        }
    }

    /** In-time over-parameterisation rate: fraction of all weight positions ever active. */
    public double itopRate() {
        long ever = 0;
        for (NDArray e : everActive.values()) {
            try (NDArray n = e.countNonzero()) {
                ever += n.getLong();
            }
        }
        return (double) ever / budget.totalParams();
    }

    /** Density of every masked tensor (active / its size), in layer order. */
    public Map<String, Double> layerDensities() {
        Map<String, Double> out = new LinkedHashMap<>();
        masks.nonZerosPerTensor().forEach((name, nnz) -> out.put(name, (double) nnz / masks.shape(name).size()));
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
