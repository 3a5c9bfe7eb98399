package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Grows exactly the requested number of weights and starts them at value 0 with momentum 0.
 * Gradient growth ranks by |gradient|; positions whose gradient is exactly 0 carry no signal, so if
 * fewer than requested have a non-zero gradient the remainder is drawn uniformly at random among
 * the other inactive positions. That keeps every count exact, as the budget promises. Growth
 * stays inside the model's structural masks: removed channels never come back.
 */
final class Regrowth {
    private Regrowth() {}

    /**
     * How many weights one regrowth switched on.
     *
     * @param byRule grown by the rule itself (largest gradients, or at random for random growth)
     * @param byFill grown at random to make up a gradient-growth shortfall (too few positions with
     *     a non-zero gradient)
     */
    record Grown(long byRule, long byFill) {
        long total() {
            return byRule + byFill;
        }
    }

    /** Grows {@code g} weights over all tensors. */
    static Grown global(SparseModel model, boolean byGradient, Map<String, NDArray> gradients, long g, int seed,
            Map<String, NDArray> weights, Map<String, NDArray> momentum) {
        MaskSet masks = model.masks();
        Map<String, NDArray> allowed = model.structural();
        if (!byGradient) {
            try (MaskChange c = RandomGrowth.global(masks, allowed, g, seed)) {
                return new Grown(commit(masks, c, weights, momentum), 0);
            }
        }
        long grown;
        try (MaskChange c = GradientGrowth.global(masks, gradients, allowed, g)) {
            grown = commit(masks, c, weights, momentum);
        }
        long fill = 0;
        if (grown < g) {
            try (MaskChange c = RandomGrowth.global(masks, allowed, g - grown, seed)) {
                fill = commit(masks, c, weights, momentum);
            }
        }
        return new Grown(grown, fill);
    }

    /** Grows {@code counts.get(name)} weights in each tensor. */
    static Grown perTensor(SparseModel model, boolean byGradient, Map<String, NDArray> gradients, Map<String, Long> counts,
            int seed, Map<String, NDArray> weights, Map<String, NDArray> momentum) {
        MaskSet masks = model.masks();
        Map<String, NDArray> allowed = model.structural();
        if (!byGradient) {
            try (MaskChange c = RandomGrowth.perTensor(masks, allowed, counts, seed)) {
                return new Grown(commit(masks, c, weights, momentum), 0);
            }
        }
        Map<String, Long> left = new LinkedHashMap<>(counts);
        long grown;
        try (MaskChange c = GradientGrowth.perTensor(masks, gradients, allowed, counts)) {
            grown = commit(masks, c, weights, momentum);
            c.counts().forEach((name, n) -> left.merge(name, -n, Long::sum));
        }
        long fill = 0;
        if (left.values().stream().anyMatch(n -> n > 0)) {
            try (MaskChange c = RandomGrowth.perTensor(masks, allowed, left, seed)) {
                fill = commit(masks, c, weights, momentum);
            }
        }
        return new Grown(grown, fill);
    }

    private static long commit(MaskSet masks, MaskChange change, Map<String, NDArray> weights, Map<String, NDArray> momentum) {
        masks.add(change);
        change.zeroIn(weights);
        change.zeroIn(momentum);
        return change.total();
    }
}
