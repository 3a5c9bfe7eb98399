package dev.chase.train;

import ai.djl.ndarray.NDArray;
import dev.chase.ChaseException;

/**
 * Softmax cross-entropy over logits with optional label smoothing: {@code (1-eps)*NLL +
 * eps*mean_k(-log p_k)}, averaged over the batch. With eps = 0 this is the reference CIFAR loss
 * (log-softmax + NLL).
 */
public record CrossEntropy(double labelSmoothing) {
    public CrossEntropy {
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new ChaseException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
    }

    /** Mean loss of a batch; {@code labels} are int64 class indices. */
    public NDArray loss(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(1);
        NDArray nll = logp.gather(labels.reshape(-1, 1), 1).neg().mean();
        if (labelSmoothing == 0) {
            return nll;
        }
        NDArray uniform = logp.mean(new int[] {1}).neg().mean();
        return nll.mul((float) (1 - labelSmoothing)).add(uniform.mul((float) labelSmoothing));
    }

    /** Number of rows whose arg-max equals the label. */
    public static long correct(NDArray logits, NDArray labels) {
        try (NDArray pred = logits.argMax(1);
                NDArray eq = pred.eq(labels.toType(pred.getDataType(), false));
                NDArray n = eq.sum()) {
            return n.toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
        }
    }
}
