package dev.chase.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.chase.ChaseException;
import dev.chase.channel.AliveVectors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a checkpoint holds besides the network's parameters, one record per concern, and the one
 * codec between them and the checkpoint's named tensors: {@code momentum/KEY} (SGD buffers by
 * parameter key), {@code mask/NAME} and {@code ever-active/NAME} (by maskable weight),
 * {@code ever-active-removed} (a count), {@code alive/GROUP} (Chase's alive vectors, as 0/1).
 *
 * <p>Tensors are borrowed, never copied or closed here; the arrays {@link #toTensors} makes
 * belong to the manager it is given (the project's rule: a function returns arrays owned by the
 * manager passed to it).
 *
 * @param momentum SGD momentum buffers by parameter key
 * @param sparse the masks of a sparse run, or null for dense training
 */
public record TrainingState(Map<String, NDArray> momentum, Masks sparse) {
    private static final String MOMENTUM = "momentum/";
    private static final String MASK = "mask/";
    private static final String EVER = "ever-active/";
    private static final String EVER_REMOVED = "ever-active-removed";
    private static final String ALIVE = "alive/";

    /**
     * The sparse part of the state.
     *
     * @param masks the unstructured masks by weight name
     * @param everActive which positions were ever active, by weight name
     * @param everActiveRemoved ever-active positions sliced away with channels removed while training
     * @param alive Chase's alive vectors by channel group (empty for other methods)
     */
    public record Masks(Map<String, NDArray> masks, Map<String, NDArray> everActive, long everActiveRemoved,
            Map<String, boolean[]> alive) {}

    /** The named tensors of a checkpoint, in a fixed order; new arrays (counts, alive vectors) belong to {@code scratch}. */
    public Map<String, NDArray> toTensors(NDManager scratch) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        momentum.forEach((key, buffer) -> out.put(MOMENTUM + key, buffer));
        if (sparse != null) {
            sparse.masks().forEach((name, m) -> out.put(MASK + name, m));
            sparse.everActive().forEach((name, e) -> out.put(EVER + name, e));
            if (sparse.everActiveRemoved() > 0) {
                out.put(EVER_REMOVED, scratch.create(new long[] {sparse.everActiveRemoved()}));
            }
            sparse.alive().forEach((group, a) -> out.put(ALIVE + group, scratch.create(AliveVectors.asFloats(a))));
        }
        return out;
    }

    /**
     * Decodes a checkpoint's named tensors (the caller keeps owning them). Shapes against the
     * network are checked by whoever restores each part.
     *
     * @throws ChaseException if an alive vector is not a vector
     */
    public static TrainingState fromTensors(Map<String, NDArray> tensors) {
        Map<String, NDArray> momentum = new LinkedHashMap<>();
        Map<String, NDArray> masks = new LinkedHashMap<>();
        Map<String, NDArray> ever = new LinkedHashMap<>();
        Map<String, boolean[]> alive = new LinkedHashMap<>();
        long everRemoved = 0; // checkpoints of runs that never narrowed their network have no count
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            NDArray t = e.getValue();
            if (name.startsWith(MOMENTUM)) {
                momentum.put(name.substring(MOMENTUM.length()), t);
            } else if (name.startsWith(MASK)) {
                masks.put(name.substring(MASK.length()), t);
            } else if (name.startsWith(EVER)) {
                ever.put(name.substring(EVER.length()), t);
            } else if (name.equals(EVER_REMOVED)) {
                everRemoved = t.toLongArray()[0];
            } else if (name.startsWith(ALIVE)) {
                String group = name.substring(ALIVE.length());
                if (t.getShape().dimension() != 1) {
                    throw new ChaseException("the checkpoint's alive vector " + group + " has shape " + t.getShape()
                            + ", not a vector");
                }
                alive.put(group, AliveVectors.fromFloats(t.toType(DataType.FLOAT32, false).toFloatArray()));
            }
        }
        boolean sparse = !masks.isEmpty() || !ever.isEmpty();
        return new TrainingState(momentum, sparse ? new Masks(masks, ever, everRemoved, alive) : null);
    }
}
