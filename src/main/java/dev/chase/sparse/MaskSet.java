package dev.chase.sparse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unstructured masks M_l of all maskable tensors, by name, in layer order. Masks are
 * float32 tensors of 0/1 with the weight's shape, owned by this set (close it to free them).
 * It applies them in place to weights (W *= M) and momentum buffers, counts non-zeros natively,
 * and takes the decisions of the prune/grow rules ({@link #remove}, {@link #add}). Not
 * thread-safe.
 */
public final class MaskSet implements AutoCloseable {
    private final NDManager manager;
    private final List<MaskedTensor> tensors;
    private final Map<String, NDArray> masks;

    private MaskSet(NDManager manager, List<MaskedTensor> tensors, Map<String, NDArray> masks) {
        this.manager = manager;
        this.tensors = List.copyOf(tensors);
        this.masks = masks;
    }

    /**
     * Draws masks for {@code tensors} with the densities of {@code allocation} (same order).
     * Reseeds the engine's global random generator with {@code seed} first
     * ({@link Engine#setRandomSeed}), then draws the tensors one after the other, so the same
     * seed, tensor list and densities give the same masks.
     */
    public static MaskSet sample(NDManager parent, List<MaskedTensor> tensors, DensityAllocation allocation,
            MaskSampling sampling, int seed) {
        if (allocation.shapes().size() != tensors.size()) {
            throw new IllegalArgumentException(tensors.size() + " tensors but " + allocation.shapes().size()
                    + " densities");
        }
        for (int i = 0; i < tensors.size(); i++) {
            if (!tensors.get(i).shape().equals(allocation.shapes().get(i))) {
                throw new IllegalArgumentException("tensor " + tensors.get(i).name() + " has shape "
                        + tensors.get(i).shape() + " but the allocation has " + allocation.shapes().get(i));
            }
        }
        NDManager manager = parent.newSubManager();
        Map<String, NDArray> masks = new LinkedHashMap<>();
        Engine.getInstance().setRandomSeed(seed);
        for (int i = 0; i < tensors.size(); i++) {
            MaskedTensor t = tensors.get(i);
            NDArray mask;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                if (sampling == MaskSampling.EXACT) {
                    // The positions holding the k smallest values of a random permutation form a
                    // uniformly random k-subset, with no ties to break.
                    mask = manager.randomPermutation(t.size()).lt(allocation.exactCount(i));
                } else {
                    mask = manager.randomUniform(0f, 1f, t.shape()).lt(allocation.density(i));
                }
                mask = mask.reshape(t.shape()).toType(DataType.FLOAT32, false);
                NDScope.unregister(mask);
            }
            masks.put(t.name(), mask);
        }
        return new MaskSet(manager, tensors, masks);
    }

    /** All-ones masks (a dense network). */
    public static MaskSet dense(NDManager parent, List<MaskedTensor> tensors) {
        NDManager manager = parent.newSubManager();
        Map<String, NDArray> masks = new LinkedHashMap<>();
        for (MaskedTensor t : tensors) {
            masks.put(t.name(), manager.ones(t.shape(), DataType.FLOAT32));
        }
        return new MaskSet(manager, tensors, masks);
    }

    /**
     * Copies existing masks (any numeric or boolean type; non-zero means active), e.g. from a
     * checkpoint. The map's iteration order is taken as layer order.
     */
    public static MaskSet of(NDManager parent, Map<String, NDArray> existing) {
        NDManager manager = parent.newSubManager();
        Map<String, NDArray> masks = new LinkedHashMap<>();
        List<MaskedTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : existing.entrySet()) {
            tensors.add(new MaskedTensor(e.getKey(), e.getValue().getShape()));
            NDArray m;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                m = e.getValue().neq(0).toType(DataType.FLOAT32, false);
                NDScope.unregister(m);
            }
            m.attach(manager);
            masks.put(e.getKey(), m);
        }
        return new MaskSet(manager, tensors, masks);
    }

    /** The masked tensors in layer order. */
    public List<MaskedTensor> tensors() {
        return tensors;
    }

    /** Tensor names in layer order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(tensors.size());
        for (MaskedTensor t : tensors) {
            names.add(t.name());
        }
        return names;
    }

    /** The live mask of {@code name} (float32 0/1, owned by this set: do not close it). */
    public NDArray mask(String name) {
        NDArray m = masks.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no mask named " + name + "; masked tensors: " + names());
        }
        return m;
    }

    /** All live masks by name, in layer order (owned by this set). */
    public Map<String, NDArray> masks() {
        return Collections.unmodifiableMap(masks);
    }

    /** The manager that owns the masks; decisions are allocated in sub-managers of it. */
    NDManager manager() {
        return manager;
    }

    /** W *= M in place for every masked tensor; every masked name must be present, extra names are ignored. */
    public void applyToWeights(Map<String, NDArray> weights) {
        for (MaskedTensor t : tensors) {
            NDArray w = weights.get(t.name());
            if (w == null) {
                throw new IllegalArgumentException("no weight for masked tensor " + t.name());
            }
            applyTo(t.name(), w);
        }
    }

    /**
     * Multiplies by M in place every buffer of {@code buffers} whose name is masked (e.g. SGD
     * momentum); missing buffers are skipped, extra names are ignored.
     */
    public void applyToOptional(Map<String, NDArray> buffers) {
        for (MaskedTensor t : tensors) {
            NDArray b = buffers.get(t.name());
            if (b != null) {
                applyTo(t.name(), b);
            }
        }
    }

    /** {@code tensor *= M_name} in place. */
    public void applyTo(String name, NDArray tensor) {
        NDArray m = mask(name);
        if (!tensor.getShape().equals(m.getShape())) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + tensor.getShape()
                    + " but its mask has " + m.getShape());
        }
        if (tensor.getDataType() == DataType.FLOAT32) {
            tensor.muli(m);
        } else {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                tensor.muli(m.toType(tensor.getDataType(), false));
            }
        }
    }

    /**
     * M_l &lt;- M_l AND F_l for every tensor that has a structural mask in {@code structural}
     * (boolean or 0/1; missing names mean "no structural restriction").
     */
    public void restrictTo(Map<String, NDArray> structural) {
        for (MaskedTensor t : tensors) {
            NDArray f = structural.get(t.name());
            if (f != null) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    mask(t.name()).muli(Selection.asBoolean(f, mask(t.name())).toType(DataType.FLOAT32, false));
                }
            }
        }
    }

    /** Switches off the positions of {@code pruned}. */
    public void remove(MaskChange pruned) {
        for (Map.Entry<String, NDArray> e : pruned.positions().entrySet()) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                mask(e.getKey()).muli(e.getValue().logicalNot().toType(DataType.FLOAT32, false));
            }
        }
    }

    /** Switches on the positions of {@code grown}. */
    public void add(MaskChange grown) {
        for (Map.Entry<String, NDArray> e : grown.positions().entrySet()) {
            NDArray m = mask(e.getKey());
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                m.addi(e.getValue().logicalAnd(m.eq(0)).toType(DataType.FLOAT32, false));
            }
        }
    }

    /** Number of active (non-zero) mask entries of one tensor. */
    public long nonZeros(String name) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return Selection.countTrue(mask(name));
        }
    }

    /** Active entries per tensor, in layer order. */
    public Map<String, Long> nonZerosPerTensor() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (MaskedTensor t : tensors) {
            counts.put(t.name(), nonZeros(t.name()));
        }
        return counts;
    }

    /** Total number of active entries over all masks. */
    public long nonZeros() {
        long sum = 0;
        for (MaskedTensor t : tensors) {
            sum += nonZeros(t.name());
        }
        return sum;
    }

    /** Total number of elements of the masked tensors (their current shapes). */
    public long size() {
        return tensors.stream().mapToLong(MaskedTensor::size).sum();
    }

    /**
     * Active entries divided by {@code denseCount}; pass the dense count of the original
     * architecture (D_tot) to get the density algorithm §7.1 reports.
     */
    public double density(long denseCount) {
        if (denseCount <= 0) {
            throw new IllegalArgumentException("dense count must be positive, got " + denseCount);
        }
        return (double) nonZeros() / denseCount;
    }

    /** Shape of one masked tensor. */
    public Shape shape(String name) {
        return mask(name).getShape();
    }

    /** Frees the masks. */
    @Override
    public void close() {
        manager.close();
    }
}
