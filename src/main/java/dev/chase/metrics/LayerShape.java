package dev.chase.metrics;

import dev.chase.model.Layer;

/**
 * A conv or linear layer of an architecture at the activation sizes it meets: the side of its
 * (square) input and output. {@link FlopCounter#shapes} gives them for a whole {@code NetSpec},
 * following {@code NetSpec.layers()}; the FLOP and latency models price a layer from this alone.
 *
 * @param layer a {@link Layer.Conv} or {@link Layer.Linear}
 * @param inputSide side of its input activation (1 for a linear layer)
 * @param outputSide side of its output activation (1 for a linear layer)
 */
public record LayerShape(Layer layer, int inputSide, int outputSide) {

    public LayerShape {
        if (!(layer instanceof Layer.Conv || layer instanceof Layer.Linear)) {
            throw new IllegalArgumentException("only conv and linear layers have a shape here, got " + layer);
        }
    }

    /** The layer's name. */
    public String name() {
        return layer instanceof Layer.Conv c ? c.name() : ((Layer.Linear) layer).name();
    }

    /** Input channels (features of a linear layer). */
    public int in() {
        return layer instanceof Layer.Conv c ? c.in() : ((Layer.Linear) layer).in();
    }

    /** Output channels (units of a linear layer). */
    public int out() {
        return layer instanceof Layer.Conv c ? c.out() : ((Layer.Linear) layer).out();
    }

    /** Kernel side (1 for a linear layer). */
    public int kernel() {
        return layer instanceof Layer.Conv c ? c.kernel() : 1;
    }

    /** Whether a bias is added to every output. */
    public boolean bias() {
        return layer instanceof Layer.Conv c ? c.bias() : ((Layer.Linear) layer).bias();
    }

    /** Whether this is a conv layer. */
    public boolean conv() {
        return layer instanceof Layer.Conv;
    }

    /** H_out·W_out (1 for a linear layer). */
    public long outputPixels() {
        return (long) outputSide * outputSide;
    }

    /** Dense FLOPs per image (algorithm §7.2): (2·in·out·k² + [bias]·out)·H_out·W_out. */
    public long flops() {
        return cost().dense();
    }

    /** The FLOP model of this layer. */
    LayerCost cost() {
        return new LayerCost(name(), (long) out() * in() * kernel() * kernel(), bias() ? out() : 0, outputPixels());
    }
}
