package dev.chase.method;

import dev.chase.config.PruneAndRegrow;
import dev.chase.sparse.DstUpdater;
import dev.chase.sparse.PruneRegrowUpdater;

/**
 * SET and RigL: at a constant budget, every update interval until the update end, prune the
 * smallest weights and regrow as many, at random (SET) or where the dense gradient is largest
 * (RigL), per layer or globally.
 */
final class PruneRegrow implements SparseMethod<PruneAndRegrow> {
    @Override
    public Class<PruneAndRegrow> configType() {
        return PruneAndRegrow.class;
    }

    @Override
    public DstUpdater updater(PruneAndRegrow c, TrainingPlan plan) {
        return new PruneRegrowUpdater(c.growth() == PruneAndRegrow.Growth.RIGL, c.scope() == PruneAndRegrow.Scope.GLOBAL,
                c.updateInterval(), c.updateFraction(), Math.max(1, Math.round(c.updateEnd() * plan.totalSteps())), plan.seed());
    }
}
