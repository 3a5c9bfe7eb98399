package dev.chase.method;

import dev.chase.config.Static;
import dev.chase.sparse.DstUpdater;

/** Static sparse training: the initial mask is kept to the end. */
final class StaticMask implements SparseMethod<Static> {
    @Override
    public Class<Static> configType() {
        return Static.class;
    }

    @Override
    public DstUpdater updater(Static config, TrainingPlan plan) {
        return DstUpdater.STATIC;
    }
}
