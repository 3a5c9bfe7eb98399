package dev.chase.model;

import ai.djl.ndarray.NDArray;
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
            if (n instanceof Node.Linear l && stored.get("weight").shape()[0] != l.out()) {
                notes.add(String.format(Locale.ROOT, "%s gives %d classes in the file and %d here: its weights are drawn, not read",
                        n.name(), stored.get("weight").shape()[0], l.out()));
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

    private static void set(NDArray target, OnnxImport.Tensor t, Node n, String param, Path file, List<String> notes) {
        long[] want = target.getShape().getShape();
        if (Arrays.equals(want, t.shape())) {
            target.set(t.values());
            return;
        }
        if (n instanceof Node.Conv && param.equals("weight") && want.length == 4 && want[1] == 1 && t.shape().length == 4
                && want[0] == t.shape()[0] && want[2] == t.shape()[2] && want[3] == t.shape()[3]) {
            target.set(summedOverInputs(t));
            notes.add(String.format(Locale.ROOT, "%s reads 1 image channel here and %d in the file: its filters are summed over them",
                    n.name(), t.shape()[1]));
            return;
        }
        throw new ChaseException("onnx file " + file + " stores " + param + " of " + n.name() + " with shape " + Arrays.toString(t.shape())
                + "; the network needs " + Arrays.toString(want));
    }

    /** (out, C, k, k) to (out, 1, k, k), summing over C. */
    private static float[] summedOverInputs(OnnxImport.Tensor t) {
        int out = (int) t.shape()[0];
        int in = (int) t.shape()[1];
        int area = (int) (t.shape()[2] * t.shape()[3]);
        float[] sum = new float[out * area];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int k = 0; k < area; k++) {
                    sum[o * area + k] += t.values()[(o * in + c) * area + k];
                }
            }
        }
        return sum;
    }
}
