package dev.chase.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.chase.channel.BatchNormRecalibration;
import dev.chase.channel.ChannelController;
import dev.chase.channel.Shrinker;
import dev.chase.data.BatchLoader;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.run.RunDirectory;
import dev.chase.run.ShrinkReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chase's end of run: builds the physically narrower network from the alive channels (masks
 * sliced along), checks it on the test set, recalibrates its BatchNorm statistics with one pass
 * over the training data of the last epoch, evaluates again, and saves it in {@code model-slim/}
 * with {@code shrink.json}. A run that shrank while training already has that architecture; its
 * network is sliced by nothing and so simply copied.
 *
 * @param trainLoader the run's training batches (the last epoch's order is replayed)
 * @param testLoader the run's test batches
 * @param lastEpoch the number of the run's last epoch
 */
record FinalShrink(BatchLoader trainLoader, BatchLoader testLoader, int lastEpoch) {

    /**
     * Shrinks {@code network} to the alive channels of {@code channels} and writes the result.
     *
     * @param original the network as configured (for the dense weight count)
     * @param network the network that trained
     * @param nonZeros the run's active weights at the end
     * @param maskedAccuracy the test accuracy of the last epoch, before shrinking
     * @param manager the parent of the slim network's scratch manager
     */
    ShrinkReport apply(Network original, Network network, ChannelController channels, long nonZeros, double maskedAccuracy,
            RunDirectory dir, NDManager manager) {
        Map<String, Integer> before = new LinkedHashMap<>();
        channels.alive().forEach((name, a) -> before.put(name, a.length));
        try (NDManager slimManager = manager.newSubManager()) {
            Network slim = Shrinker.shrink(network, channels.keptPositions(), slimManager);
            double slimAccuracy = Evaluator.evaluate(slim.block(), testLoader, slimManager).accuracy();
            // A run that shrank while training is sliced by nothing here: there is no masked network to compare with.
            boolean sliced = channels.keptPositions().entrySet().stream()
                    .anyMatch(e -> e.getValue().length < network.channelGroup(e.getKey()).width());
            Double logitDifference = sliced ? maxLogitDifference(network, slim, slimManager) : null;
            BatchNormRecalibration.recalibrate(slim, visitor -> {
                for (int b = 0; b < trainLoader.numBatches(); b++) {
                    try (NDManager sub = slimManager.newSubManager()) {
                        visitor.accept(trainLoader.load(lastEpoch, b, sub).images());
                    }
                }
            });
            double recalibrated = Evaluator.evaluate(slim.block(), testLoader, slimManager).accuracy();
            Path slimDir = dir.slimModelDir();
            SavedModel.save(slimDir, slim);
            ShrinkReport report = new ShrinkReport(before, channels.widths(), weightCount(original), weightCount(slim), nonZeros,
                    maskedAccuracy, slimAccuracy, recalibrated, logitDifference, slimDir.toString());
            dir.writeShrink(report);
            return report;
        }
    }

    /** The largest |logit| difference between the trained network and the slim one on the first test batch (eval mode). */
    private double maxLogitDifference(Network network, Network slim, NDManager manager) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray images = testLoader.load(0, 0, sub).images();
            ParameterStore store = new ParameterStore(sub, false);
            NDArray wide = network.block().forward(store, new NDList(images), false).singletonOrThrow();
            NDArray narrow = slim.block().forward(store, new NDList(images), false).singletonOrThrow();
            return wide.sub(narrow).abs().max().getFloat();
        }
    }

    private static long weightCount(Network network) {
        return network.maskableWeights().stream().mapToLong(w -> w.shape().size()).sum();
    }
}
