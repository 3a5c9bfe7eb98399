package dev.chase.model;

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

    @Override
    default LayerGraph graph() {
        return SpecGraphs.of(this);
    }
}
