package dev.chase.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.graph.Shape;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
            last = n instanceof Node.Input ? inputs.singletonOrThrow() : conform(compute(n, values, store, training), n.name());
            values.put(n.name(), last);
        }
        return new NDList(last);
    }

    private NDArray compute(Node n, Map<String, NDArray> values, ParameterStore store, boolean training) {
        NDArray x = values.get(n.inputs().get(0));
        if (n instanceof Node.Conv) {
            return layers.get(n.name()).forward(store, new NDList(asMap(x)), training).singletonOrThrow();
        } else if (n instanceof Node.Norm) {
            return layers.get(n.name()).forward(store, new NDList(x), training).singletonOrThrow();
        } else if (n instanceof Node.Linear) {
            return layers.get(n.name()).forward(store, new NDList(x.reshape(x.getShape().get(0), -1)), training)
                    .singletonOrThrow();
        } else if (n instanceof Node.Act a) {
            return activate(a.kind(), x);
        } else if (n instanceof Node.Pool p) {
            ai.djl.ndarray.types.Shape kernel = new ai.djl.ndarray.types.Shape(p.kernel(), p.kernel());
            ai.djl.ndarray.types.Shape stride = new ai.djl.ndarray.types.Shape(p.stride(), p.stride());
            ai.djl.ndarray.types.Shape padding = new ai.djl.ndarray.types.Shape(p.padding(), p.padding());
            return p.max() ? Pool.maxPool2d(x, kernel, stride, padding, false)
                    : Pool.avgPool2d(x, kernel, stride, padding, false, true);
        } else if (n instanceof Node.GlobalAvgPool) {
            return Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), x.getShape().get(1), 1, 1);
        } else if (n instanceof Node.Flatten) {
            return x.reshape(x.getShape().get(0), -1);
        } else if (n instanceof Node.Dropout d) {
            return Dropout.dropout(x, (float) d.p(), training).singletonOrThrow();
        } else if (n instanceof Node.Add a) {
            NDArray sum = x;
            for (String other : a.inputs().subList(1, a.inputs().size())) {
                sum = sum.add(conform(values.get(other), n.name()));
            }
            return sum;
        } else if (n instanceof Node.Mul m) {
            NDArray gate = values.get(m.gate());
            return x.mul(flat.get(n.name()) ? gate.reshape(x.getShape()) : asMap(gate));
        }
        Node.Concat c = (Node.Concat) n;
        List<NDArray> parts = c.inputs().stream().map(part -> conform(values.get(part), n.name())).toList();
        return NDArrays.concat(new NDList(parts), 1);
    }

    /** {@code value} in the form the node called {@code name} travels in: (N, features) or a map. */
    private NDArray conform(NDArray value, String name) {
        if (flat.get(name)) {
            return value.getShape().dimension() == 2 ? value : value.reshape(value.getShape().get(0), -1);
        }
        return asMap(value);
    }

    private static NDArray activate(Node.Activation kind, NDArray x) {
        return switch (kind) {
            case RELU -> Activation.relu(x);
            case RELU6 -> Activation.relu6(x);
            case SILU -> Activation.swish(x, 1f);
            case SIGMOID -> Activation.sigmoid(x);
            case HARD_SIGMOID -> hardSigmoid(x);
            case HARD_SWISH -> x.mul(hardSigmoid(x));
        };
    }

    /** relu6(x + 3) / 6, PyTorch's {@code Hardsigmoid}. */
    private static NDArray hardSigmoid(NDArray x) {
        return Activation.relu6(x.add(3f)).div(6f);
    }

    /** (N, C) as (N, C, 1, 1); a map unchanged. */
    private static NDArray asMap(NDArray x) {
        return x.getShape().dimension() == 2 ? x.reshape(x.getShape().get(0), x.getShape().get(1), 1, 1) : x;
    }
}
