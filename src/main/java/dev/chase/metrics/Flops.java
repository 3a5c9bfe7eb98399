package dev.chase.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Test-time FLOPs per image of a trained network, three ways (algorithm §7.2): {@code dense}, the
 * original architecture with every weight; {@code sparse}, the theoretical count over the
 * non-zero weights only; {@code slim}, the physically narrower network counted dense (what
 * ordinary dense hardware can exploit: unstructured zeros earn nothing, removed channels do).
 *
 * @param sparseFraction sparse / dense
 * @param slimFraction slim / dense
 * @param layers the same per conv and linear layer, in forward order
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record Flops(long dense, long sparse, long slim, double sparseFraction, double slimFraction, List<Layer> layers) {

    public Flops {
        layers = List.copyOf(layers);
    }

    /**
     * One layer's FLOPs per image.
     *
     * @param outputPixels H_out·W_out (1 for a linear layer)
     * @param weights elements of the original weight tensor
     * @param nonZeros its non-zero weights
     * @param dense FLOPs of the original layer with every weight
     * @param sparse FLOPs of its non-zero weights
     * @param slim FLOPs of the narrower layer counted dense
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Layer(String name, long outputPixels, long weights, long nonZeros, long dense, long sparse, long slim) {}
}
