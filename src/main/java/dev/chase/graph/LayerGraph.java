package dev.chase.graph;

import dev.chase.Require;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A convolutional network as a directed acyclic graph of {@link Node}s, listed so that every node
 * comes after the nodes it reads (which makes the graph acyclic by construction). Validated on
 * construction: unique names, known inputs, channel counts that agree; refusals are one message
 * naming the node.
 */
public record LayerGraph(List<Node> nodes) {

    public LayerGraph {
        nodes = List.copyOf(nodes);
        Require.that(!nodes.isEmpty(), "a graph needs at least one node");
        channelsOf(nodes);
    }

    /** Output channels of every node, by name, in graph order. */
    public Map<String, Integer> channels() {
        return channelsOf(nodes);
    }

    /** The node called {@code name}. */
    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    private static Map<String, Integer> channelsOf(List<Node> nodes) {
        Map<String, Integer> channels = new LinkedHashMap<>();
        for (Node n : nodes) {
            Require.that(n.name() != null && !n.name().isBlank(), "a node has no name");
            Require.that(!channels.containsKey(n.name()), "node " + n.name() + " is defined twice");
            for (String in : n.inputs()) {
                Require.that(channels.containsKey(in), "node " + n.name() + " reads '" + in + "', which "
                        + (nodes.stream().anyMatch(m -> m.name().equals(in)) ? "comes later (a cycle, or nodes out of order)"
                                : "is not a node of the graph"));
            }
            channels.put(n.name(), outputChannels(n, channels));
        }
        return Collections.unmodifiableMap(channels);
    }

    private static int outputChannels(Node n, Map<String, Integer> channels) {
        if (n instanceof Node.Input i) {
            Require.that(i.channels() > 0, "input " + i.name() + " needs at least one channel");
            return i.channels();
        }
        if (n instanceof Node.Conv c) {
            int in = channels.get(c.input());
            Require.that(c.in() == in, "conv " + c.name() + " expects " + c.in() + " input channels, " + c.input() + " gives " + in);
            Require.that(c.out() > 0 && c.kernel() > 0 && c.stride() > 0 && c.padding() >= 0 && c.dilation() > 0,
                    "conv " + c.name() + " has a non-positive size");
            Require.that(c.groups() > 0 && c.in() % c.groups() == 0 && c.out() % c.groups() == 0, "conv " + c.name() + " has "
                    + c.groups() + " groups, which must divide its " + c.in() + " input and " + c.out() + " output channels");
            return c.out();
        }
        if (n instanceof Node.Linear l) {
            int in = channels.get(l.input());
            Require.that(l.in() == in, "linear " + l.name() + " expects " + l.in() + " inputs, " + l.input() + " gives " + in);
            Require.that(l.out() > 0, "linear " + l.name() + " needs at least one output");
            return l.out();
        }
        if (n instanceof Node.Add a) {
            Require.that(a.inputs().size() >= 2, "add " + a.name() + " needs at least two inputs");
            int first = channels.get(a.inputs().get(0));
            for (String in : a.inputs()) {
                Require.that(channels.get(in) == first, "add " + a.name() + " sums " + a.inputs().get(0) + " (" + first
                        + " channels) and " + in + " (" + channels.get(in) + " channels)");
            }
            return first;
        }
        if (n instanceof Node.Mul m) {
            Require.that(channels.get(m.gate()).equals(channels.get(m.input())), "mul " + m.name() + " gates "
                    + m.input() + " (" + channels.get(m.input()) + " channels) with " + m.gate() + " (" + channels.get(m.gate())
                    + " channels)");
            return channels.get(m.input());
        }
        if (n instanceof Node.Concat c) {
            Require.that(!c.inputs().isEmpty(), "concat " + c.name() + " has no inputs");
            return c.inputs().stream().mapToInt(channels::get).sum();
        }
        return channels.get(n.inputs().get(0));
    }
}
