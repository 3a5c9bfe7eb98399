package dev.chase.config;

import dev.chase.ChaseException;
import dev.chase.Require;
import java.util.Locale;

/**
 * How the network is optimised (SGD with momentum, no Nesterov) and seeded.
 *
 * @param epochs number of passes over the training set
 * @param batchSize training minibatch size
 * @param evalBatchSize minibatch size for evaluation
 * @param lr base learning rate
 * @param momentum SGD momentum, in [0, 1)
 * @param weightDecay L2 weight decay on every parameter
 * @param schedule the learning-rate schedule
 * @param warmupEpochs linear warm-up length (cosine schedule), in [0, epochs)
 * @param labelSmoothing label smoothing of the loss, in [0, 1)
 * @param seed drives initialisation, masks, data order and augmentation
 */
public record Optimisation(int epochs, int batchSize, int evalBatchSize, double lr, double momentum, double weightDecay,
        Schedule schedule, double warmupEpochs, double labelSmoothing, long seed) {

    /** The learning-rate schedule: {@code step} (x0.1 at 50% and 75% of training) or {@code cosine}. */
    public enum Schedule {
        STEP, COSINE;

        /** The user-facing name. */
        public String key() {
            return Keys.key(this);
        }

        /** Parses a name, trimmed and case-insensitive. */
        public static Schedule parse(String name) {
            Schedule s = name == null ? null : Keys.find(Schedule.class, name.trim().toLowerCase(Locale.ROOT));
            if (s == null) {
                throw new ChaseException("unknown learning-rate schedule '" + name + "': use step or cosine");
            }
            return s;
        }
    }

    public Optimisation {
        Require.that(epochs > 0, "epochs must be positive, got " + epochs);
        Require.that(batchSize > 0, "batch size must be positive, got " + batchSize);
        Require.that(evalBatchSize > 0, "eval batch size must be positive, got " + evalBatchSize);
        Require.that(lr > 0 && Double.isFinite(lr), "learning rate must be positive, got " + lr);
        Require.that(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        Require.that(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        Require.that(warmupEpochs >= 0 && warmupEpochs < epochs, "warm-up epochs must be in [0, epochs), got " + warmupEpochs);
        Require.that(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got " + labelSmoothing);
        Require.that(schedule != null, "learning-rate schedule must be given");
    }
}
