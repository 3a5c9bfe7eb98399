package dev.chase.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.config.RunConfig;
import dev.chase.config.TrainConfig;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import dev.chase.train.CrossEntropy;
import dev.chase.train.Sgd;
import dev.chase.train.SparseTraining;
import dev.chase.train.TrainStep;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Measures the wall time of full training steps (forward, backward, optimizer update, and for
 * sparse methods the mask work and the updates that fall in the window) of one or more training
 * methods on the same network and a fixed random batch. Methods are interleaved in rounds, so
 * machine noise hits all of them alike, and ratios are measured in the same process. Data loading
 * is excluded; the step is the same {@link TrainStep} that trains.
 */
public final class TrainStepBench {

    /**
     * What was measured for one method.
     *
     * @param updateSteps timed steps that included a mask update
     * @param meanRatio mean step time relative to the first method measured
     * @param stepMillis every timed step, in order
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Result(String model, String method, int batchSize, int inputSize, int warmupSteps, int threads,
            Samples millisPerStep, double imagesPerSecond, int updateSteps, double meanRatio, List<Double> stepMillis) {}

    private TrainStepBench() {}

    /**
     * Benchmarks {@code spec} once per config (method and its options, batch size, optimizer).
     * Each method first takes {@code warmup} untimed steps; then {@code rounds} rounds time
     * {@code steps / rounds} steps of every method in turn. A method's steps are numbered
     * continuously, so its update interval decides which timed steps include a mask update.
     *
     * @param onStep called after every step with the count of steps taken so far (all methods)
     */
    public static List<Result> run(List<TrainConfig> configs, NetSpec spec, int inputSize, int warmup, int steps, int rounds,
            IntConsumer onStep) {
        if (warmup < 0 || steps <= 0 || rounds <= 0 || rounds > steps) {
            throw new ChaseException("steps must be positive, warm-up >= 0, and rounds in [1, steps]");
        }
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        List<Subject> subjects = new ArrayList<>();
        int[] done = {0};
        try {
            for (TrainConfig c : configs) {
                subjects.add(new Subject(c.resolved(), spec, inputSize, warmup + steps));
            }
            for (Subject s : subjects) {
                for (int i = 0; i < warmup; i++) {
                    s.step();
                    onStep.accept(++done[0]);
                }
            }
            for (int r = 0; r < rounds; r++) {
                int n = steps / rounds + (r < steps % rounds ? 1 : 0);
                for (Subject s : subjects) {
                    for (int i = 0; i < n; i++) {
                        s.millis.add(s.step());
                        onStep.accept(++done[0]);
                    }
                }
            }
            double baseMean = Samples.of(subjects.get(0).millis).mean();
            List<Result> results = new ArrayList<>();
            for (Subject s : subjects) {
                Samples stats = Samples.of(s.millis);
                results.add(new Result(s.config.model(), s.config.method(), s.config.batchSize(), inputSize, warmup, threads, stats,
                        s.config.batchSize() * 1000.0 / stats.median(), s.timedUpdates(warmup), stats.mean() / baseMean, s.millis));
            }
            return results;
        } finally {
            subjects.forEach(Subject::close);
        }
    }

    /** One method's network, optimizer and fixed batch. */
    private static final class Subject implements AutoCloseable {
        final TrainConfig config;
        final NDManager manager = NDManager.newBaseManager();
        final SparseTraining sparse;
        final TrainStep trainStep;
        final NDArray images;
        final NDArray labels;
        final List<Double> millis = new ArrayList<>();
        final List<Long> updates = new ArrayList<>();
        long t;

        Subject(TrainConfig config, NetSpec spec, int inputSize, int stepsPerEpoch) {
            this.config = config;
            Engine.getInstance().setRandomSeed((int) config.seed());
            Network network = Network.build(spec);
            network.initialize(manager);
            Sgd sgd = new Sgd(manager, config.momentum(), config.weightDecay());
            sparse = config.dstMethod().sparse() ? SparseTraining.start(manager, network, sgd, RunConfig.from(config).resolved(), stepsPerEpoch, null)
                    : null;
            trainStep = new TrainStep(network.block(), sgd, new CrossEntropy(0), sparse);
            images = manager.randomNormal(new Shape(config.batchSize(), spec.inChannels(), inputSize, inputSize));
            labels = manager.randomInteger(0, spec.numClasses(), new Shape(config.batchSize()), DataType.INT64);
        }

        double step() {
            Object before = sparse == null ? null : sparse.lastUpdate();
            long t0 = System.nanoTime();
            try (NDManager sub = manager.newSubManager()) {
                // Operations attach their results to their first operand's manager: give the step
                // inputs of its own so every activation is freed with it.
                NDArray x = images.duplicate();
                NDArray y = labels.duplicate();
                x.attach(sub);
                y.attach(sub);
                trainStep.run(sub, x, y, 0.01, ++t);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (sparse != null && sparse.lastUpdate() != before) {
                updates.add(t);
            }
            return ms;
        }

        int timedUpdates(int warmup) {
            return (int) updates.stream().filter(s -> s > warmup).count();
        }

        @Override
        public void close() {
            if (sparse != null) {
                sparse.close();
            }
            manager.close();
        }
    }
}
