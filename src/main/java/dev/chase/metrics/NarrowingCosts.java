package dev.chase.metrics;

import dev.chase.graph.ChannelGroup;
import dev.chase.graph.GraphNarrowing;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Shape;
import dev.chase.model.NetSpec;
import java.util.List;
import java.util.Map;

/**
 * Prices an architecture narrowed to some channel-group widths without building the narrower
 * architecture: {@code of(widths)} equals {@code model.cost(spec.withGroupWidths(widths))} to the
 * last bit (the same layer shapes, summed in the same order). It takes the narrowed nodes
 * ({@link GraphNarrowing#nodes}) and the original shapes, since narrowing changes no spatial size;
 * it skips making a spec of them, deriving its channel groups and checking the graph again. Channel
 * events price hundreds of narrowings per event, which on a graph of a hundred groups (DenseNet)
 * made those the bulk of an event.
 */
public final class NarrowingCosts {
    private final CostModel model;
    private final LayerGraph graph;
    private final List<ChannelGroup> groups;
    private final Map<String, Shape> shapes;

    /** The pricing of narrowings of {@code spec} under {@code model}. */
    public NarrowingCosts(NetSpec spec, CostModel model) {
        this.model = model;
        this.graph = spec.graph();
        this.groups = spec.channelGroups();
        this.shapes = graph.shapes();
    }

    /** The cost of the architecture with the named groups at these widths (the others unchanged). */
    public double of(Map<String, Integer> widths) {
        double total = 0;
        for (LayerShape layer : FlopCounter.shapes(GraphNarrowing.nodes(graph, groups, widths), shapes)) {
            total += model.layerCost(layer);
        }
        return total;
    }
}
