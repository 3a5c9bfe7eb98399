package dev.chase.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.sparse.DstUpdater;
import java.util.List;

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
 * @param stepLoss the training loss of each step of the epoch, in order (absent in runs written
 *     before it was recorded)
 * @param maskUpdates the epoch's mask updates, in order (absent for dense and static training)
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
        SparsityMetrics sparsity,
        List<Float> stepLoss,
        List<MaskUpdate> maskUpdates) {

    /**
     * One mask update of a sparse run ({@link dev.chase.sparse.DstUpdater.Update} at its step).
     *
     * @param grownByFill grown at random because too few positions had a non-zero gradient
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record MaskUpdate(long step, long pruned, long grown, long grownByFill, long nonZeros) {
        public static MaskUpdate of(long step, DstUpdater.Update u) {
            return new MaskUpdate(step, u.pruned(), u.grown(), u.grownByFill(), u.nonZeros());
        }
    }
}
