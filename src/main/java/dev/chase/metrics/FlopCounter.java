package dev.chase.metrics;

import ai.djl.ndarray.NDArray;
import dev.chase.ChaseException;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.graph.Shape;
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
 * counted (the reference's hooks for them are commented out). A convolution with groups reads
 * in/groups channels per filter. Output sizes follow the spec's graph ({@link NetSpec#graph()}) at
 * its input size.
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

    /** The FLOP model of every conv and linear layer of the spec's graph, in forward order, at the spec's input size. */
    static List<LayerCost> costs(NetSpec spec) {
        return shapes(spec).stream().map(LayerShape::cost).toList();
    }

    /**
     * Every conv and linear layer of the spec's graph in forward order, with the sides of the
     * activations it reads and writes at the spec's input size.
     */
    public static List<LayerShape> shapes(NetSpec spec) {
        LayerGraph graph = spec.graph();
        return shapes(graph.nodes(), graph.shapes());
    }

    /** Every conv and linear node of {@code nodes} in order, with the sides {@code shapes} gives its input and output. */
    static List<LayerShape> shapes(List<Node> nodes, Map<String, Shape> shapes) {
        List<LayerShape> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n instanceof Node.Conv c) {
                out.add(new LayerShape(c, shapes.get(c.input()).height(), shapes.get(c.name()).height()));
            } else if (n instanceof Node.Linear) {
                out.add(new LayerShape(n, 1, 1));
            }
        }
        return out;
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
