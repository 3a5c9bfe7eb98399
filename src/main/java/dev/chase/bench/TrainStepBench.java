package dev.chase.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import dev.chase.train.CrossEntropy;
import dev.chase.train.Sgd;
import dev.chase.train.SparseTraining;
import dev.chase.train.TrainConfig;
import dev.chase.train.TrainStep;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Measures the wall time of full training steps (forward, backward, optimizer update) of a network
 * on a fixed random batch: warm-up steps first, then timed steps, summarised as median, min and
 * max milliseconds. Data loading is excluded; the step is the same {@link TrainStep} that trains.
 */
public final class TrainStepBench {

    /**
     * What was measured.
     *
     * @param stepMillis every timed step, in order
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Result(String model, String method, int batchSize, int inputSize, int warmupSteps, int threads,
            Samples millisPerStep, double imagesPerSecond, List<Double> stepMillis) {}

    private TrainStepBench() {}

    /**
     * Benchmarks {@code spec} trained as {@code config} says (method and its options, batch size,
     * optimizer). The whole benchmark counts as one epoch of {@code warmup + steps} steps, so a
     * sparse method's update interval decides how many timed steps include a mask update.
     *
     * @param onStep called after every step (warm-up included) with its 1-based index
     */
    public static Result run(TrainConfig config, NetSpec spec, int inputSize, int warmup, int steps, IntConsumer onStep) {
        int batchSize = config.batchSize();
        if (warmup < 0 || steps <= 0) {
            throw new dev.chase.ChaseException("steps must be positive and warm-up >= 0");
        }
        TrainConfig resolved = config.resolved();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) config.seed());
            Network network = Network.build(spec);
            network.initialize(manager);
            Sgd sgd = new Sgd(manager, resolved.momentum(), resolved.weightDecay());
            SparseTraining sparse = resolved.dstMethod().sparse()
                    ? SparseTraining.start(manager, network, sgd, resolved, warmup + steps) : null;
            TrainStep step = new TrainStep(network.block(), sgd, new CrossEntropy(0), sparse);
            NDArray images = manager.randomNormal(new Shape(batchSize, spec.inChannels(), inputSize, inputSize));
            NDArray labels = manager.randomInteger(0, spec.numClasses(), new Shape(batchSize), DataType.INT64);
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                try (NDManager sub = manager.newSubManager()) {
                    step.run(sub, images, labels, 0.01, i + 1);
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                if (i >= warmup) {
                    millis.add(ms);
                }
                onStep.accept(i + 1);
            }
            Samples s = Samples.of(millis);
            int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
            if (sparse != null) {
                sparse.close();
            }
            return new Result(config.model(), config.method(), batchSize, inputSize, warmup, threads, s,
                    batchSize * 1000.0 / s.median(), millis);
        }
    }
}
