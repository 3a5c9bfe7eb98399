package dev.chase.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One line of {@code metrics.jsonl}: what happened in one epoch.
 *
 * @param epoch 1-based epoch number
 * @param step optimizer steps taken by the end of the epoch
 * @param lr learning rate of the epoch's last step
 * @param trainLoss mean training loss over the epoch's batches
 * @param trainAccuracy training top-1 accuracy (on augmented batches, as seen during training)
 * @param testLoss mean loss on the test set
 * @param testAccuracy top-1 accuracy on the test set
 * @param epochSeconds wall time of the training part of the epoch
 * @param trainImagesPerSecond training throughput of the epoch
 * @param sparsity masks at the end of the epoch (absent for dense training)
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record EpochMetrics(
        int epoch,
        long step,
        double lr,
        double trainLoss,
        double trainAccuracy,
        double testLoss,
        double testAccuracy,
        double epochSeconds,
        double trainImagesPerSecond,
        SparsityMetrics sparsity) {}
