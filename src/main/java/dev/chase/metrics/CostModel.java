package dev.chase.metrics;

import dev.chase.model.NetSpec;

/**
 * What a network costs per forward pass, as the sum of what its conv and linear layers cost at
 * their real activation sizes ({@link FlopCounter#shapes}). {@link #FLOPS} counts dense FLOPs per
 * image (so {@code FLOPS.cost(spec) == FlopCounter.dense(spec)}); {@link LatencyModel} predicts
 * milliseconds from a measured table. Channel events price a narrower structure by passing the
 * spec narrowed to the live widths ({@link NetSpec#withGroupWidths}).
 */
@FunctionalInterface
public interface CostModel {

    /** Dense FLOPs per image (algorithm §7.2). */
    CostModel FLOPS = LayerShape::flops;

    /** The cost of one conv or linear layer at its shape. */
    double layerCost(LayerShape layer);

    /** The cost of a whole architecture: the sum over its conv and linear layers. */
    default double cost(NetSpec spec) {
        double total = 0;
        for (LayerShape layer : FlopCounter.shapes(spec)) {
            total += layerCost(layer);
        }
        return total;
    }
}
