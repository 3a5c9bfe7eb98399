package dev.chase.bench;

import ai.djl.ndarray.NDManager;
import dev.chase.ChaseException;
import dev.chase.channel.WidthRounding;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.LatencyModel;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How well a {@link LatencyModel} predicts whole networks: builds the dense architecture, a
 * uniformly half-width one, some randomly narrowed ones (every INTERNAL and STREAM group at a
 * width drawn from [0.2, 1] of its own, optionally rounded to a multiple, as {@code --round-to}
 * leaves a run's widths) and any given ones (such as the shrunk networks of
 * finished runs), times their forward passes interleaved ({@link
 * InferenceBench}) and sets each median against the prediction, both in milliseconds and as a
 * fraction of the dense network (what {@code --target-latency} relies on).
 */
public final class LatencyCheck {

    /**
     * One network.
     *
     * @param widths its group widths (empty for the dense network)
     * @param predictedMillis the model's sum over layers
     * @param measuredMillis the median forward time
     * @param predictedFraction predicted / predicted dense
     * @param measuredFraction measured / measured dense
     * @param spread max/min of its timed repeats
     */
    public record Row(String name, Map<String, Integer> widths, double predictedMillis, double measuredMillis,
            double predictedFraction, double measuredFraction, double spread) {

        /** predicted / measured − 1. */
        public double error() {
            return predictedMillis / measuredMillis - 1;
        }

        /** predicted fraction / measured fraction − 1 (0 for the dense network by construction). */
        public double fractionError() {
            return predictedFraction / measuredFraction - 1;
        }
    }

    /**
     * The randomly narrowed networks to time.
     *
     * @param count how many
     * @param seed what draws their widths
     * @param multipleOf each drawn width is rounded to a multiple of this (at least one multiple, at
     *     most the group's width), as {@code --round-to} leaves a run's widths; a group narrower than it,
     *     which training keeps at any width, and 1 leave it as drawn
     */
    public record RandomVariants(int count, long seed, int multipleOf) {
        public RandomVariants {
            if (count < 0 || multipleOf < 1) {
                throw new ChaseException("a latency check times at least 0 random networks (--check) at widths rounded to multiples of"
                        + " at least 1 (--check-round-to), got " + count + " and " + multipleOf);
            }
        }

        /** A drawn width of a group of {@code full} channels that go in blocks of {@code block}. */
        int width(int full, int block, Random rng) {
            int drawn = Math.max(1, (int) Math.round(full * (0.2 + 0.8 * rng.nextDouble())));
            int step = new WidthRounding(multipleOf).forBlock(block).multiple();
            return step == 1 || full < step ? roundTo(drawn, block, full) : roundTo(drawn, step, full);
        }
    }

    /** {@code width} rounded to the nearest multiple of {@code step}, within [step, full]. */
    private static int roundTo(int width, int step, int full) {
        return Math.min(full, Math.max(step, (int) Math.round((double) width / step) * step));
    }

    private LatencyCheck() {}

    /** The narrowed variants by name: dense, every prunable width halved ("half"), then the random ones. */
    static Map<String, Map<String, Integer>> variants(NetSpec spec, RandomVariants random) {
        List<ChannelGroup> groups = spec.channelGroups().stream().filter(g -> g.kind() != ChannelGroup.Kind.FIXED).toList();
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        out.put("dense", Map.of());
        Map<String, Integer> half = new LinkedHashMap<>();
        groups.forEach(g -> half.put(g.name(), roundTo((int) Math.round(g.width() * 0.5), g.block(), g.width())));
        out.put("half", half);
        Random rng = new Random(random.seed());
        for (int k = 1; k <= random.count(); k++) {
            Map<String, Integer> w = new LinkedHashMap<>();
            groups.forEach(g -> w.put(g.name(), random.width(g.width(), g.block(), rng)));
            out.put("random-" + k, w);
        }
        return out;
    }

    /**
     * Times the variants and compares.
     *
     * @param random the randomly narrowed networks
     * @param named more narrowed networks to time after those, by name: the group widths of each
     * @param batchSize the batch size (that of the model's table)
     */
    public static List<Row> run(NetSpec spec, LatencyModel model, RandomVariants random, Map<String, Map<String, Integer>> named,
            int batchSize, int warmup, int repeats) {
        Map<String, Map<String, Integer>> all = variants(spec, random);
        named.forEach((name, widths) -> {
            if (all.putIfAbsent(name, widths) != null) {
                throw new IllegalArgumentException("two networks to check are named " + name);
            }
        });
        List<String> names = new ArrayList<>(all.keySet());
        List<NetSpec> specs = all.values().stream().map(spec::withGroupWidths).toList();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<InferenceBench.Subject> subjects = new ArrayList<>();
            for (int k = 0; k < specs.size(); k++) {
                Network net = Network.build(specs.get(k));
                net.initialize(manager);
                subjects.add(new InferenceBench.Subject(names.get(k), net, FlopCounter.dense(specs.get(k))));
            }
            InferenceBench.Report report = InferenceBench.run(subjects, manager, List.of(batchSize), spec.inputSize(), warmup, repeats);
            double denseMeasured = report.results().get(0).millisPerBatch().median();
            double densePredicted = model.cost(spec);
            List<Row> rows = new ArrayList<>();
            for (int k = 0; k < specs.size(); k++) {
                Samples t = report.results().get(k).millisPerBatch();
                double predicted = model.cost(specs.get(k));
                rows.add(new Row(names.get(k), all.get(names.get(k)), predicted, t.median(), predicted / densePredicted,
                        t.median() / denseMeasured, t.spread()));
            }
            return rows;
        }
    }
}
