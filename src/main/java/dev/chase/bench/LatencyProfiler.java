package dev.chase.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.LatencyModel;
import dev.chase.metrics.LatencyTable;
import dev.chase.metrics.LayerShape;
import dev.chase.model.NodeOps;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import dev.chase.run.LatencyTableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Measures a {@link LatencyTable}: the forward time of every conv and linear layer of an
 * architecture at a grid of widths, at the layer's real input size and the table's batch size,
 * in eval mode without autograd (the engine's ops on random tensors, no gradient recording).
 *
 * <p>A layer is timed as a <em>unit</em>: the layer and the parameter-free and BatchNorm nodes of
 * the graph ({@link NetSpec#graph()}) that belong to it, each node belonging to the nearest conv
 * or linear layer up its chain of first inputs ({@link LayerGraph#owners}): BatchNorm, activations,
 * pooling, and the joins whose first operand it computes (the residual addition and ReLU that close
 * a block go with the last conv of its main branch, a squeeze-and-excitation product with the
 * features it scales, a concatenation with its first part). So the sum of the units is the whole
 * forward pass and shrinks with the widths the way the network does. An operand computed by
 * another unit is stood in for: a residual addition adds the unit's own value to itself, a gate is
 * random, and the other parts of a concatenation are zeros at their full widths (so a unit does not
 * see its concatenation shrink with the other parts' groups). Nodes before the first conv or
 * linear layer are not timed.
 *
 * <p>A unit's output width varies over the grid if it produces a prunable group (INTERNAL or
 * STREAM), its input width if it reads one (a grouped conv whose input and output are one group,
 * depthwise or not, varies along its output only); the grid is each width times the fractions
 * (rounded to a multiple of the group's block, at least one block, always including the full
 * width). After warm-up rounds, every timed round times every grid point of every unit once in
 * turn (right after an untimed run of the same point, so the engine's threads are running as they
 * are inside a forward pass), so machine noise is spread over all of them, and each point keeps
 * the median. Units of the same shape (the repeated blocks of a stage) are timed once.
 */
public final class LatencyProfiler {
    /**
     * How much the timed arrays may hold before they are freed together. In a forward pass of the
     * whole network every intermediate lives until the pass is over, so each op writes to freshly
     * allocated memory and pays its page faults; keeping the profile's arrays alive this long
     * makes its ops do the same instead of reusing memory just freed.
     */
    private static final long WINDOW_BYTES = 1L << 30;

    /**
     * How to time.
     *
     * @param warmup untimed rounds per unit
     * @param repeats timed rounds per unit (the median is kept)
     * @param fractions width fractions of the grid, in (0, 1]
     */
    public record Settings(int warmup, int repeats, List<Double> fractions) {
        public Settings {
            fractions = List.copyOf(fractions);
            if (warmup < 0 || repeats < 1) {
                throw new ChaseException("latency profiling needs warm-up >= 0 and at least one repeat, got " + warmup + " and "
                        + repeats);
            }
            if (fractions.isEmpty() || fractions.stream().anyMatch(f -> !(f > 0 && f <= 1))) {
                throw new ChaseException("latency grid fractions must be in (0, 1], got " + fractions);
            }
        }

        /** 2 warm-up and 9 timed rounds at widths 1, 0.75, 0.5 and 0.25. */
        public static Settings defaults() {
            return new Settings(2, 9, List.of(0.25, 0.5, 0.75, 1.0));
        }
    }

    /**
     * One conv or linear layer and what is timed with it.
     *
     * @param shape the layer at its activation sizes
     * @param epilogue the nodes that belong to it, in graph order
     * @param inBlock 0 if its input width stays fixed, else the block its input width varies in (it reads a prunable group;
     *     not for a tied grouped conv, whose input follows its output)
     * @param outBlock 0 if its output width stays fixed, else the block its output width varies in (it produces a prunable
     *     group)
     * @param shapes every node's output shape in the architecture's graph (for stood-in operands)
     * @param flat which nodes' outputs are flat in that graph ({@link LayerGraph#flatOutputs()})
     */
    record Unit(LayerShape shape, List<Node> epilogue, int inBlock, int outBlock,
            Map<String, dev.chase.graph.Shape> shapes, Map<String, Boolean> flat) {

        /** Whether the layer is a tied grouped conv (depthwise or not): its input is as wide as its output at every grid point. */
        boolean tied() {
            return shape.layer() instanceof Node.Conv c && c.tied();
        }

        /** Whether the node called {@code name} is computed inside this unit. */
        boolean computes(String name) {
            return name.equals(shape.name()) || epilogue.stream().anyMatch(n -> n.name().equals(name));
        }

        /** Equal for units that time alike: everything but the names. */
        String signature() {
            StringBuilder b = new StringBuilder();
            b.append(shape.conv() ? "conv" : "linear").append(' ').append(shape.in()).append('>').append(shape.out())
                    .append(" k").append(shape.kernel()).append(" side ").append(shape.inputSide()).append('>')
                    .append(shape.outputSide()).append(" bias ").append(shape.bias()).append(" vary ").append(inBlock)
                    .append('/').append(outBlock);
            if (shape.layer() instanceof Node.Conv c) {
                b.append(" s").append(c.stride()).append(" p").append(c.padding()).append(" d").append(c.dilation()).append(" g")
                        .append(tied() ? "tied " + c.groupWidth() : c.groups());
            }
            for (Node n : epilogue) {
                b.append(" | ").append(n.getClass().getSimpleName());
                if (n instanceof Node.Act a) {
                    b.append(' ').append(a.kind());
                } else if (n instanceof Node.Pool p) {
                    b.append(p.max() ? " max" : " avg").append(" k").append(p.kernel()).append(" s").append(p.stride()).append(" p")
                            .append(p.padding());
                }
                for (String in : n.inputs()) {
                    b.append(computes(in) ? " (own)" : " " + shapes.get(in));
                }
            }
            return b.toString();
        }
    }

    private LatencyProfiler() {}

    /**
     * The table in {@code file}, or, if there is none, a new measurement written there.
     *
     * @param key what to measure (its architecture must be {@code spec}'s; its threads are the engine's)
     * @param progress receives one line per step of a measurement
     * @throws ChaseException if an existing file describes another architecture or is unreadable
     */
    public static LatencyTable obtain(Path file, LatencyTable.Key key, NetSpec spec, Settings settings, Consumer<String> progress) {
        if (Files.exists(file)) {
            LatencyTable table = LatencyTableFiles.read(file, key);
            new LatencyModel(table, spec); // checks every layer
            return table;
        }
        progress.accept(String.format(Locale.ROOT, "measuring layer latencies of %s (width %s, batch %d, %d threads) into %s;"
                + " later runs reuse it", key.model(), key.width(), key.batchSize(), key.threads(), file));
        LatencyTable table = profile(spec, key, settings, progress);
        LatencyTableFiles.write(file, table);
        return table;
    }

    /**
     * Measures a table now.
     *
     * @param key names the architecture and the batch size; its threads must be the engine's
     * @param progress receives one line per round
     */
    public static LatencyTable profile(NetSpec spec, LatencyTable.Key key, Settings settings, Consumer<String> progress) {
        if (key.inChannels() != spec.inChannels() || key.classes() != spec.numClasses() || key.inputSize() != spec.inputSize()) {
            throw new IllegalArgumentException("latency key " + key + " does not describe the given architecture");
        }
        if (key.batchSize() < 1) {
            throw new ChaseException("the latency batch size must be positive, got " + key.batchSize());
        }
        List<Unit> units = units(spec);
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Unit> distinct = new ArrayList<>();
        List<int[]> ins = new ArrayList<>();
        List<int[]> outs = new ArrayList<>();
        for (Unit u : units) {
            if (index.putIfAbsent(u.signature(), distinct.size()) == null) {
                distinct.add(u);
                ins.add(grid(u.shape().in(), u.inBlock(), settings.fractions()));
                outs.add(grid(u.shape().out(), u.outBlock(), settings.fractions()));
            }
        }
        List<double[][]> millis = time(distinct, ins, outs, key.batchSize(), settings, progress);
        List<LatencyTable.Entry> entries = new ArrayList<>();
        for (Unit u : units) {
            LayerShape s = u.shape();
            int k = index.get(u.signature());
            entries.add(new LatencyTable.Entry(s.name(), s.in(), s.out(), s.inputSide(), ins.get(k), outs.get(k), millis.get(k)));
        }
        return new LatencyTable(LatencyTable.FORMAT, key, settings.warmup(), settings.repeats(), settings.fractions(), entries);
    }

    /** The timed units of an architecture, one per conv and linear layer in forward order. */
    static List<Unit> units(NetSpec spec) {
        LayerGraph graph = spec.graph();
        Map<String, String> owners = graph.owners(n -> n instanceof Node.Conv || n instanceof Node.Linear);
        Map<String, List<Node>> epilogues = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            String owner = owners.get(n.name());
            if (owner != null && !owner.equals(n.name())) {
                epilogues.computeIfAbsent(owner, k -> new ArrayList<>()).add(n);
            }
        }
        Map<String, Integer> produce = new HashMap<>(); // layer -> block of the prunable group it writes
        Map<String, Integer> consume = new HashMap<>(); // layer -> block of the prunable groups it reads
        for (ChannelGroup g : spec.channelGroups()) {
            if (g.kind() != ChannelGroup.Kind.FIXED) {
                g.producers().forEach(p -> produce.put(p, g.block()));
                g.consumers().forEach(c -> consume.merge(c, g.block(), Math::max));
            }
        }
        Map<String, dev.chase.graph.Shape> shapes = graph.shapes();
        Map<String, Boolean> flat = graph.flatOutputs();
        List<Unit> units = new ArrayList<>();
        for (LayerShape s : FlopCounter.shapes(spec)) {
            boolean tied = s.layer() instanceof Node.Conv c && c.tied();
            units.add(new Unit(s, List.copyOf(epilogues.getOrDefault(s.name(), List.of())),
                    consume.containsKey(s.name()) && !tied ? consume.get(s.name()) : 0, produce.getOrDefault(s.name(), 0), shapes, flat));
        }
        return units;
    }

    /**
     * The widths timed for a dimension of {@code width} channels: the width alone if {@code block}
     * is 0 (it never changes), else the width and its fractions rounded to multiples of the block
     * (at least one block).
     */
    static int[] grid(int width, int block, List<Double> fractions) {
        TreeSet<Integer> points = new TreeSet<>();
        points.add(width);
        if (block > 0) {
            fractions.forEach(f -> points.add(Math.max(block, (int) Math.round(f * width / block) * block)));
        }
        return points.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Median milliseconds of every unit at every grid point. Each round times every point of every
     * unit once, so a burst of machine noise is spread over all of them rather than inflating the
     * units that happened to be timed during it; the arrays of a unit live only while it is timed.
     */
    private static List<double[][]> time(List<Unit> units, List<int[]> ins, List<int[]> outs, int batch, Settings settings,
            Consumer<String> progress) {
        List<List<Double>[][]> samples = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            @SuppressWarnings("unchecked")
            List<Double>[][] grid = new List[ins.get(u).length][outs.get(u).length];
            for (List<Double>[] row : grid) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = new ArrayList<>();
                }
            }
            samples.add(grid);
        }
        int rounds = settings.warmup() + settings.repeats();
        long start = System.nanoTime();
        try (Window window = new Window()) {
            for (int r = 0; r < rounds; r++) {
                for (int u = 0; u < units.size(); u++) {
                    timeUnit(units.get(u), ins.get(u), outs.get(u), batch, window, r >= settings.warmup() ? samples.get(u) : null);
                }
                progress.accept(String.format(Locale.ROOT, "  round %d/%d%s: %d layer shapes timed, %.0f s", r + 1,
                        rounds, r < settings.warmup() ? " (warm-up)" : "", units.size(),
                        (System.nanoTime() - start) / 1e9));
            }
        }
        List<double[][]> medians = new ArrayList<>();
        for (List<Double>[][] grid : samples) {
            double[][] m = new double[grid.length][grid[0].length];
            for (int i = 0; i < grid.length; i++) {
                for (int j = 0; j < grid[i].length; j++) {
                    m[i][j] = Samples.of(grid[i][j]).median();
                }
            }
            medians.add(m);
        }
        return medians;
    }

    /**
     * Where timed arrays are kept: a manager that is closed, freeing them all, once they hold
     * more than {@link #WINDOW_BYTES}, and replaced by a fresh one.
     */
    private static final class Window implements AutoCloseable {
        private final NDManager base = NDManager.newBaseManager();
        private NDManager current = base.newSubManager();
        private long held;

        NDManager manager() {
            return current;
        }

        /** Counts {@code bytes} more; frees everything if that is too much (no array of the current manager may be used after). */
        void hold(long bytes) {
            held += bytes;
            if (held > WINDOW_BYTES) {
                current.close();
                current = base.newSubManager();
                held = 0;
            }
        }

        @Override
        public void close() {
            base.close();
        }
    }

    /**
     * Times one unit once at every grid point, adding to {@code samples} unless it is null
     * (warm-up). Its arrays stay in the window, one input width at a time.
     */
    private static void timeUnit(Unit u, int[] ins, int[] outs, int batch, Window window, List<Double>[][] samples) {
        LayerShape s = u.shape();
        for (int i = 0; i < ins.length; i++) {
            NDManager m = window.manager();
            Map<Integer, NDArray> inputs = new HashMap<>();
            long elements = 0;
            for (int j = 0; j < outs.length; j++) {
                int width = u.tied() ? outs[j] : ins[i];
                NDArray input = inputs.computeIfAbsent(width, w -> m.randomUniform(-1, 1,
                        s.conv() ? new Shape(batch, w, s.inputSide(), s.inputSide()) : new Shape(batch, w)));
                int groups = u.tied() ? outs[j] / ((Node.Conv) s.layer()).groupWidth() : s.groups();
                NDArray weight = m.randomUniform(-0.1f, 0.1f, s.conv() ? new Shape(outs[j], width / groups, s.kernel(), s.kernel())
                        : new Shape(outs[j], width));
                NDArray bias = s.bias() ? m.zeros(new Shape(outs[j])) : null;
                Map<String, NDArray> standIns = new HashMap<>();
                // Run once untimed right before: in a forward pass the engine's threads are busy from op to op,
                // while here they would otherwise wake up from the allocations in between. The untimed run also
                // makes the stand-ins, so the timed one allocates only what a forward pass does.
                forward(u, input, weight, bias, groups, standIns);
                NDList timed = new NDList();
                double ms = forward(u, input, weight, bias, groups, standIns, timed);
                if (samples != null) {
                    samples[i][j].add(ms);
                }
                elements += weight.size() + 2 * timed.stream().mapToLong(NDArray::size).sum();
            }
            window.hold(Float.BYTES * (elements + inputs.values().stream().mapToLong(NDArray::size).sum()));
        }
    }

    private static void forward(Unit u, NDArray input, NDArray weight, NDArray bias, int groups, Map<String, NDArray> standIns) {
        forward(u, input, weight, bias, groups, standIns, new NDList());
    }

    /**
     * One timed forward pass of a unit, in milliseconds; its arrays go to the input's manager and
     * the values it computed to {@code values}. Stand-ins missing from {@code standIns} are made
     * (and timed: only the untimed run should need to).
     */
    private static double forward(Unit u, NDArray input, NDArray weight, NDArray bias, int groups, Map<String, NDArray> standIns,
            NDList values) {
        Map<String, NDArray> computed = new HashMap<>();
        long t0 = System.nanoTime();
        NDArray y;
        if (u.shape().layer() instanceof Node.Conv c) {
            y = Conv2d.conv2d(input, weight, bias, new Shape(c.stride(), c.stride()), new Shape(c.padding(), c.padding()),
                    new Shape(c.dilation(), c.dilation()), groups).singletonOrThrow();
        } else {
            y = Linear.linear(input, weight, bias).singletonOrThrow();
        }
        computed.put(u.shape().name(), y);
        for (Node n : u.epilogue()) {
            NDArray x = computed.get(n.inputs().get(0));
            if (n instanceof Node.Norm) {
                NDArray zeros = standIns.computeIfAbsent(n.name() + "/zeros", k -> x.getManager().zeros(new Shape(x.getShape().get(1))));
                NDArray ones = standIns.computeIfAbsent(n.name() + "/ones", k -> x.getManager().ones(new Shape(x.getShape().get(1))));
                y = BatchNorm.batchNorm(x, zeros, ones, ones, zeros, 1, 0.1f, Network.BATCH_NORM_EPSILON, false).singletonOrThrow();
            } else {
                List<NDArray> operands = new ArrayList<>();
                for (String in : n.inputs()) {
                    operands.add(computed.containsKey(in) ? computed.get(in) : standIn(u, n, in, x, standIns));
                }
                y = NodeOps.apply(n, operands, u.flat().get(n.name()), false);
            }
            computed.put(n.name(), y);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        values.addAll(new NDList(computed.values()));
        return ms;
    }

    /**
     * What stands in for operand {@code name} of node {@code n}, computed by another unit: the
     * node's first operand {@code x} for an addition, else a random gate or zeros of the operand's
     * full shape, made once per grid point.
     */
    private static NDArray standIn(Unit u, Node n, String name, NDArray x, Map<String, NDArray> standIns) {
        if (n instanceof Node.Add) {
            return x;
        }
        return standIns.computeIfAbsent(n.name() + "/" + name, k -> {
            dev.chase.graph.Shape full = u.shapes().get(name);
            long batch = x.getShape().get(0);
            if (n instanceof Node.Mul) {
                Shape gate = full.height() == 1 && full.width() == 1 ? new Shape(batch, x.getShape().get(1), 1, 1) : x.getShape();
                return x.getManager().randomUniform(0, 1, gate);
            }
            return x.getManager().zeros(new Shape(batch, full.channels(), full.height(), full.width()));
        });
    }
}
