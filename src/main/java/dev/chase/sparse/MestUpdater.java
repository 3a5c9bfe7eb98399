package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import dev.chase.Require;
import java.util.Map;

/**
 * MEST's soft memory bound with Global Parameter Exploration (algorithm §5.2-§5.6), as the Chase
 * reference uses it. Every {@code interval} steps while t &lt; T_dst: prune globally by magnitude
 * down to the budget B = d·D_tot, then grow globally by gradient up to D_tot·g(t) with
 * g(t) = d + p0·(1+cos(π·t/T_dst))/2, so the network carries a decaying excess between updates.
 * After T_dst, if the final phase is on: prune ceil(r_post(t)·nnz) and grow back to B.
 */
public final class MestUpdater implements DstUpdater {
    private final int interval;
    private final long tDst;
    private final boolean finalPhase;
    private final CosineDecay growTarget;
    private final CosineDecay finalRate;
    private final long seed;

    /**
     * @param tDst step at which the soft bound ends
     * @param tTot total number of steps (period of the final-phase rate)
     */
    public MestUpdater(double density, double p0, int interval, long tDst, long tTot, boolean finalPhase, long seed) {
        this.interval = (int) Require.positiveIterations("update interval", interval);
        this.tDst = tDst;
        this.finalPhase = finalPhase;
        this.growTarget = CosineDecay.softBound(density, p0, tDst);
        this.finalRate = CosineDecay.finalPhase(tTot);
        this.seed = seed;
    }

    @Override
    public boolean updatesAt(long t) {
        return t % interval == 0 && (t < tDst || finalPhase);
    }

    /** Whether step t is in the soft-bound phase. */
    public boolean softPhase(long t) {
        return t < tDst;
    }

    @Override
    public Update update(long t, SparseModel model, Map<String, NDArray> weights, Map<String, NDArray> gradients,
            Map<String, NDArray> momentum) {
        MaskSet masks = model.masks();
        Budget budget = model.budget();
        long k = softPhase(t) ? budget.pruneToBudget(masks.nonZeros()) : Budget.fractionOf(finalRate.value(t), masks.nonZeros());
        long pruned;
        try (MaskChange p = MagnitudePruning.global(masks, weights, k)) {
            masks.remove(p);
            pruned = p.total();
        }
        long nnz = masks.nonZeros();
        long g = softPhase(t) ? budget.growTo(growTarget.value(t), nnz) : budget.refill(nnz);
        Regrowth.Grown grown = Regrowth.global(model, true, gradients, g, Seeds.mix(seed, t), weights, momentum);
        model.apply(weights, momentum);
        return new Update(pruned, grown.total(), grown.byFill(), masks.nonZeros());
    }
}
