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
 * Inference throughput of several networks on the same random batch, in eval mode without
 * autograd: after warm-up, every repeat times one forward pass of each network in turn
 * (interleaved, so machine noise hits all alike), and ratios against the first network are taken
 * from medians measured in the same process.
 */
public final class InferenceBench {

    /**
     * One network's timings.
     *
     * @param millisPerBatch forward time of one batch
     * @param speedup median time of the first network divided by this one's
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Result(String name, int batchSize, int inputSize, int threads, Samples millisPerBatch, double imagesPerSecond,
            double speedup) {}

    private InferenceBench() {}

    /**
     * Times {@code networks} (name to network; all take the same input shape).
     *
     * @param manager where the random batch lives
     */
    public static List<Result> run(Map<String, Network> networks, NDManager manager, int batchSize, int inputSize, int warmup,
            int repeats) {
        if (networks.isEmpty() || batchSize <= 0 || warmup < 0 || repeats <= 0) {
            throw new ChaseException("need at least one network, a positive batch size and repeats, and warm-up >= 0");
        }
        int channels = networks.values().iterator().next().spec().inChannels();
        Engine.getInstance().setRandomSeed(1);
        NDArray input = manager.randomNormal(new Shape(batchSize, channels, inputSize, inputSize));
        Map<String, List<Double>> times = new LinkedHashMap<>();
        networks.keySet().forEach(n -> times.put(n, new ArrayList<>()));
        for (int r = 0; r < warmup + repeats; r++) {
            for (Map.Entry<String, Network> e : networks.entrySet()) {
                double ms = forward(e.getValue(), input, manager);
                if (r >= warmup) {
                    times.get(e.getKey()).add(ms);
                }
            }
        }
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        double base = Samples.of(times.values().iterator().next()).median();
        List<Result> out = new ArrayList<>();
        times.forEach((name, t) -> {
            Samples s = Samples.of(t);
            out.add(new Result(name, batchSize, inputSize, threads, s, batchSize * 1000.0 / s.median(), base / s.median()));
        });
        return out;
    }

    private static double forward(Network network, NDArray input, NDManager manager) {
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
