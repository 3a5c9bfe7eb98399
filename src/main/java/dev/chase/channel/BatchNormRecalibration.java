package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Re-estimates the running mean and variance of every BatchNorm of a network from a pass over
 * input batches, as the reference code does after shrinking (algorithm §6.6, {@code
 * torch.optim.swa_utils.update_bn}): the result is the plain average over the batches of each
 * batch's statistics (a cumulative average, momentum {@code None}), every batch weighing the same.
 * The forward passes run in training mode, so each BatchNorm normalises with the statistics of
 * its batch and the layers after it see what they see in training; no weight changes.
 *
 * <p>How it is exact. DJL's BatchNorm updates its running statistics during a training-mode
 * forward with a fixed momentum ({@code r <- m r + (1 - m) s}, where s is the batch mean, or the
 * unbiased batch variance as PyTorch computes it), and that momentum can be neither read nor set
 * once the layer exists. So before every batch the running statistics are set to zero, after the
 * forward they hold {@code (1 - m) s}, and these are summed. The factor {@code 1 - m} of each
 * BatchNorm is measured on the first batch, by running it a second time with the running mean set
 * to one: that gives {@code m + (1 - m) s}, and the difference of the two is {@code m}. At the end
 * each running statistic is set to {@code sum / (count (1 - m))}. Up to float rounding (about
 * 1e-6 relative) this is the mean of the per-batch statistics; the variance is PyTorch's unbiased
 * batch variance, as in {@code update_bn}.
 */
public final class BatchNormRecalibration {

    /** Relative spread of the measured momentum over a layer's channels above which something is off. */
    private static final double MOMENTUM_TOLERANCE = 1e-3;

    /**
     * The input batches of one pass, independent of where they come from (a data loader, a fixed
     * list in a test).
     */
    @FunctionalInterface
    public interface Batches {
        /**
         * Calls {@code visitor} once per batch with float32 images of shape (N, C, H, W); the
         * caller may close a batch as soon as {@code visitor} returns.
         */
        void forEach(Consumer<NDArray> visitor);

        /** The batches of an iterable, visited in its order (they are not closed). */
        static Batches of(Iterable<NDArray> batches) {
            Objects.requireNonNull(batches, "batches");
            return batches::forEach;
        }
    }

    private BatchNormRecalibration() {}

    /**
     * Sets the running statistics of every BatchNorm of {@code network} to their average over
     * {@code batches}. Weights, gamma and beta are unchanged. If a forward pass fails, the running
     * statistics are restored before the exception propagates.
     *
     * @return the number of batches used
     * @throws ChaseException if there is no batch
     */
    public static int recalibrate(Network network, Batches batches) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(batches, "batches");
        List<Stats> layers = new ArrayList<>();
        for (Map.Entry<String, BatchNorm> e : norms(network).entrySet()) {
            layers.add(new Stats(e.getKey(), e.getValue()));
        }
        if (layers.isEmpty()) {
            return countOnly(batches);
        }
        NDManager scratch = layers.get(0).mean.getManager().newSubManager();
        try {
            for (Stats s : layers) {
                s.prepare(scratch);
            }
            int[] count = {0};
            batches.forEach(images -> {
                layers.forEach(Stats::zero);
                forward(network, images);
                if (count[0] == 0) {
                    measureMomentum(network, images, layers, scratch);
                }
                layers.forEach(Stats::accumulate);
                count[0]++;
            });
            if (count[0] == 0) {
                throw new ChaseException("cannot recalibrate BatchNorm statistics: there are no batches");
            }
            for (Stats s : layers) {
                s.finish(count[0]);
            }
            return count[0];
        } catch (RuntimeException | Error e) {
            for (Stats s : layers) {
                s.restore();
            }
            throw e;
        } finally {
            scratch.close();
        }
    }

    /**
     * After the first forward (statistics zeroed), each layer holds {@code (1 - m) s}; running the
     * batch again with the running mean set to one gives {@code m + (1 - m) s}.
     */
    private static void measureMomentum(Network network, NDArray images, List<Stats> layers, NDManager scratch) {
        for (Stats s : layers) {
            s.firstMean = s.mean.duplicate();
            s.firstMean.attach(scratch);
            s.firstVar = s.var.duplicate();
            s.firstVar.attach(scratch);
            s.mean.set(new NDIndex("..."), 1f);
        }
        forward(network, images);
        for (Stats s : layers) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray momentum = s.mean.sub(s.firstMean);
                double m = momentum.mean().getFloat();
                double spread = momentum.sub((float) m).abs().max().getFloat();
                if (!(m > -1e-6 && m < 1) || spread > MOMENTUM_TOLERANCE * Math.max(m, 1e-3)) {
                    throw new IllegalStateException("BatchNorm " + s.name + " does not update its running mean as"
                            + " an exponential average (measured momentum " + m + ", spread " + spread + ")");
                }
                s.update = 1 - m;
            }
            if (s.update < 1e-6) {
                throw new IllegalStateException("BatchNorm " + s.name + " never updates its running statistics"
                        + " (momentum " + (1 - s.update) + ")");
            }
            s.mean.set(new NDIndex("..."), s.firstMean);
            s.var.set(new NDIndex("..."), s.firstVar);
        }
    }

    private static void forward(Network network, NDArray images) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            network.block().forward(new ParameterStore(images.getManager(), false), new NDList(images), true);
        }
    }

    private static int countOnly(Batches batches) {
        int[] count = {0};
        batches.forEach(images -> count[0]++);
        if (count[0] == 0) {
            throw new ChaseException("cannot recalibrate BatchNorm statistics: there are no batches");
        }
        return count[0];
    }

    /** Every BatchNorm of the network by name, in channel-group order. */
    private static Map<String, BatchNorm> norms(Network network) {
        Map<String, BatchNorm> norms = new LinkedHashMap<>();
        for (ChannelGroup g : network.channelGroups()) {
            for (String name : g.norms()) {
                norms.put(name, network.norm(name));
            }
        }
        return norms;
    }

    /** One BatchNorm's running statistics, their sums over batches and a copy of the originals. */
    private static final class Stats {
        final String name;
        final NDArray mean;
        final NDArray var;
        NDArray sumMean;
        NDArray sumVar;
        NDArray originalMean;
        NDArray originalVar;
        NDArray firstMean;
        NDArray firstVar;
        double update = Double.NaN;

        Stats(String name, BatchNorm norm) {
            this.name = name;
            this.mean = norm.getParameters().get("runningMean").getArray();
            this.var = norm.getParameters().get("runningVar").getArray();
        }

        void prepare(NDManager scratch) {
            originalMean = copy(mean, scratch);
            originalVar = copy(var, scratch);
            sumMean = scratch.zeros(mean.getShape(), mean.getDataType());
            sumVar = scratch.zeros(var.getShape(), var.getDataType());
        }

        void zero() {
            mean.set(new NDIndex("..."), 0f);
            var.set(new NDIndex("..."), 0f);
        }

        void accumulate() {
            sumMean.addi(mean);
            sumVar.addi(var);
        }

        void finish(int count) {
            float scale = (float) (1.0 / (count * update));
            sumMean.muli(scale);
            sumVar.muli(scale);
            mean.set(new NDIndex("..."), sumMean);
            var.set(new NDIndex("..."), sumVar);
        }

        void restore() {
            if (originalMean != null) {
                mean.set(new NDIndex("..."), originalMean);
                var.set(new NDIndex("..."), originalVar);
            }
        }

        private static NDArray copy(NDArray array, NDManager manager) {
            NDArray copy = array.duplicate();
            copy.attach(manager);
            return copy;
        }
    }
}
