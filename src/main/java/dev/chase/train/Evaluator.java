package dev.chase.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.chase.data.BatchLoader;

/** Top-1 accuracy and mean loss of a network on a dataset, in inference mode, without autograd. */
public final class Evaluator {
    /** Result of an evaluation over {@code count} examples. */
    public record Result(double loss, double accuracy, long count) {}

    private Evaluator() {}

    /** Evaluates {@code block} on every batch of {@code loader} (epoch 0 order). */
    public static Result evaluate(Block block, BatchLoader loader, NDManager manager) {
        CrossEntropy ce = new CrossEntropy(0);
        double lossSum = 0;
        long correct = 0;
        long count = 0;
        for (int b = 0; b < loader.numBatches(); b++) {
            try (NDManager sub = manager.newSubManager()) {
                BatchLoader.Batch batch = loader.load(0, b, sub);
                NDArray logits = block.forward(new ParameterStore(sub, false), new NDList(batch.images()), false).singletonOrThrow();
                lossSum += ce.loss(logits, batch.labels()).getFloat() * batch.size();
                correct += CrossEntropy.correct(logits, batch.labels());
                count += batch.size();
            }
        }
        return new Result(count == 0 ? Double.NaN : lossSum / count, count == 0 ? Double.NaN : (double) correct / count, count);
    }
}
