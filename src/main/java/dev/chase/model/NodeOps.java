package dev.chase.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import java.util.List;

/**
 * What each {@link Node} computes on the engine, in the forms values travel in between nodes
 * (a map (N, C, H, W), or (N, features) where {@link LayerGraph#flatOutputs()} says so): the one
 * definition that {@link GraphBlock} runs and that the profilers time op by op. Conv, BatchNorm
 * and linear nodes have weights and run as blocks (or the profilers' raw ops) on {@link
 * #layerInput}; {@link #apply} computes every other node.
 */
public final class NodeOps {

    private NodeOps() {}

    /** Whether {@link #apply} computes this node: it has no weights and is not the input. */
    public static boolean parameterFree(Node n) {
        return !(n instanceof Node.Input || n instanceof Node.Conv || n instanceof Node.Norm || n instanceof Node.Linear);
    }

    /** The value a conv, BatchNorm or linear node reads: a map for a conv, (N, features) for a linear layer. */
    public static NDArray layerInput(Node n, NDArray x) {
        if (n instanceof Node.Conv) {
            return asMap(x);
        }
        return n instanceof Node.Linear ? x.reshape(x.getShape().get(0), -1) : x;
    }

    /**
     * A parameter-free node on its inputs (in {@code n.inputs()} order); the result goes to the
     * first input's manager, in the node's form.
     *
     * @param flat whether the node's output is flat ({@link LayerGraph#flatOutputs()})
     * @param training whether dropout drops
     */
    public static NDArray apply(Node n, List<NDArray> inputs, boolean flat, boolean training) {
        NDArray x = inputs.get(0);
        NDArray y;
        if (n instanceof Node.Act a) {
            y = activate(a.kind(), x);
        } else if (n instanceof Node.Pool p) {
            ai.djl.ndarray.types.Shape kernel = new ai.djl.ndarray.types.Shape(p.kernel(), p.kernel());
            ai.djl.ndarray.types.Shape stride = new ai.djl.ndarray.types.Shape(p.stride(), p.stride());
            ai.djl.ndarray.types.Shape padding = new ai.djl.ndarray.types.Shape(p.padding(), p.padding());
            y = p.max() ? Pool.maxPool2d(x, kernel, stride, padding, false) : Pool.avgPool2d(x, kernel, stride, padding, false, true);
        } else if (n instanceof Node.GlobalAvgPool) {
            y = Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), x.getShape().get(1), 1, 1);
        } else if (n instanceof Node.Flatten) {
            y = x.reshape(x.getShape().get(0), -1);
        } else if (n instanceof Node.Dropout d) {
            y = Dropout.dropout(x, (float) d.p(), training).singletonOrThrow();
        } else if (n instanceof Node.Add) {
            y = x;
            for (NDArray other : inputs.subList(1, inputs.size())) {
                y = y.add(conform(other, flat));
            }
        } else if (n instanceof Node.Mul) {
            NDArray gate = inputs.get(1);
            y = x.mul(flat ? gate.reshape(x.getShape()) : asMap(gate));
        } else if (n instanceof Node.Concat) {
            y = NDArrays.concat(new NDList(inputs.stream().map(part -> conform(part, flat)).toList()), 1);
        } else {
            throw new IllegalArgumentException("not a parameter-free node: " + n);
        }
        return conform(y, flat);
    }

    /** {@code value} in a node's form: (N, features) if {@code flat}, else a map. */
    public static NDArray conform(NDArray value, boolean flat) {
        if (flat) {
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
