package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Mean magnitude over the active (mask = 1) weights of a channel only (the reference's {@code
 * --mask_wise} ablation). Unlike the reference, a channel with no active weight scores 0 instead
 * of NaN, so it is among the first to go and never disturbs the ranking. The original fan-in is
 * not used.
 */
public final class ActiveMeanScore implements ChannelScore {
    static final String NAME = "active-mean";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray score(NDArray weight, NDArray mask, long originalFanIn) {
        int[] axes = ScoreTensors.channelAxes(weight);
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray active = ScoreTensors.activeMask(weight, mask);
            NDArray sum = ScoreTensors.maskedMagnitude(weight, null).mul(active).sum(axes);
            NDArray count = active.sum(axes);
            // count 0 -> sum is 0 too; dividing by max(count, 1) gives 0 instead of NaN.
            result = sum.div(count.maximum(1f));
            NDScope.unregister(result);
        }
        return result;
    }
}
