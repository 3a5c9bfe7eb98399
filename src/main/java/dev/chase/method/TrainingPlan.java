package dev.chase.method;

/**
 * The length of a run and its seed: what turns a method's epoch-valued options into steps.
 *
 * @param epochs epochs of the run
 * @param stepsPerEpoch optimizer steps per epoch
 * @param seed the run's seed (mask updates mix it with the step)
 */
public record TrainingPlan(int epochs, int stepsPerEpoch, long seed) {
    public TrainingPlan {
        if (epochs < 1 || stepsPerEpoch < 1) {
            throw new IllegalArgumentException("a run has at least one epoch of at least one step, got " + epochs + " x " + stepsPerEpoch);
        }
    }

    /** Optimizer steps of the whole run. */
    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }
}
