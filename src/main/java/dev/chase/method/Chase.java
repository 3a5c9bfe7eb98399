package dev.chase.method;

import dev.chase.channel.ChannelController;
import dev.chase.channel.ChannelSchedule;
import dev.chase.config.Channels;
import dev.chase.config.SoftBound;
import dev.chase.metrics.CostModel;
import dev.chase.sparse.DstUpdater;
import java.util.Objects;

/**
 * Chase (Yin et al., NeurIPS 2023; docs/algorithm.md): soft-bound DST plus channel events.
 *
 * <p>The parameter level is MEST's ({@link Mest}): every ΔT_p steps until the soft-bound end,
 * prune globally by magnitude to the budget B = d·D_tot, then grow globally by gradient to
 * D_tot·g(t), new weights at zero with zero momentum.
 *
 * <p>The channel level is a {@link ChannelController}: every ΔT steps (offset by ΔT_p/2) until
 * the channel end, score each live channel by its Unmasked Mean Magnitude, remove the weakest
 * down to the cubic ramp's channel sparsity at that step (or to its FLOPs or latency target),
 * keeping at least a fraction β of each group's share, and restrict the masks to the surviving
 * structure. The weights the removed channels held are not lost to the budget: the next soft-bound
 * growth places them wherever gradients are largest.
 *
 * <p>After each optimizer step the training loop applies the masks, then the channel event,
 * then the mask update. At the end the run is shrunk to the surviving channels.
 */
final class Chase implements SparseMethod<SoftBound> {
    @Override
    public Class<SoftBound> configType() {
        return SoftBound.class;
    }

    @Override
    public DstUpdater updater(SoftBound c, TrainingPlan plan) {
        return Mest.softBound(c, plan);
    }

    @Override
    public ChannelController channels(SoftBound c, TrainingPlan plan, ChannelContext context) {
        Channels channels = c.channels();
        ChannelSchedule schedule = ChannelController.schedule(channels, c.updateInterval(), plan.stepsPerEpoch());
        Intervals.requireChannelEvents(channels, schedule);
        CostModel cost = costModel(channels.budget(), context);
        return context.restoredAlive() == null
                ? ChannelController.start(context.physical(), channels, schedule, cost)
                : ChannelController.restore(context.original(), context.physical(), channels, schedule, cost,
                        context.restoredAlive());
    }

    /** FLOPs or the measured latency model for a cost budget; none for a channel count. */
    private static CostModel costModel(Channels.Budget budget, ChannelContext context) {
        if (budget instanceof Channels.Flops) {
            return CostModel.FLOPS;
        }
        if (budget instanceof Channels.Latency) {
            return Objects.requireNonNull(context.latency(), "a latency budget needs its latency model");
        }
        return null;
    }
}
