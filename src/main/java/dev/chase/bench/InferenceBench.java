package dev.chase.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference latency and throughput of several networks on the same random batches, in eval mode
 * without autograd. For each batch size, after warm-up, every repeat times one forward pass of
 * each network in turn (interleaved, so machine noise hits all alike); ratios against the first
 * network (the baseline) are taken from medians measured in the same process. Each measured
 * speed-up is set against the speed-up its theoretical FLOPs promise: their ratio, the
 * realisation, says how much of the FLOP saving the runtime turns into time.
 */
public final class InferenceBench {

    /**
     * A network to time.
     *
     * @param flopsPerImage its theoretical FLOPs per image (what its speed-up is measured against)
     */
    public record Subject(String name, Network network, long flopsPerImage) {
        public Subject {
            if (flopsPerImage <= 0) {
                throw new IllegalArgumentException(name + ": FLOPs per image must be positive, got " + flopsPerImage);
            }
        }
    }

    /**
     * One network at one batch size.
     *
     * @param millisPerBatch forward time of one batch (latency)
     * @param imagesPerSecond throughput at the median time
     * @param speedup median time of the baseline divided by this one's, same batch size
     * @param flopsSpeedup baseline FLOPs per image divided by this network's
     * @param realisation speedup / flopsSpeedup: 1 means the FLOP saving fully became time
     * @param noisy whether the repeat spread (max/min) of this network or the baseline exceeds the effect measured
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Result(String network, int batchSize, Samples millisPerBatch, double imagesPerSecond, double speedup,
            double flopsSpeedup, double realisation, boolean noisy) {}

    /**
     * A whole measurement.
     *
     * @param threads intra-op threads of the engine
     * @param flopsPerImage theoretical FLOPs per image of each network
     * @param results by batch size, then in the networks' order (the baseline first)
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Report(int inputSize, int threads, int warmup, int repeats, List<Integer> batchSizes,
            Map<String, Long> flopsPerImage, List<Result> results) {}

    private InferenceBench() {}

    /**
     * Times every subject at every batch size; the first subject is the baseline.
     *
     * @param manager where the random batches live
     * @param inputSize side of the square input images
     * @param warmup untimed rounds per batch size
     * @param repeats timed rounds per batch size
     */
    public static Report run(List<Subject> subjects, NDManager manager, List<Integer> batchSizes, int inputSize, int warmup,
            int repeats) {
        if (subjects.isEmpty() || batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b <= 0) || warmup < 0 || repeats <= 0) {
            throw new ChaseException("need at least one network, positive batch sizes and repeats, and warm-up >= 0");
        }
        int channels = subjects.get(0).network().spec().inChannels();
        Engine.getInstance().setRandomSeed(1);
        List<Result> out = new ArrayList<>();
        for (int batchSize : batchSizes) {
            List<Samples> times = time(subjects, manager, new Shape(batchSize, channels, inputSize, inputSize), warmup, repeats);
            Subject base = subjects.get(0);
            Samples baseTime = times.get(0);
            for (int i = 0; i < subjects.size(); i++) {
                Subject s = subjects.get(i);
                Samples t = times.get(i);
                double speedup = baseTime.median() / t.median();
                double flopsSpeedup = (double) base.flopsPerImage() / s.flopsPerImage();
                out.add(new Result(s.name(), batchSize, t, batchSize * 1000.0 / t.median(), speedup, flopsSpeedup,
                        speedup / flopsSpeedup, i > 0 && noisy(baseTime, t)));
            }
        }
        Map<String, Long> flops = new LinkedHashMap<>();
        subjects.forEach(s -> flops.put(s.name(), s.flopsPerImage()));
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        return new Report(inputSize, threads, warmup, repeats, List.copyOf(batchSizes), flops, out);
    }

    /**
     * Whether the timings cannot tell a network from the baseline: the larger relative range
     * (spread − 1) of the two exceeds the relative difference of their medians.
     */
    static boolean noisy(Samples base, Samples other) {
        return Math.max(base.spread(), other.spread()) - 1 > Math.abs(1 - other.median() / base.median());
    }

    /** Interleaved timings of every subject on one random batch of the given shape. */
    private static List<Samples> time(List<Subject> subjects, NDManager manager, Shape shape, int warmup, int repeats) {
        List<List<Double>> times = new ArrayList<>();
        subjects.forEach(s -> times.add(new ArrayList<>()));
        try (NDManager batch = manager.newSubManager()) {
            NDArray input = batch.randomNormal(shape);
            for (int r = 0; r < warmup + repeats; r++) {
                for (int i = 0; i < subjects.size(); i++) {
                    double ms = forward(subjects.get(i).network(), input, batch);
                    if (r >= warmup) {
                        times.get(i).add(ms);
                    }
                }
            }
        }
        return times.stream().map(Samples::of).toList();
    }

    /** One eval-mode forward pass of a copy of {@code input}, in milliseconds, until the logits are read back. */
    static double forward(Network network, NDArray input, NDManager manager) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(sub);
            long t0 = System.nanoTime();
            NDArray out = network.block().forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow();
            out.toFloatArray();
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
