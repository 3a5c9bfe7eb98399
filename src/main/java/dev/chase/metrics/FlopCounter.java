package dev.chase.metrics;

import ai.djl.ndarray.NDArray;
import dev.chase.ChaseException;
import dev.chase.model.Layer;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts FLOPs per image as algorithm §7.2 does: conv and linear layers only, 2 FLOPs per multiply-add
 * plus 1 per bias addition, so a conv costs (2·nnz(W) + [bias]·C_out)·H_out·W_out and a linear
 * layer 2·nnz(W) + [bias]·C_out; BatchNorm, activations, pooling and residual additions are not
 * counted (the reference's hooks for them are commented out). Output sizes follow the spec's
 * {@link NetSpec#layers()} (the description {@link Network} is built from) at its input size.
 *
 * <p>A sparse count takes the non-zero weights of each layer and the live architecture they sit
 * in (the spec narrowed to the surviving channels), whose widths say how many biases are still
 * added. Layers are matched by name, which narrowing a spec keeps.
 */
public final class FlopCounter {

    private FlopCounter() {}

    /** Dense FLOPs per image of an architecture. */
    public static long dense(NetSpec spec) {
        return costs(spec).stream().mapToLong(LayerCost::dense).sum();
    }

    /**
     * Theoretical FLOPs per image of the non-zero weights.
     *
     * @param live the architecture the weights live in (narrowed to the surviving channels, if any)
     * @param nonZeros non-zero weights per conv and linear layer name
     * @throws ChaseException if a layer has no count or a count exceeds the layer's size
     */
    public static long sparse(NetSpec live, Map<String, Long> nonZeros) {
        long total = 0;
        for (LayerCost c : costs(live)) {
            total += c.flops(nonZerosOf(c, nonZeros));
        }
        return total;
    }

    /**
     * The three counts of {@link Flops} for a trained network.
     *
     * @param original the architecture it was trained as
     * @param slim the physically narrower architecture (the original itself if no channel was removed)
     * @param nonZeros non-zero weights per conv and linear layer name
     * @throws ChaseException if the two architectures do not have the same layers, or a count is missing
     */
    public static Flops count(NetSpec original, NetSpec slim, Map<String, Long> nonZeros) {
        List<LayerCost> wide = costs(original);
        List<LayerCost> narrow = costs(slim);
        if (!wide.stream().map(LayerCost::name).toList().equals(narrow.stream().map(LayerCost::name).toList())) {
            throw new ChaseException("the shrunk architecture does not have the layers of the original one");
        }
        List<Flops.Layer> layers = new ArrayList<>();
        long dense = 0;
        long sparse = 0;
        long slimTotal = 0;
        for (int i = 0; i < wide.size(); i++) {
            LayerCost w = wide.get(i);
            LayerCost n = narrow.get(i);
            long nnz = nonZerosOf(n, nonZeros);
            layers.add(new Flops.Layer(w.name(), w.outputPixels(), w.weights(), nnz, w.dense(), n.flops(nnz), n.dense()));
            dense += w.dense();
            sparse += n.flops(nnz);
            slimTotal += n.dense();
        }
        return new Flops(dense, sparse, slimTotal, (double) sparse / dense, (double) slimTotal / dense, layers);
    }

    /** The counts of {@link Flops} for an architecture with every weight non-zero (sparse = slim = dense). */
    public static Flops count(NetSpec spec) {
        Map<String, Long> all = new LinkedHashMap<>();
        costs(spec).forEach(c -> all.put(c.name(), c.weights()));
        return count(spec, spec, all);
    }

    /** Non-zero weights of every conv and linear layer of an initialised network (masked weights are exactly zero). */
    public static Map<String, Long> nonZeros(Network network) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (MaskableWeight w : network.maskableWeights()) {
            try (NDArray n = w.parameter().getArray().countNonzero()) {
                out.put(w.name(), n.getLong());
            }
        }
        return out;
    }

    /** The FLOP model of every conv and linear layer of {@link NetSpec#layers()}, in forward order, at the spec's input size. */
    static List<LayerCost> costs(NetSpec spec) {
        return shapes(spec).stream().map(LayerShape::cost).toList();
    }

    /**
     * Every conv and linear layer of {@link NetSpec#layers()} in forward order, with the sides of
     * the activations it reads and writes at the spec's input size.
     *
     * @throws ChaseException if the input is too small for a window of the network
     */
    public static List<LayerShape> shapes(NetSpec spec) {
        List<LayerShape> out = new ArrayList<>();
        walk(spec.layers(), spec.inputSize(), spec.inputSize(), out);
        return out;
    }

    /**
     * Follows the spatial side of the activations through {@code layers}, recording every conv and
     * linear layer met with its sides, and returns the side after them. A residual block's
     * branches both start from the block's input; its output has the main branch's side.
     */
    private static int walk(List<Layer> layers, int side, int inputSize, List<LayerShape> out) {
        for (Layer layer : layers) {
            if (layer instanceof Layer.Conv c) {
                int in = side;
                side = slide(side, c.kernel(), c.stride(), c.padding(), inputSize);
                out.add(new LayerShape(c, in, side));
            } else if (layer instanceof Layer.MaxPool p) {
                side = slide(side, p.kernel(), p.stride(), p.padding(), inputSize);
            } else if (layer instanceof Layer.GlobalAvgPool) {
                side = 1;
            } else if (layer instanceof Layer.Linear l) {
                out.add(new LayerShape(l, 1, 1));
            } else if (layer instanceof Layer.Residual r) {
                int mainSide = walk(r.main(), side, inputSize, out);
                walk(r.shortcut(), side, inputSize, out);
                side = mainSide;
            }
            // BatchNorm and ReLU keep the shape
        }
        return side;
    }

    /** Output side of a window sliding over {@code side} (floor rounding, as conv and max-pool do). */
    private static int slide(int side, int kernel, int stride, int padding, int inputSize) {
        if (side + 2 * padding < kernel) {
            throw new ChaseException("input size " + inputSize + " is too small for this network: a " + kernel + "x" + kernel
                    + " window meets a " + side + "x" + side + " activation");
        }
        return (side + 2 * padding - kernel) / stride + 1;
    }

    private static long nonZerosOf(LayerCost layer, Map<String, Long> nonZeros) {
        Long nnz = nonZeros.get(layer.name());
        if (nnz == null) {
            throw new ChaseException("no non-zero count for layer " + layer.name());
        }
        if (nnz < 0 || nnz > layer.weights()) {
            throw new ChaseException("layer " + layer.name() + " cannot have " + nnz + " non-zero weights (it has "
                    + layer.weights() + ")");
        }
        return nnz;
    }
}
