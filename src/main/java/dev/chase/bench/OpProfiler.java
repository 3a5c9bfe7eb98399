package dev.chase.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.chase.ChaseException;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.LayerShape;
import dev.chase.model.NodeOps;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a network's forward pass spends its time, op by op: every node of {@link NetSpec#graph()}
 * (conv, BatchNorm, activation, residual addition, gate, concatenation, pooling, linear layer...),
 * each timed on its real inputs (the outputs of the nodes it reads) while the pass runs, with the
 * network's own blocks for the layers that have parameters and {@link NodeOps} for the others. All
 * arrays of a pass live until the pass is over, as in a real forward pass.
 *
 * <p>A dense network and, optionally, its shrunk counterpart (same layers, narrower) are profiled
 * round by round in turn, each round also timing one whole forward pass of each (the same pass
 * through the network's block that {@link InferenceBench} times), so machine noise hits both alike
 * and the sum of the op medians can be set against the whole pass. In eval mode there is no
 * autograd; with {@link Settings#training()} every op is timed forward (batch statistics) plus the
 * backward pass of its output (gradient of ones) to its inputs and parameters, and the whole pass
 * likewise (backward from the logits).
 */
public final class OpProfiler {
    /** Version of the {@code profile.json} layout. */
    public static final int FORMAT = 1;

    /** What kind of op a profiled step is. */
    public enum Kind {
        CONV("conv"), BATCH_NORM("batch-norm"), RELU("relu"), ACTIVATION("activation"), ADD("add"), MUL("mul"), CONCAT("concat"),
        MAX_POOL("max-pool"), AVG_POOL("avg-pool"), FLATTEN("flatten"), DROPOUT("dropout"), LINEAR("linear");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }
    }

    /**
     * How to time.
     *
     * @param batchSize images per pass
     * @param warmup untimed rounds
     * @param repeats timed rounds (medians kept)
     * @param training time forward + backward instead of the eval-mode forward
     */
    public record Settings(int batchSize, int warmup, int repeats, boolean training) {
        public Settings {
            if (batchSize < 1) {
                throw new ChaseException("the batch size must be positive, got " + batchSize);
            }
            if (warmup < 0 || repeats < 1) {
                throw new ChaseException("profiling needs warm-up >= 0 and at least one repeat, got " + warmup + " and " + repeats);
            }
        }
    }

    /**
     * One op in one network.
     *
     * @param input shape of its (first) input, batch first
     * @param flopsPerImage algorithm §7.2 FLOPs per image for conv and linear ops, 0 for the others
     * @param elementsPerImage elements of its (first) input per image: what the other ops' work scales with
     * @param millis its timed repeats
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Side(List<Long> input, long flopsPerImage, long elementsPerImage, Samples millis) {
        public Side {
            input = List.copyOf(input);
        }
    }

    /**
     * One op of the forward pass, in both networks.
     *
     * @param name the layer's name for conv, BatchNorm and linear ops; otherwise the op's kind after
     *     the nearest of those layers up its chain of first inputs, such as {@code layer1.0.bn1+relu} or
     *     {@code layer1.0.bn2+add} (with {@code #2}, {@code #3}... if that name is taken)
     * @param shrunk null when only the dense network is profiled
     * @param speedup dense median / shrunk median (null without a shrunk network)
     * @param workSpeedup dense / shrunk FLOPs for conv and linear ops, input elements for the others
     * @param realisation speedup / workSpeedup: 1 means the op got as much faster as its work shrank
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Op(String name, Kind kind, Side dense, Side shrunk, Double speedup, Double workSpeedup, Double realisation) {}

    /**
     * All ops of one kind.
     *
     * @param count how many ops of this kind one pass runs
     * @param denseMillis sum of their medians in the dense network
     * @param denseShare that sum over the sum of all op medians
     * @param speedup dense sum / shrunk sum
     * @param proportionalSpeedup dense sum / the sum of every op's dense median divided by its work
     *     speed-up: what the kind would gain if each op got faster by exactly its work ratio
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record KindTotal(Kind kind, int count, double denseMillis, Double shrunkMillis, double denseShare, Double shrunkShare,
            Double speedup, Double proportionalSpeedup) {}

    /**
     * One network's whole pass against its ops.
     *
     * @param opSumMillis sum of the op medians
     * @param passMillis the whole pass, timed as one
     * @param gap passMillis median / opSumMillis − 1: what the ops timed one by one miss (block
     *     plumbing) or add (the timing itself)
     * @param flopsPerImage algorithm §7.2 FLOPs per image of the network
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Total(String network, double opSumMillis, Samples passMillis, double gap, long flopsPerImage) {}

    /**
     * A whole profile, as {@code profile.json} holds it.
     *
     * @param mode {@code inference} or {@code training}
     * @param threads intra-op threads of the engine
     * @param ops in forward order
     * @param kinds in the order of {@link Kind}, kinds absent from the network left out
     * @param totals dense first, then shrunk if profiled
     * @param proportionalSpeedup dense op sum / the sum of every op's dense median divided by its
     *     work speed-up (null without a shrunk network). Below the FLOPs speed-up, the saved FLOPs
     *     were cheaper than the average FLOP (or other ops do not shrink); above the op-sum
     *     speed-up, the narrow ops run less efficiently than the wide ones they replace.
     */
    @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
    public record Profile(int format, String mode, int batchSize, int inputSize, int threads, int warmup, int repeats, List<Op> ops,
            List<KindTotal> kinds, List<Total> totals, Double proportionalSpeedup) {}

    /** One op as one pass met it. */
    record Timed(String name, Kind kind, Shape input, double millis) {}

    private OpProfiler() {}

    /**
     * Profiles {@code dense} and, if not null, {@code shrunk} (which must have the dense network's
     * layers, narrower) on one random batch of the architecture's input size.
     *
     * @param manager where the batch and the passes' arrays live
     * @throws ChaseException if the shrunk network does not have the dense network's layers
     */
    public static Profile run(Network dense, Network shrunk, NDManager manager, Settings settings) {
        List<Network> nets = shrunk == null ? List.of(dense) : List.of(dense, shrunk);
        NetSpec spec = dense.spec();
        if (shrunk != null && !names(dense).equals(names(shrunk))) {
            throw new ChaseException("the shrunk network does not have the layers of the dense one");
        }
        Engine.getInstance().setRandomSeed(1);
        List<List<List<Timed>>> ops = new ArrayList<>(); // network, round, op
        List<List<Double>> passes = new ArrayList<>();
        nets.forEach(n -> {
            ops.add(new ArrayList<>());
            passes.add(new ArrayList<>());
        });
        try (NDManager batch = manager.newSubManager()) {
            NDArray input = batch.randomNormal(new Shape(settings.batchSize(), spec.inChannels(), spec.inputSize(), spec.inputSize()));
            for (int r = 0; r < settings.warmup() + settings.repeats(); r++) {
                boolean timed = r >= settings.warmup();
                for (int i = 0; i < nets.size(); i++) {
                    List<Timed> pass = opByOp(nets.get(i), input, batch, settings.training());
                    if (timed) {
                        ops.get(i).add(pass);
                    }
                }
                for (int i = 0; i < nets.size(); i++) {
                    double ms = settings.training() ? wholeTraining(nets.get(i), input, batch)
                            : InferenceBench.forward(nets.get(i), input, batch);
                    if (timed) {
                        passes.get(i).add(ms);
                    }
                }
            }
        }
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        return summarise(nets, ops, passes, settings, threads);
    }

    /** Conv and linear names in forward order: what a shrunk network must share with its dense one. */
    private static List<String> names(Network network) {
        return FlopCounter.shapes(network.spec()).stream().map(LayerShape::name).toList();
    }

    private static Profile summarise(List<Network> nets, List<List<List<Timed>>> ops, List<List<Double>> passes, Settings settings,
            int threads) {
        List<Timed> shape = ops.get(0).get(0);
        List<List<Side>> sides = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            Map<String, Long> flops = new LinkedHashMap<>();
            FlopCounter.shapes(nets.get(i).spec()).forEach(s -> flops.put(s.name(), s.flops()));
            List<Side> row = new ArrayList<>();
            for (int k = 0; k < shape.size(); k++) {
                List<Double> ms = new ArrayList<>();
                for (List<Timed> round : ops.get(i)) {
                    ms.add(round.get(k).millis());
                }
                Timed t = ops.get(i).get(0).get(k);
                Shape in = t.input();
                row.add(new Side(Arrays.stream(in.getShape()).boxed().toList(), flops.getOrDefault(t.name(), 0L),
                        in.size() / in.get(0), Samples.of(ms)));
            }
            sides.add(row);
        }
        List<Op> out = new ArrayList<>();
        for (int k = 0; k < shape.size(); k++) {
            Timed t = shape.get(k);
            Side d = sides.get(0).get(k);
            if (nets.size() == 1) {
                out.add(new Op(t.name(), t.kind(), d, null, null, null, null));
                continue;
            }
            Side s = sides.get(1).get(k);
            if (!ops.get(1).get(0).get(k).name().equals(t.name())) {
                throw new IllegalStateException("the passes ran different ops: " + t.name() + " and " + ops.get(1).get(0).get(k).name());
            }
            double speedup = d.millis().median() / s.millis().median();
            double work = d.flopsPerImage() > 0 ? (double) d.flopsPerImage() / s.flopsPerImage()
                    : (double) d.elementsPerImage() / s.elementsPerImage();
            out.add(new Op(t.name(), t.kind(), d, s, speedup, work, speedup / work));
        }
        List<Total> totals = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            int n = i;
            double sum = out.stream().mapToDouble(o -> (n == 0 ? o.dense() : o.shrunk()).millis().median()).sum();
            Samples pass = Samples.of(passes.get(i));
            totals.add(new Total(i == 0 ? "dense" : "shrunk", sum, pass, pass.median() / sum - 1, FlopCounter.dense(nets.get(i).spec())));
        }
        List<KindTotal> kinds = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<Op> of = out.stream().filter(o -> o.kind() == kind).toList();
            if (of.isEmpty()) {
                continue;
            }
            double dense = of.stream().mapToDouble(o -> o.dense().millis().median()).sum();
            Double shrunk = nets.size() == 1 ? null : of.stream().mapToDouble(o -> o.shrunk().millis().median()).sum();
            kinds.add(new KindTotal(kind, of.size(), dense, shrunk, dense / totals.get(0).opSumMillis(),
                    shrunk == null ? null : shrunk / totals.get(1).opSumMillis(), shrunk == null ? null : dense / shrunk,
                    proportionalSpeedup(of)));
        }
        return new Profile(FORMAT, settings.training() ? "training" : "inference", settings.batchSize(), nets.get(0).spec().inputSize(),
                threads, settings.warmup(), settings.repeats(), out, kinds, totals, proportionalSpeedup(out));
    }

    /** Dense time of the ops / their dense times each divided by the op's work speed-up; null without a shrunk network. */
    private static Double proportionalSpeedup(List<Op> ops) {
        if (ops.get(0).shrunk() == null) {
            return null;
        }
        double dense = ops.stream().mapToDouble(o -> o.dense().millis().median()).sum();
        return dense / ops.stream().mapToDouble(o -> o.dense().millis().median() / o.workSpeedup()).sum();
    }

    /** One pass of the network, op by op; every array of it lives until the pass is over. */
    static List<Timed> opByOp(Network network, NDArray input, NDManager manager, boolean training) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(sub);
            Pass pass = new Pass(network, new ParameterStore(sub, false), training);
            pass.run(x);
            return List.copyOf(pass.timed);
        }
    }

    /** One whole training pass: forward with batch statistics, backward from the logits. */
    private static double wholeTraining(Network network, NDArray input, NDManager manager) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(sub);
            long t0 = System.nanoTime();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = network.block().forward(new ParameterStore(sub, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y);
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** Walks the graph as the network's block does, timing every op. */
    private static final class Pass {
        /** The kind of every node type whose kind does not depend on its settings (activations and pools do). */
        private static final Map<Class<? extends Node>, Kind> KINDS = Map.of(Node.Conv.class, Kind.CONV, Node.Norm.class,
                Kind.BATCH_NORM, Node.Linear.class, Kind.LINEAR, Node.Add.class, Kind.ADD, Node.Mul.class, Kind.MUL, Node.Concat.class,
                Kind.CONCAT, Node.GlobalAvgPool.class, Kind.AVG_POOL, Node.Flatten.class, Kind.FLATTEN, Node.Dropout.class,
                Kind.DROPOUT);

        private final Network network;
        private final ParameterStore store;
        private final boolean training;
        private final List<Timed> timed = new ArrayList<>();

        Pass(Network network, ParameterStore store, boolean training) {
            this.network = network;
            this.store = store;
            this.training = training;
        }

        void run(NDArray input) {
            LayerGraph graph = network.spec().graph();
            Map<String, Boolean> flat = graph.flatOutputs();
            Map<String, String> after = graph.owners(n -> !NodeOps.parameterFree(n));
            Set<String> names = new HashSet<>();
            Map<String, NDArray> values = new HashMap<>();
            for (Node n : graph.nodes()) {
                NDArray y;
                if (n instanceof Node.Input) {
                    y = input;
                } else if (NodeOps.parameterFree(n)) {
                    Kind kind = kind(n);
                    String name = unique(after.get(n.name()) + "+" + kind.label(), names);
                    y = time(name, kind, in -> NodeOps.apply(n, in, flat.get(n.name()), training),
                            n.inputs().stream().map(values::get).toArray(NDArray[]::new));
                } else {
                    Block block = n instanceof Node.Conv ? network.conv(n.name())
                            : n instanceof Node.Norm ? network.norm(n.name()) : network.linear(n.name());
                    names.add(n.name());
                    y = time(n.name(), kind(n), in -> NodeOps.conform(block.forward(store, in, training).singletonOrThrow(),
                            flat.get(n.name())), NodeOps.layerInput(n, values.get(n.inputs().get(0))));
                }
                values.put(n.name(), y);
            }
        }

        private static String unique(String name, Set<String> taken) {
            String candidate = name;
            for (int k = 2; !taken.add(candidate); k++) {
                candidate = name + "#" + k;
            }
            return candidate;
        }

        private static Kind kind(Node n) {
            if (n instanceof Node.Act a) {
                return a.kind() == Node.Activation.RELU ? Kind.RELU : Kind.ACTIVATION;
            } else if (n instanceof Node.Pool p) {
                return p.max() ? Kind.MAX_POOL : Kind.AVG_POOL;
            }
            return KINDS.get(n.getClass());
        }

        /**
         * Runs one op and records its time. In training mode its inputs are fresh leaves that need
         * a gradient, so the backward pass timed with it stops at them.
         */
        private NDArray time(String name, Kind kind, Function<NDList, NDArray> op, NDArray... inputs) {
            if (!training) {
                long t0 = System.nanoTime();
                NDArray y = op.apply(new NDList(inputs));
                timed.add(new Timed(name, kind, inputs[0].getShape(), (System.nanoTime() - t0) / 1e6));
                return y;
            }
            NDList leaves = new NDList();
            for (NDArray in : inputs) {
                NDArray leaf = in.stopGradient();
                leaf.setRequiresGradient(true);
                leaves.add(leaf);
            }
            long t0 = System.nanoTime();
            NDArray y;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                y = op.apply(leaves);
                collector.backward(y);
            }
            timed.add(new Timed(name, kind, inputs[0].getShape(), (System.nanoTime() - t0) / 1e6));
            return y.stopGradient();
        }
    }
}
