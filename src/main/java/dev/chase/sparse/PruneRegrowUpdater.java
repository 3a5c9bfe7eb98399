package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import dev.chase.Require;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SET and RigL: every {@code interval} steps until {@code T_end}, remove the fraction
 * {@code alpha·(1+cos(π·t/T_end))/2} of the active weights with the smallest magnitude and grow
 * back exactly as many, at random (SET) or by gradient magnitude (RigL), per layer or over all
 * layers. The number of active weights, per layer in the per-layer scope, never changes.
 */
public final class PruneRegrowUpdater implements DstUpdater {
    private final boolean byGradient;
    private final boolean global;
    private final int interval;
    private final CosineDecay fraction;
    private final long seed;

    /**
     * @param byGradient true for RigL, false for SET
     * @param global rank over all layers instead of per layer
     * @param tEnd step after which masks no longer change
     * @param seed seeds random growth (mixed with the step)
     */
    public PruneRegrowUpdater(boolean byGradient, boolean global, int interval, double alpha, long tEnd, long seed) {
        this.byGradient = byGradient;
        this.global = global;
        this.interval = (int) Require.positiveIterations("update interval", interval);
        this.fraction = CosineDecay.updateFraction(alpha, tEnd);
        this.seed = seed;
    }

    @Override
    public boolean updatesAt(long t) {
        return t % interval == 0 && t < fraction.period();
    }

    @Override
    public Update update(long t, SparseModel model, Map<String, NDArray> weights, Map<String, NDArray> gradients,
            Map<String, NDArray> momentum) {
        MaskSet masks = model.masks();
        double rate = fraction.value(t);
        int growSeed = Seeds.mix(seed, t);
        long pruned;
        Regrowth.Grown grown;
        if (global) {
            try (MaskChange p = MagnitudePruning.global(masks, weights, Budget.fractionOf(rate, masks.nonZeros()))) {
                masks.remove(p);
                pruned = p.total();
            }
            grown = Regrowth.global(model, byGradient, gradients, pruned, growSeed, weights, momentum);
        } else {
            Map<String, Long> k = new LinkedHashMap<>();
            masks.nonZerosPerTensor().forEach((name, nnz) -> k.put(name, Budget.fractionOf(rate, nnz)));
            Map<String, Long> removed;
            try (MaskChange p = MagnitudePruning.perTensor(masks, weights, k)) {
                masks.remove(p);
                pruned = p.total();
                removed = p.counts();
            }
            grown = Regrowth.perTensor(model, byGradient, gradients, removed, growSeed, weights, momentum);
        }
        model.apply(weights, momentum);
        return new Update(pruned, grown.total(), grown.byFill(), masks.nonZeros());
    }
}
