package dev.chase.method;

import dev.chase.config.SoftBound;
import dev.chase.sparse.DstUpdater;
import dev.chase.sparse.MestUpdater;

/**
 * MEST's soft memory bound with global ranking (algorithm §5): every update interval until the
 * soft-bound end, prune globally to the budget and grow globally by gradient to the decaying
 * excess above it; after that, optionally swap weights at the hard budget.
 */
final class Mest implements SparseMethod<SoftBound> {
    @Override
    public Class<SoftBound> configType() {
        return SoftBound.class;
    }

    @Override
    public DstUpdater updater(SoftBound c, TrainingPlan plan) {
        return softBound(c, plan);
    }

    /** The soft-bound updater of a resolved MEST or Chase config. */
    static DstUpdater softBound(SoftBound c, TrainingPlan plan) {
        return new MestUpdater(c.sparsity().density(), c.deathRate(), c.updateInterval(),
                (long) c.softBoundEnd() * plan.stepsPerEpoch(), plan.totalSteps(), c.finalPhase(), plan.seed());
    }
}
