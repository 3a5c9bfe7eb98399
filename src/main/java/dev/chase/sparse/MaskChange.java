package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decision of a prune or grow rule: per masked tensor, the boolean positions to switch off
 * (pruned) or on (grown), with exact counts. It owns native memory: close it once applied
 * ({@link MaskSet#remove}, {@link MaskSet#add}). For growth, {@link #zeroIn} sets the grown
 * positions of weights and momentum buffers to 0, so a grown weight starts at value 0 with
 * momentum 0 (algorithm §4).
 */
public final class MaskChange implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> positions;
    private final Map<String, Long> counts;
    private final long total;

    MaskChange(NDManager manager, Map<String, NDArray> positions) {
        this.manager = manager;
        this.positions = Collections.unmodifiableMap(new LinkedHashMap<>(positions));
        Map<String, Long> c = new LinkedHashMap<>();
        long sum = 0;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, NDArray> e : positions.entrySet()) {
                long n = Selection.countTrue(e.getValue());
                c.put(e.getKey(), n);
                sum += n;
            }
        }
        this.counts = Collections.unmodifiableMap(c);
        this.total = sum;
    }

    /** Builds a change from a selection over {@code names} (same order as the selection's tensors). */
    static MaskChange of(NDManager manager, List<String> names, Selection.Selected selected) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), selected.positions().get(i));
        }
        return new MaskChange(manager, map);
    }

    /** Boolean positions per tensor name, in layer order. */
    public Map<String, NDArray> positions() {
        return positions;
    }

    /** Boolean positions of one tensor, or null if the tensor is not part of this change. */
    public NDArray positions(String name) {
        return positions.get(name);
    }

    /** Number of changed positions per tensor name, in layer order. */
    public Map<String, Long> counts() {
        return counts;
    }

    /** Total number of changed positions. */
    public long total() {
        return total;
    }

    /**
     * Sets the changed positions to 0, in place, in every tensor of {@code tensors} whose name
     * is part of this change (others are ignored, so a momentum map may be partial or empty).
     */
    public void zeroIn(Map<String, NDArray> tensors) {
        for (Map.Entry<String, NDArray> e : positions.entrySet()) {
            NDArray t = tensors.get(e.getKey());
            if (t == null) {
                continue;
            }
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                t.muli(e.getValue().logicalNot().toType(t.getDataType(), false));
            }
        }
    }

    /** Frees the position tensors. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "MaskChange" + counts;
    }
}
