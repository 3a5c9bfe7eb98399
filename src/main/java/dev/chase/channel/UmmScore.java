package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Unmasked Mean Magnitude (algorithm §6.2, the paper's score): for output channel c,
 * UMM(c) = Σ |W[c, ...]| / (I_orig·kh·kw). Masked weights count as zeros and the denominator is
 * the full original fan-in, including input channels already removed upstream (algorithm §10 #5), so
 * the score mixes how many weights a channel still has with how large they are. No per-layer
 * normalisation: scores are compared across layers as they are.
 */
public final class UmmScore implements ChannelScore {
    static final String NAME = "umm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray score(NDArray weight, NDArray mask, long originalFanIn) {
        if (originalFanIn <= 0) {
            throw new IllegalArgumentException("original fan-in must be positive, got " + originalFanIn);
        }
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            result = ScoreTensors.maskedMagnitude(weight, mask).sum(ScoreTensors.channelAxes(weight)).divi((float) originalFanIn);
            NDScope.unregister(result);
        }
        return result;
    }
}
