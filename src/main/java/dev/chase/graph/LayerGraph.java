package dev.chase.graph;

import dev.chase.Require;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A convolutional network as a directed acyclic graph of {@link Node}s, listed so that every node
 * comes after the nodes it reads (which makes the graph acyclic by construction). Validated on
 * construction by inferring every node's {@link Shape} from the input's: unique names, known
 * inputs, channel counts and spatial sizes that agree; refusals are one message naming the node.
 */
public record LayerGraph(List<Node> nodes) {

    public LayerGraph {
        nodes = List.copyOf(nodes);
        Require.that(!nodes.isEmpty(), "a graph needs at least one node");
        shapesOf(nodes);
    }

    /** The activation shape after every node, by name, in graph order. */
    public Map<String, Shape> shapes() {
        return shapesOf(nodes);
    }

    /** Output channels of every node (features after a flatten), by name, in graph order. */
    public Map<String, Integer> channels() {
        Map<String, Integer> channels = new LinkedHashMap<>();
        shapes().forEach((name, shape) -> channels.put(name, shape.channels()));
        return Collections.unmodifiableMap(channels);
    }

    /**
     * Whether each node's output has lost its spatial axes, by name: after a flatten or a linear
     * layer, and after any node reading such an output (a convolution, pooling or global pooling
     * gives a map again). Backends keep those outputs as (N, features); a global average pool
     * keeps (N, C, 1, 1), so a 1x1 convolution can read it, as in squeeze-and-excitation.
     */
    public Map<String, Boolean> flatOutputs() {
        Map<String, Boolean> flat = new LinkedHashMap<>();
        for (Node n : nodes) {
            flat.put(n.name(), n instanceof Node.Flatten || n instanceof Node.Linear
                    || !(n instanceof Node.Input || n instanceof Node.Conv || n instanceof Node.Pool
                            || n instanceof Node.GlobalAvgPool) && flat.get(n.inputs().get(0)));
        }
        return Collections.unmodifiableMap(flat);
    }

    /**
     * For every node, the nearest node that {@code owns} along first inputs: the node itself if it
     * qualifies, else its first input's owner; absent (null value) for nodes with no such
     * ancestor, such as the input. A residual join belongs with its first operand's chain, a
     * squeeze-and-excitation product with the features it scales, a concatenation with its first
     * part's chain.
     */
    public Map<String, String> owners(Predicate<Node> owns) {
        Map<String, String> owner = new LinkedHashMap<>();
        for (Node n : nodes) {
            owner.put(n.name(), owns.test(n) ? n.name() : n.inputs().isEmpty() ? null : owner.get(n.inputs().get(0)));
        }
        return Collections.unmodifiableMap(owner);
    }

    /** The node called {@code name}. */
    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    private static Map<String, Shape> shapesOf(List<Node> nodes) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Node n : nodes) {
            Require.that(n.name() != null && !n.name().isBlank(), "a node has no name");
            Require.that(!shapes.containsKey(n.name()), "node " + n.name() + " is defined twice");
            for (String in : n.inputs()) {
                Require.that(shapes.containsKey(in), "node " + n.name() + " reads '" + in + "', which "
                        + (nodes.stream().anyMatch(m -> m.name().equals(in)) ? "comes later (a cycle, or nodes out of order)"
                                : "is not a node of the graph"));
            }
            shapes.put(n.name(), shapeOf(n, shapes));
        }
        return Collections.unmodifiableMap(shapes);
    }

    /** The shape after {@code n}, whose inputs' shapes are in {@code shapes}. */
    static Shape shapeOf(Node n, Map<String, Shape> shapes) {
        if (n instanceof Node.Input i) {
            Require.that(i.channels() > 0 && i.height() > 0 && i.width() > 0,
                    "input " + i.name() + " needs positive channels, height and width");
            return new Shape(i.channels(), i.height(), i.width());
        }
        Shape in = shapes.get(n.inputs().get(0));
        if (n instanceof Node.Conv c) {
            Require.that(c.in() == in.channels(), "conv " + c.name() + " expects " + c.in() + " input channels, " + c.input()
                    + " gives " + in.channels());
            Require.that(c.out() > 0 && c.kernel() > 0 && c.stride() > 0 && c.padding() >= 0 && c.dilation() > 0,
                    "conv " + c.name() + " has a non-positive size");
            Require.that(c.groups() > 0 && c.in() % c.groups() == 0 && c.out() % c.groups() == 0, "conv " + c.name() + " has "
                    + c.groups() + " groups, which must divide its " + c.in() + " input and " + c.out() + " output channels");
            int span = (c.kernel() - 1) * c.dilation() + 1;
            return new Shape(c.out(), slide(c.name(), in.height(), span, c.stride(), c.padding()),
                    slide(c.name(), in.width(), span, c.stride(), c.padding()));
        }
        if (n instanceof Node.Pool p) {
            Require.that(p.kernel() > 0 && p.stride() > 0 && p.padding() >= 0 && 2 * p.padding() <= p.kernel(),
                    "pool " + p.name() + " needs a positive kernel and stride and a padding of at most half its kernel");
            return new Shape(in.channels(), slide(p.name(), in.height(), p.kernel(), p.stride(), p.padding()),
                    slide(p.name(), in.width(), p.kernel(), p.stride(), p.padding()));
        }
        if (n instanceof Node.GlobalAvgPool) {
            return new Shape(in.channels(), 1, 1);
        }
        if (n instanceof Node.Flatten f) {
            long features = (long) in.channels() * in.height() * in.width();
            Require.that(features <= Integer.MAX_VALUE, "flatten " + f.name() + " would give " + features + " features");
            return new Shape((int) features, 1, 1);
        }
        if (n instanceof Node.Linear l) {
            Require.that(in.isVector(), "linear " + l.name() + " reads a " + in + " map; flatten or globally pool it first");
            Require.that(l.in() == in.channels(), "linear " + l.name() + " expects " + l.in() + " inputs, " + l.input()
                    + " gives " + in.channels());
            Require.that(l.out() > 0, "linear " + l.name() + " needs at least one output");
            return new Shape(l.out(), 1, 1);
        }
        if (n instanceof Node.Add a) {
            Require.that(a.inputs().size() >= 2, "add " + a.name() + " needs at least two inputs");
            for (String other : a.inputs()) {
                Require.that(shapes.get(other).equals(in), "add " + a.name() + " sums " + a.inputs().get(0) + " (" + in
                        + ") and " + other + " (" + shapes.get(other) + ")");
            }
            return in;
        }
        if (n instanceof Node.Mul m) {
            Shape gate = shapes.get(m.gate());
            Require.that(gate.channels() == in.channels() && (gate.isVector() || gate.equals(in)), "mul " + m.name() + " gates "
                    + m.input() + " (" + in + ") with " + m.gate() + " (" + gate + "); a gate has the same channels and is "
                    + in.channels() + "x1x1 or the same shape");
            return in;
        }
        if (n instanceof Node.Concat c) {
            Require.that(!c.inputs().isEmpty(), "concat " + c.name() + " has no inputs");
            long channels = 0;
            for (String part : c.inputs()) {
                Shape s = shapes.get(part);
                Require.that(s.height() == in.height() && s.width() == in.width(), "concat " + c.name() + " joins "
                        + c.inputs().get(0) + " (" + in + ") and " + part + " (" + s + "), whose maps differ in size");
                channels += s.channels();
            }
            Require.that(channels <= Integer.MAX_VALUE, "concat " + c.name() + " would give " + channels + " channels");
            return new Shape((int) channels, in.height(), in.width());
        }
        return in; // BatchNorm, activations, dropout
    }

    /** Output side of a window of {@code span} pixels sliding over {@code side} (floor rounding). */
    private static int slide(String node, int side, int span, int stride, int padding) {
        long padded = (long) side + 2L * padding;
        Require.that(padded >= span, "node " + node + " slides a window of " + span + " pixels over a side of " + side
                + " (padding " + padding + "): the input is too small");
        return (int) ((padded - span) / stride + 1);
    }
}
