package dev.chase.model;

import dev.chase.ChaseException;
import dev.chase.graph.LayerGraph;
import java.util.List;

/**
 * A built-in architecture of the paper's two families (VGG, ResNet), described as a nested list of
 * {@link Layer}s. Its {@link Network} is a tree of DJL sequential and parallel blocks: the
 * parameter layout that checkpoints and saved models of these architectures are stored in.
 */
public sealed interface LayerListSpec extends NetSpec permits VggSpec, ResNetSpec {

    /** Every layer in forward order, residual blocks nested: what {@link Network#build} turns into DJL blocks. */
    List<Layer> layers();

    /**
     * {@code spec} as a layer list, for the features that work on the built-in families only.
     *
     * @param feature names the feature in the message, e.g. "layer latency tables"
     * @throws ChaseException if {@code spec} is a graph
     */
    static LayerListSpec require(NetSpec spec, String feature) {
        if (spec instanceof LayerListSpec list) {
            return list;
        }
        throw new ChaseException(feature + " work on the built-in VGG and CIFAR/ImageNet ResNet architectures only (so far),"
                + " not on graph architectures");
    }

    @Override
    default LayerGraph graph() {
        return SpecGraphs.of(this);
    }
}
