package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The sparse state of a network during training: the masks of its maskable weights, the budget
 * (B = d·D_tot over the original shapes), and which positions have ever been active (for the
 * in-time over-parameterisation rate). Applying it zeroes masked weights and their momentum.
 *
 * <p>The state can follow its network onto a physically narrower one ({@link #narrow}): masks and
 * records are sliced, while the budget, the layer densities and the in-time over-parameterisation
 * rate keep counting against the original tensors, so they read the same as on the masked network.
 */
public final class SparseModel implements AutoCloseable {
    private final NDManager manager;
    private MaskSet masks;
    private final Budget budget;
    private final Map<String, Long> originalSizes;
    private final Map<String, NDArray> everActive;
    private final Map<String, NDArray> structural = new LinkedHashMap<>();
    private long everActiveRemoved;

    private SparseModel(NDManager manager, MaskSet masks, double density, List<MaskedTensor> original,
            Map<String, NDArray> everActive, long everActiveRemoved) {
        this.manager = manager;
        this.masks = masks;
        Map<String, Long> sizes = new LinkedHashMap<>();
        original.forEach(t -> sizes.put(t.name(), t.size()));
        if (!sizes.keySet().equals(new LinkedHashSet<>(masks.names()))) {
            throw new IllegalArgumentException("masks for " + masks.names() + " but original tensors " + sizes.keySet());
        }
        this.originalSizes = sizes;
        this.budget = new Budget(sizes.values().stream().mapToLong(Long::longValue).sum(), density);
        this.everActive = everActive;
        this.everActiveRemoved = everActiveRemoved;
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
        return new SparseModel(manager, masks, density, tensors, ever, 0);
    }

    /**
     * Restores a state saved with {@link #masks()}, {@link #everActive()} and {@link
     * #everActiveRemoved()} (from a checkpoint).
     *
     * @param original the masked tensors of the original network (names and shapes before any narrowing)
     * @param masks the masks, shaped like the (possibly narrower) network's weights
     */
    public static SparseModel restore(NDManager parent, List<MaskedTensor> original, Map<String, NDArray> masks,
            Map<String, NDArray> everActive, double density, long everActiveRemoved) {
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
        return new SparseModel(manager, set, density, original, ever, everActiveRemoved);
    }

    /**
     * A float32 copy that owns its memory. (DJL's {@code toType(sameType, true)} returns an alias on
     * the PyTorch engine, which outlives nothing: arrays decoded from a checkpoint point into a
     * buffer that is freed with them.)
     */
    private static NDArray floatCopy(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.duplicate() : a.toType(DataType.FLOAT32, false);
    }

    /** The masks; {@link #narrow} replaces them, so do not keep the set across it. */
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

    /** Positions that had been active once and were then sliced away by {@link #narrow}. */
    public long everActiveRemoved() {
        return everActiveRemoved;
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

    /**
     * Follows the network onto a narrower one whose removed positions (whole rows and columns of
     * removed channels) lie outside the masks: masks, ever-active records and structural masks are
     * replaced by their slices. Positions ever active in the removed part stay counted in the
     * in-time over-parameterisation rate; the budget keeps D_tot of the original network. Structural
     * masks left without zeros restrict nothing any more and are dropped.
     *
     * @param slice for a weight name and a tensor of that weight's current shape, its kept part: a
     *     new array (closed or re-attached here), or the tensor itself when nothing is removed
     */
    public void narrow(BiFunction<String, NDArray, NDArray> slice) {
        Map<String, NDArray> sliced = new LinkedHashMap<>();
        try (NDManager scratch = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : masks.masks().entrySet()) {
                NDArray kept = slice.apply(e.getKey(), e.getValue());
                if (kept != e.getValue()) {
                    kept.attach(scratch);
                }
                sliced.put(e.getKey(), kept);
            }
            MaskSet narrower = MaskSet.of(manager, sliced);
            masks.close();
            masks = narrower;
        }
        for (Map.Entry<String, NDArray> e : everActive.entrySet()) {
            NDArray old = e.getValue();
            NDArray kept = slice.apply(e.getKey(), old);
            if (kept != old) {
                kept.attach(manager);
                everActiveRemoved += count(old) - count(kept);
                e.setValue(kept);
                old.close();
            }
        }
        for (String name : List.copyOf(structural.keySet())) {
            NDArray old = structural.get(name);
            NDArray kept = slice.apply(name, old);
            if (kept != old) {
                kept.attach(manager);
                old.close();
            }
            try (NDArray zeros = kept.eq(0)) {
                if (count(zeros) == 0) {
                    structural.remove(name);
                    kept.close();
                } else {
                    structural.put(name, kept);
                }
            }
        }
    }

    private static long count(NDArray a) {
        try (NDArray n = a.countNonzero()) {
            return n.getLong();
        }
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

    /** In-time over-parameterisation rate: fraction of all weight positions (of the original network) ever active. */
    public double itopRate() {
        long ever = everActiveRemoved;
        for (NDArray e : everActive.values()) {
            ever += count(e);
        }
        return (double) ever / budget.totalParams();
    }

    /** Density of every masked tensor (active / its original size), in layer order. */
    public Map<String, Double> layerDensities() {
        Map<String, Double> out = new LinkedHashMap<>();
        masks.nonZerosPerTensor().forEach((name, nnz) -> out.put(name, (double) nnz / originalSizes.get(name)));
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
