package dev.chase.train;

/** Work attached to every optimizer step: sparse training uses it to read gradients and apply masks. */
public interface StepHook {
    /** After backward, before the optimizer update of step {@code t} (1-based); gradients are readable. */
    void beforeUpdate(long t);

    /** After the optimizer update of step {@code t}. */
    void afterUpdate(long t);
}
