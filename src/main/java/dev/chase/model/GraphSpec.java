package dev.chase.model;

import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import dev.chase.graph.GraphNarrowing;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An architecture given as a {@link LayerGraph}: the graph-built models ({@link GraphModels}), a graph
 * JSON file or an imported ONNX file. Its {@link Network} is a {@link GraphBlock}. The input must be
 * square and the last node must give the logits (a vector, as a linear layer does).
 *
 * @param init how fresh weights are drawn
 * @param graph the layers
 */
public record GraphSpec(WeightInit init, LayerGraph graph) implements NetSpec {

    public GraphSpec {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(graph, "graph");
        Node.Input input = input(graph);
        if (input.height() != input.width()) {
            throw new ChaseException("graph input " + input.name() + " is " + input.height() + "x" + input.width()
                    + "; chase trains square images only");
        }
        var last = graph.shapes().get(graph.nodes().get(graph.nodes().size() - 1).name());
        if (!last.isVector()) {
            throw new ChaseException("the graph's last node gives a " + last + " map; it must give the class logits"
                    + " (end with a linear layer, or a global pooling and flatten)");
        }
    }

    private static Node.Input input(LayerGraph graph) {
        List<Node.Input> inputs = graph.nodes().stream().filter(n -> n instanceof Node.Input).map(n -> (Node.Input) n).toList();
        if (inputs.size() != 1 || graph.nodes().get(0) != inputs.get(0)) {
            throw new ChaseException("a graph to train has exactly one input node, listed first; this one has " + inputs.size());
        }
        return inputs.get(0);
    }

    @Override
    public int inChannels() {
        return input(graph).channels();
    }

    @Override
    public int numClasses() {
        return graph.channels().get(graph.nodes().get(graph.nodes().size() - 1).name());
    }

    @Override
    public int inputSize() {
        return input(graph).height();
    }

    @Override
    public List<ChannelGroup> channelGroups() {
        return SpecGraphs.groups(this);
    }

    @Override
    public GraphSpec withGroupWidths(Map<String, Integer> widths) {
        return new GraphSpec(init, GraphNarrowing.narrow(graph, channelGroups(), widths));
    }
}
