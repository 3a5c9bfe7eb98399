package dev.chase.train;

import dev.chase.ChaseException;
import dev.chase.config.Optimisation.Schedule;

/**
 * The learning rate as a pure function of the global step (no hidden counters), so a resumed run
 * sees exactly the rates an uninterrupted one would.
 *
 * <ul>
 *   <li>{@code step}: the reference CIFAR recipe, base rate until 50% of training, x0.1 until 75%,
 *       then x0.01; changes happen at epoch boundaries.
 *   <li>{@code cosine}: linear warm-up over the first warm-up epochs, then cosine annealing to 0
 *       at the last step, updated every step.
 * </ul>
 */
public record LrSchedule(Schedule kind, double baseLr, double warmupEpochs, int epochs, int stepsPerEpoch) {

    public LrSchedule {
        if (baseLr <= 0 || !Double.isFinite(baseLr)) {
            throw new ChaseException("learning rate must be positive, got " + baseLr);
        }
        if (epochs <= 0 || stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("epochs and steps per epoch must be positive");
        }
        if (warmupEpochs < 0 || warmupEpochs >= epochs) {
            throw new ChaseException("warm-up epochs must be in [0, epochs), got " + warmupEpochs);
        }
        if (kind == Schedule.STEP && warmupEpochs > 0) {
            throw new ChaseException("warm-up is only supported with the cosine schedule");
        }
    }

    /** The rate used for optimizer step {@code step} (0-based count of steps already taken). */
    public double at(long step) {
        return switch (kind) {
            case STEP -> stepRate(step);
            case COSINE -> cosineRate(step);
        };
    }

    private double stepRate(long step) {
        long epoch = step / stepsPerEpoch;
        // Milestones as the reference: epochs E/2 and 3E/4 (integer division).
        if (epoch >= (3L * epochs) / 4) {
            return baseLr * 0.01;
        }
        if (epoch >= epochs / 2) {
            return baseLr * 0.1;
        }
        return baseLr;
    }

    private double cosineRate(long step) {
        double total = (double) epochs * stepsPerEpoch;
        double warmup = warmupEpochs * stepsPerEpoch;
        if (step < warmup) {
            return baseLr * (step + 1) / warmup;
        }
        double progress = (step - warmup) / Math.max(1.0, total - warmup);
        return baseLr * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }
}
