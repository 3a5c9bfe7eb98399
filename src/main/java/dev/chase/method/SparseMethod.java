package dev.chase.method;

import dev.chase.channel.ChannelController;
import dev.chase.config.MethodConfig;
import dev.chase.sparse.DstUpdater;

/**
 * A sparse training method: builds its per-run parts from its resolved typed configuration.
 * The training loop (SparseTraining) runs them after every optimizer
 * step in one order: apply the masks, run the channel event if one is due, then the mask update.
 *
 * @param <C> the method's configuration record
 */
public interface SparseMethod<C extends MethodConfig> {

    /** The configuration record this method reads. */
    Class<C> configType();

    /** The mask updater. */
    DstUpdater updater(C config, TrainingPlan plan);

    /** The channel controller of a method that removes channels; null for one that keeps them all. */
    default ChannelController channels(C config, TrainingPlan plan, ChannelContext context) {
        return null;
    }
}
