package dev.chase.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.chase.ChaseException;
import dev.chase.graph.Node;
import dev.chase.graph.OnnxImport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Starts a network from the weights stored in the ONNX file its architecture was read from
 * ({@code chase train --model onnx:FILE --init-from-onnx}): every conv, BatchNorm (scale, shift
 * and running statistics) and linear layer takes the file's values, replacing the drawn ones. Where
 * training adapted the architecture to the data, the weights are adapted too: a convolution that
 * reads a one-channel image where the file's read C channels gets the sum of its filters over those
 * channels (a grey image through the file's filters, as if repeated in every channel), and a final
 * linear layer with another number of classes keeps its drawn weights. Both are reported.
 */
public final class OnnxInit {

    private OnnxInit() {}

    /**
     * Copies the file's weights into {@code net}, whose architecture must be the file's (as read by
     * {@link OnnxImport#read}, possibly adapted to the data).
     *
     * @return one line for every weight that was adapted rather than copied, and every BatchNorm
     *     whose epsilon in the file differs from chase's
     * @throws ChaseException if the file's weights cannot be read, or do not fit the network
     */
    public static List<String> load(Network net, Path file) {
        OnnxImport.Weights weights = OnnxImport.weights(file);
        List<String> notes = new ArrayList<>();
        for (Node n : net.spec().graph().nodes()) {
            if (NodeOps.parameterFree(n) || n instanceof Node.Input) {
                continue;
            }
            Map<String, OnnxImport.Tensor> stored = weights.tensors().get(n.name());
            if (stored == null) {
                throw new ChaseException("onnx file " + file + " has no layer " + n.name() + "; is it the file this architecture came from?");
            }
            Block block = n instanceof Node.Conv ? net.conv(n.name()) : n instanceof Node.Norm ? net.norm(n.name()) : net.linear(n.name());
            if (n instanceof Node.Linear l && outputs(stored.get("weight")) != l.out()) {
                notes.add(String.format(Locale.ROOT, "%s gives %d classes in the file and %d here: its weights are drawn, not read",
                        n.name(), outputs(stored.get("weight")), l.out()));
                continue;
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                OnnxImport.Tensor t = stored.get(p.getKey());
                if (t == null) {
                    throw new ChaseException("onnx file " + file + " stores no " + p.getKey() + " for " + n.name());
                }
                set(p.getValue().getArray(), t, n, p.getKey(), file, notes);
            }
            Double epsilon = weights.normEpsilons().get(n.name());
            if (epsilon != null && Math.abs(epsilon - Network.BATCH_NORM_EPSILON) > 1e-9) {
                notes.add(String.format(Locale.ROOT, "%s has BatchNorm epsilon %s in the file; chase's BatchNorm uses %s", n.name(),
                        epsilon, Network.BATCH_NORM_EPSILON));
            }
        }
        return notes;
    }

    /** The outputs of a linear layer's stored weight. */
    private static long outputs(OnnxImport.Tensor weight) {
        return weight.shape()[weight.transposed() ? 1 : 0];
    }

    private static void set(NDArray target, OnnxImport.Tensor t, Node n, String param, Path file, List<String> notes) {
        try (NDManager m = target.getManager().newSubManager()) {
            NDArray stored = m.create(t.values(), new Shape(t.shape()));
            NDArray value = t.transposed() ? stored.transpose() : stored;
            Shape want = target.getShape();
            if (n instanceof Node.Conv && param.equals("weight") && want.dimension() == 4 && want.get(1) == 1
                    && value.getShape().dimension() == 4 && value.getShape().get(1) > 1) {
                value = value.sum(new int[] {1}, true);
                notes.add(String.format(Locale.ROOT, "%s reads 1 image channel here and %d in the file: its filters are summed over them",
                        n.name(), stored.getShape().get(1)));
            }
            if (!value.getShape().equals(want)) {
                throw new ChaseException("onnx file " + file + " stores " + param + " of " + n.name() + " with shape "
                        + Arrays.toString(value.getShape().getShape()) + "; the network needs " + Arrays.toString(want.getShape()));
            }
            target.set(new NDIndex("..."), value);
        }
    }
}
