/**
 * What a network costs, counted rather than timed (algorithm §7.2): FLOPs per image of a dense
 * architecture, of an unstructured-sparse network (only its non-zero weights) and of the
 * physically narrower network counted dense ({@link dev.chase.metrics.FlopCounter}, {@link
 * dev.chase.metrics.Flops}), and the theoretical training FLOPs along a run's trajectory ({@link
 * dev.chase.metrics.TrainingFlops}).
 *
 * <p>This package reads architectures from {@code model} and plain counts; it knows nothing of
 * files, the training loop or the CLI, so every number can be checked by hand on a tiny network.
 */
package dev.chase.metrics;
