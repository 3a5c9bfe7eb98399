package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Fraction of active weights in a channel (the reference's {@code --connection_wise} ablation):
 * active count / (I·kh·kw) of the tensor as it is. Magnitudes are ignored; an empty channel
 * scores 0. The original fan-in is not used (during training the tensor keeps its original shape,
 * so the two agree).
 */
public final class DensityScore implements ChannelScore {
    static final String NAME = "density";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray score(NDArray weight, NDArray mask, long originalFanIn) {
        long perChannel = weight.getShape().size() / weight.getShape().get(0);
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            result = ScoreTensors.activeMask(weight, mask).sum(ScoreTensors.channelAxes(weight)).divi((float) perChannel);
            NDScope.unregister(result);
        }
        return result;
    }
}
