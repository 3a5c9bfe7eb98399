package dev.chase.graph;

import dev.chase.ChaseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link LayerGraph} with some channel groups made narrower: every producer of a resized group
 * writes the new width, and every layer's input size follows from the shapes (a consumer behind a
 * Concat reads the narrower concatenation, a linear layer behind a Flatten fewer features). A
 * grouped convolution with as many outputs as inputs (depthwise, or {@link Node.Conv#tied()}) keeps
 * its group width and loses whole groups. Other grouped convolutions cannot be narrowed.
 */
public final class GraphNarrowing {
    private GraphNarrowing() {}

    /**
     * The narrower graph.
     *
     * @param groups the graph's channel groups ({@link GroupDerivation#derive})
     * @param widths new width by group name; groups not named keep theirs
     * @throws ChaseException for an unknown group, a width below 1, or a grouped convolution that would change
     */
    public static LayerGraph narrow(LayerGraph graph, List<ChannelGroup> groups, Map<String, Integer> widths) {
        return new LayerGraph(nodes(graph, groups, widths));
    }

    /**
     * The nodes of {@link #narrow}'s graph, each checked against its inputs as it is made, without
     * checking the whole graph again: for pricing many narrowings, where only the widths matter.
     * Narrowing never changes a spatial size, so the original graph's shapes give every side.
     */
    public static List<Node> nodes(LayerGraph graph, List<ChannelGroup> groups, Map<String, Integer> widths) {
        Map<String, Integer> outWidth = new HashMap<>();
        Map<String, ChannelGroup> byName = new LinkedHashMap<>();
        groups.forEach(g -> byName.put(g.name(), g));
        widths.forEach((name, width) -> {
            ChannelGroup g = byName.get(name);
            if (g == null) {
                throw new ChaseException("unknown channel group '" + name + "'; the groups are: " + String.join(", ", byName.keySet()));
            }
            if (width == null || width < 1) {
                throw new ChaseException("channel group " + name + " needs a width of at least 1, got " + width);
            }
            if (width % g.block() != 0) {
                throw new ChaseException("channel group " + name + " keeps whole blocks of " + g.block() + " channels (the group width of"
                        + " its grouped convolutions); " + width + " is not a multiple of " + g.block());
            }
            g.producers().forEach(p -> outWidth.put(p, width));
        });
        Map<String, Shape> shapes = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) {
            Node narrowed = narrowed(n, shapes, outWidth);
            nodes.add(narrowed);
            shapes.put(n.name(), LayerGraph.shapeOf(narrowed, shapes));
        }
        return nodes;
    }

    private static Node narrowed(Node n, Map<String, Shape> shapes, Map<String, Integer> outWidth) {
        if (n instanceof Node.Conv c) {
            int in = shapes.get(c.input()).channels();
            if (c.tied()) { // its group's width is a multiple of the group width (checked in nodes)
                return new Node.Conv(c.name(), c.input(), in, in, c.kernel(), c.stride(), c.padding(), c.dilation(), in / c.groupWidth(),
                        c.bias());
            }
            int out = outWidth.getOrDefault(c.name(), c.out());
            if (c.groups() > 1 && (in != c.in() || out != c.out())) {
                throw new ChaseException("cannot narrow grouped convolution " + c.name() + " (" + c.groups() + " groups, " + c.in()
                        + " inputs, " + c.out() + " outputs): only one with as many outputs as inputs loses whole groups");
            }
            return new Node.Conv(c.name(), c.input(), in, out, c.kernel(), c.stride(), c.padding(), c.dilation(), c.groups(),
                    c.bias());
        }
        if (n instanceof Node.Linear l) {
            return new Node.Linear(l.name(), l.input(), shapes.get(l.input()).channels(), l.out(), l.bias());
        }
        return n;
    }
}
