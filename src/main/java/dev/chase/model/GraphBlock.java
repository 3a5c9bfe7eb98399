package dev.chase.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.graph.Shape;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A {@link LayerGraph} as one DJL block: (N, C, H, W) float images in, the last node's output out
 * ((N, classes) for a classifier). Each conv, BatchNorm and linear node is a standard DJL child
 * block named after its node ({@link #layer(String)}), initialised in graph order with the
 * initialisers of a {@link WeightInit}; everything else is computed in {@code forward}. Outputs with
 * no spatial extent ({@link LayerGraph#flatOutputs()}) travel as (N, features); a global average
 * pool keeps (N, C, 1, 1), so a 1x1 convolution can read it, as in squeeze-and-excitation.
 */
public final class GraphBlock extends AbstractBlock {
    private final LayerGraph graph;
    private final Map<String, Shape> shapes;
    private final Map<String, Block> layers = new LinkedHashMap<>();
    private final Map<String, Boolean> flat;

    /** The (uninitialised) block of {@code graph}; call {@code initialize} with the input's shape. */
    public GraphBlock(LayerGraph graph, WeightInit init) {
        this.graph = graph;
        this.shapes = graph.shapes();
        this.flat = graph.flatOutputs();
        for (Node n : graph.nodes()) {
            Block layer = null;
            if (n instanceof Node.Conv c) {
                layer = LayerBlocks.conv(init, c.in(), c.out(), c.kernel(), c.stride(), c.padding(), c.dilation(), c.groups(),
                        c.bias());
            } else if (n instanceof Node.Norm) {
                layer = LayerBlocks.norm();
            } else if (n instanceof Node.Linear l) {
                layer = LayerBlocks.linear(init, l.in(), l.out(), l.bias());
            }
            if (layer != null) {
                layers.put(n.name(), addChildBlock(n.name(), layer));
            }
        }
    }

    /** The graph this block computes. */
    public LayerGraph graph() {
        return graph;
    }

    /** The conv, BatchNorm or linear block of the node called {@code name}. */
    public Block layer(String name) {
        Block layer = layers.get(name);
        if (layer == null) {
            throw new NoSuchElementException("no conv, BatchNorm or linear node named " + name);
        }
        return layer;
    }

    /** Every conv, BatchNorm and linear block by node name, in graph order. */
    public Map<String, Block> layers() {
        return Collections.unmodifiableMap(layers);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, ai.djl.ndarray.types.Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        for (Node node : graph.nodes()) {
            Block layer = layers.get(node.name());
            if (layer == null) {
                continue;
            }
            Shape in = shapes.get(node.inputs().get(0));
            boolean flatInput = node instanceof Node.Linear || node instanceof Node.Norm && flat.get(node.inputs().get(0));
            layer.initialize(manager, dataType, flatInput ? new ai.djl.ndarray.types.Shape(batch, in.channels())
                    : new ai.djl.ndarray.types.Shape(batch, in.channels(), in.height(), in.width()));
        }
    }

    @Override
    public ai.djl.ndarray.types.Shape[] getOutputShapes(ai.djl.ndarray.types.Shape[] inputShapes) {
        Node last = graph.nodes().get(graph.nodes().size() - 1);
        Shape out = shapes.get(last.name());
        long batch = inputShapes[0].get(0);
        return new ai.djl.ndarray.types.Shape[] {flat.get(last.name()) ? new ai.djl.ndarray.types.Shape(batch, out.channels())
                : new ai.djl.ndarray.types.Shape(batch, out.channels(), out.height(), out.width())};
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        Map<String, NDArray> values = new HashMap<>();
        NDArray last = null;
        for (Node n : graph.nodes()) {
            if (n instanceof Node.Input) {
                last = inputs.singletonOrThrow();
            } else if (NodeOps.parameterFree(n)) {
                last = NodeOps.apply(n, n.inputs().stream().map(values::get).toList(), flat.get(n.name()), training);
            } else {
                NDArray x = NodeOps.layerInput(n, values.get(n.inputs().get(0)));
                last = NodeOps.conform(layers.get(n.name()).forward(store, new NDList(x), training).singletonOrThrow(),
                        flat.get(n.name()));
            }
            values.put(n.name(), last);
        }
        return new NDList(last);
    }
}
