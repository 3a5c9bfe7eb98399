package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * One dynamic-sparse-training algorithm: decides, at given global steps, which weights to prune
 * and which to grow. Each method is a small variation on prune-then-grow; the updater only sees
 * tensors (masks, weights, gradients, momentum), never files or the training loop.
 */
public interface DstUpdater {
    /** Whether the step {@code t} (1-based count of optimizer steps taken) runs a mask update. */
    boolean updatesAt(long t);

    /**
     * Runs the update of step {@code t}, after the optimizer step and the mask application of that
     * step. Grown positions start at weight 0 and momentum 0.
     *
     * @param gradients the dense gradients of this step's minibatch, by masked tensor name
     * @param momentum optimizer momentum by masked tensor name (entries may be missing)
     */
    Update update(long t, SparseModel model, Map<String, NDArray> weights, Map<String, NDArray> gradients,
            Map<String, NDArray> momentum);

    /**
     * What an update did.
     *
     * @param pruned weights switched off
     * @param grown weights switched on, all together
     * @param grownByFill of those, how many gradient growth could not place (too few positions with
     *     a non-zero gradient) and the random fill placed instead
     * @param nonZeros active weights afterwards
     */
    record Update(long pruned, long grown, long grownByFill, long nonZeros) {}

    /** The updater of {@code static}: masks never change. */
    DstUpdater STATIC = new DstUpdater() {
        @Override
        public boolean updatesAt(long t) {
            return false;
        }

        @Override
        public Update update(long t, SparseModel model, Map<String, NDArray> weights, Map<String, NDArray> gradients,
                Map<String, NDArray> momentum) {
            throw new IllegalStateException("static sparse training never updates its masks");
        }
    };
}
