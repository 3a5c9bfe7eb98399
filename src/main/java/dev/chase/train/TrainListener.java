package dev.chase.train;

import dev.chase.run.EpochMetrics;

/** Receives progress from a {@link TrainingRun} (the CLI draws a progress bar from it). */
public interface TrainListener {
    /** Called after every training batch. */
    default void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond) {}

    /** Called when evaluation of an epoch starts. */
    default void onEvaluate(int epoch) {}

    /** Called after each completed (and checkpointed) epoch. */
    default void onEpoch(EpochMetrics metrics, int epochs) {}

    /** A listener that ignores everything. */
    TrainListener SILENT = new TrainListener() {};
}
