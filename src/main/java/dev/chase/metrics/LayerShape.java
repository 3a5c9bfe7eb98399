package dev.chase.metrics;

import dev.chase.graph.Node;

/**
 * A conv or linear layer of an architecture at the activation sizes it meets: the side of its
 * (square) input and output. {@link FlopCounter#shapes} gives them for a whole {@code NetSpec},
 * following its graph; the FLOP and latency models price a layer from this alone.
 *
 * @param layer a {@link Node.Conv} or {@link Node.Linear}
 * @param inputSide side of its input activation (1 for a linear layer)
 * @param outputSide side of its output activation (1 for a linear layer)
 */
public record LayerShape(Node layer, int inputSide, int outputSide) {

    public LayerShape {
        if (!(layer instanceof Node.Conv || layer instanceof Node.Linear)) {
            throw new IllegalArgumentException("only conv and linear layers have a shape here, got " + layer);
        }
    }

    /** The layer's name. */
    public String name() {
        return layer.name();
    }

    /** Input channels (features of a linear layer). */
    public int in() {
        return layer instanceof Node.Conv c ? c.in() : ((Node.Linear) layer).in();
    }

    /** Output channels (units of a linear layer). */
    public int out() {
        return layer instanceof Node.Conv c ? c.out() : ((Node.Linear) layer).out();
    }

    /** Kernel side (1 for a linear layer). */
    public int kernel() {
        return layer instanceof Node.Conv c ? c.kernel() : 1;
    }

    /** Convolution groups: each output channel reads in/groups input channels (1 for a linear layer). */
    public int groups() {
        return layer instanceof Node.Conv c ? c.groups() : 1;
    }

    /** Whether a bias is added to every output. */
    public boolean bias() {
        return layer instanceof Node.Conv c ? c.bias() : ((Node.Linear) layer).bias();
    }

    /** Whether this is a conv layer. */
    public boolean conv() {
        return layer instanceof Node.Conv;
    }

    /** H_out·W_out (1 for a linear layer). */
    public long outputPixels() {
        return (long) outputSide * outputSide;
    }

    /** Dense FLOPs per image (algorithm §7.2): (2·out·(in/groups)·k² + [bias]·out)·H_out·W_out. */
    public long flops() {
        return cost().dense();
    }

    /** The FLOP model of this layer. */
    LayerCost cost() {
        return new LayerCost(name(), (long) out() * (in() / groups()) * kernel() * kernel(), bias() ? out() : 0, outputPixels());
    }
}
