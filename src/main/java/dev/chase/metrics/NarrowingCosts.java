package dev.chase.metrics;

import dev.chase.graph.ChannelGroup;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.graph.Shape;
import dev.chase.model.NetSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices an architecture narrowed to some channel-group widths without building the narrower
 * architecture: {@code of(widths)} equals {@code model.cost(spec.withGroupWidths(widths))} to the
 * last bit (the same layer shapes, summed in the same order), but only follows channel counts
 * through the graph. Channel events price hundreds of narrowings per event, which on a graph of
 * a hundred groups (DenseNet) would otherwise mean building, checking and walking as many graphs.
 */
public final class NarrowingCosts {
    private final CostModel model;
    private final List<Node> nodes;
    private final Map<String, Shape> shapes;
    private final Map<String, String> groupOf = new HashMap<>();

    /** The pricing of narrowings of {@code spec} under {@code model}. */
    public NarrowingCosts(NetSpec spec, CostModel model) {
        this.model = model;
        LayerGraph graph = spec.graph();
        this.nodes = graph.nodes();
        this.shapes = graph.shapes();
        for (ChannelGroup g : spec.channelGroups()) {
            g.producers().forEach(p -> groupOf.put(p, g.name()));
        }
    }

    /** The cost of the architecture with the named groups at these widths (the others unchanged). */
    public double of(Map<String, Integer> widths) {
        Map<String, Integer> channels = new HashMap<>();
        double total = 0;
        for (Node n : nodes) {
            int c;
            if (n instanceof Node.Input i) {
                c = i.channels();
            } else if (n instanceof Node.Conv conv) {
                int in = channels.get(conv.input());
                String group = groupOf.get(conv.name());
                int out = conv.depthwise() ? in : group == null ? conv.out() : widths.getOrDefault(group, conv.out());
                total += model.layerCost(new LayerShape(new Node.Conv(conv.name(), conv.input(), in, out, conv.kernel(),
                        conv.stride(), conv.padding(), conv.dilation(), conv.depthwise() ? in : conv.groups(), conv.bias()),
                        shapes.get(conv.input()).height(), shapes.get(conv.name()).height()));
                c = out;
            } else if (n instanceof Node.Linear l) {
                total += model.layerCost(new LayerShape(new Node.Linear(l.name(), l.input(), channels.get(l.input()), l.out(),
                        l.bias()), 1, 1));
                c = l.out();
            } else if (n instanceof Node.Concat cat) {
                c = cat.inputs().stream().mapToInt(channels::get).sum();
            } else if (n instanceof Node.Flatten f) {
                Shape in = shapes.get(f.input());
                c = channels.get(f.input()) * in.height() * in.width();
            } else {
                c = channels.get(n.inputs().get(0));
            }
            channels.put(n.name(), c);
        }
        return total;
    }
}
