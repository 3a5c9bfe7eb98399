package dev.chase.channel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.chase.ChaseException;
import dev.chase.config.Channels;
import dev.chase.graph.ChannelGroup;
import dev.chase.metrics.CostModel;
import dev.chase.metrics.NarrowingCosts;
import dev.chase.model.Network;
import dev.chase.sparse.SparseModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chase's channel events during training (algorithm §6): on the schedule, scores the live channels of
 * the prunable groups (INTERNAL ones; with prune-skip also the residual STREAM groups), removes
 * the lowest-scoring ones down to the scheduled channel sparsity with per-group floors, and
 * restricts the unstructured masks to the surviving structure, so removed channels are zero,
 * have zero momentum and are never regrown. Their conv biases are zeroed after every step.
 *
 * <p>Alive vectors, scores and floors are always over the original channels. The network that
 * trains (the physical one) may be narrower when the run shrinks while training: {@link
 * #live()} says which original channels it still holds, and scores are computed on its tensors
 * and spread back to original indices, so the decisions are those of the masked run.
 *
 * <p>With a cost budget ({@code --target-flops}, {@code --target-latency}; {@link ChannelBudget})
 * the same schedule ramps the cost target from 1 to F of the dense network's cost, and each event
 * is a {@link CostPruner} event on the original spec narrowed to the live widths.
 */
public final class ChannelController {
    private final Network original;
    private final List<ChannelGroup> prunable;
    private final ChannelSchedule schedule;
    private final ChannelPruner pruner;
    private final ChannelBudget budget;
    private final CostModel cost;
    /** Prices narrowings of the original architecture under {@link #cost}; null for a channel-count budget. */
    private final NarrowingCosts pricing;
    private final CostPruner costPruner;
    private final double denseCost;
    private final GroupScorer scorer;
    private final long c0;
    private final Map<String, boolean[]> alive = new LinkedHashMap<>();
    private Network physical;
    private PhysicalChannels live;

    /**
     * A fresh run's controller: every channel alive.
     *
     * @param channels resolved channel options (every field given)
     * @param schedule when the events fall and how far each goes ({@link #schedule})
     * @param cost the cost model of a FLOPs or latency budget, null for a channel-count budget
     */
    public static ChannelController start(Network network, Channels channels, ChannelSchedule schedule, CostModel cost) {
        return new ChannelController(network, network, channels, schedule, cost, null);
    }

    /**
     * A resumed run's controller.
     *
     * @param original the network as configured (only its structure is read)
     * @param physical the network that trains: the original one, or after a resume of a run that
     *     shrinks while training, the one narrowed to the restored alive channels
     * @param restoredAlive alive vectors from the checkpoint
     * @throws ChaseException if the physical network's widths do not match what the alive vectors
     *     and the options imply
     */
    public static ChannelController restore(Network original, Network physical, Channels channels, ChannelSchedule schedule,
            CostModel cost, Map<String, boolean[]> restoredAlive) {
        return new ChannelController(original, physical, channels, schedule, cost, restoredAlive);
    }

    private ChannelController(Network original, Network physical, Channels c, ChannelSchedule schedule, CostModel cost,
            Map<String, boolean[]> restoredAlive) {
        this.original = original;
        boolean skip = c.pruneSkip();
        if (skip && original.channelGroups().stream().noneMatch(g -> g.kind() == ChannelGroup.Kind.STREAM)) {
            throw new ChaseException("--prune-skip applies to residual networks only; this network has no residual streams");
        }
        this.prunable = prunableGroups(original, skip);
        this.c0 = prunable.stream().mapToLong(ChannelGroup::width).sum();
        this.budget = budget(c.budget());
        this.schedule = schedule;
        WidthRounding rounding = c.roundTo() > 1 ? new WidthRounding(c.roundTo()) : WidthRounding.NONE;
        this.pruner = new ChannelPruner(budget.floorSparsity(), c.minRatio(), rounding);
        if (budget.isCost() != (cost != null)) {
            throw new IllegalArgumentException("a " + budget.kind() + " budget " + (cost == null ? "needs" : "takes no") + " cost model");
        }
        this.cost = cost;
        this.pricing = cost == null ? null : new NarrowingCosts(original.spec(), cost);
        this.costPruner = cost == null ? null : new CostPruner(rounding);
        this.denseCost = cost == null ? 0 : cost.cost(original.spec());
        this.scorer = new GroupScorer(ChannelScore.named(c.score().key()), GroupScorer.originalFanIns(original));
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (ChannelGroup g : prunable) {
            boolean[] a = restoredAlive == null ? null : restoredAlive.get(g.name());
            if (a == null) {
                a = new boolean[g.width()];
                java.util.Arrays.fill(a, true);
            }
            alive.put(g.name(), a);
            widths.put(g.name(), g.width());
        }
        // A run that shrinks while training holds exactly its alive channels at every checkpoint.
        this.live = c.shrinkDuringTraining() ? PhysicalChannels.of(alive) : PhysicalChannels.full(widths);
        if (!physical.spec().equals(original.spec().withGroupWidths(live.widths()))) {
            throw new ChaseException("the checkpoint's network has other channel widths than its alive channels imply "
                    + live.widths() + "; the checkpoint does not belong to this run's config");
        }
        this.physical = physical;
    }

    /**
     * The channel-event schedule: events every {@code channels.interval()} steps, offset by half
     * the mask-update interval, until the end of epoch {@code channels.end()}.
     *
     * @param channels resolved channel options
     * @param updateInterval the mask-update interval ΔT_p
     */
    public static ChannelSchedule schedule(Channels channels, int updateInterval, int stepsPerEpoch) {
        return ChannelSchedule.of(ChannelSchedule.Form.named(channels.schedule().key()), budget(channels.budget()).reduction(),
                (long) channels.end() * stepsPerEpoch, channels.interval(), updateInterval);
    }

    private static ChannelBudget budget(Channels.Budget b) {
        if (b instanceof Channels.Flops f) {
            return ChannelBudget.flops(f.target());
        }
        if (b instanceof Channels.Latency l) {
            return ChannelBudget.latency(l.target());
        }
        return ChannelBudget.channels(((Channels.ChannelCount) b).sparsity());
    }

    /**
     * The groups a run may prune: the INTERNAL ones, with prune-skip also the residual STREAM
     * ones. Defined for every method, so runs that remove no channels can still be analysed by the
     * same split (algorithm §9.3).
     */
    public static List<ChannelGroup> prunableGroups(Network network, boolean pruneSkip) {
        return network.channelGroups().stream()
                .filter(g -> g.kind() == ChannelGroup.Kind.INTERNAL || (pruneSkip && g.kind() == ChannelGroup.Kind.STREAM))
                .toList();
    }

    /** Whether step t has a channel event. */
    public boolean isEvent(long t) {
        return schedule.isEvent(t);
    }

    /** Runs the event of step t and restricts the model's masks to the surviving structure. */
    public void prune(long t, SparseModel model, Map<String, NDArray> weights, NDManager manager) {
        Map<String, NDArray> masks = model.masks().masks();
        Map<String, double[]> scores = scores(weights, masks, alive);
        List<GroupState> states = new ArrayList<>();
        for (ChannelGroup g : prunable) {
            states.add(pruner.state(g.name(), g.width(), alive.get(g.name()), scores.get(g.name()), g.block()));
        }
        alive.putAll(select(t, states, a -> scores(weights, masks, a)));
        try (NDManager tmp = manager.newSubManager()) {
            model.restrictTo(StructuralMasks.of(tmp, physical, live.toLive(alive)));
        }
    }

    /** The alive vectors after the event of step t: a channel-count event, or a cost event. */
    private Map<String, boolean[]> select(long t, List<GroupState> states, ChannelPruner.Rescorer rescorer) {
        if (costPruner == null) {
            return pruner.prune(states, schedule.target(t), c0, rescorer).alive();
        }
        double target = budget.costFraction(schedule.target(t)) * denseCost;
        return costPruner.prune(states, target, this::costOf).alive();
    }

    private double costOf(Map<String, Integer> widths) {
        return pricing.of(widths);
    }

    /** The budget the events aim for. */
    public ChannelBudget budget() {
        return budget;
    }

    /**
     * The predicted cost of the live structure as a fraction of the dense network's (FLOPs or
     * latency, as the budget counts), or null for a channel-sparsity budget.
     */
    public Double costFraction() {
        return cost == null ? null : costOf(widths()) / denseCost;
    }

    /**
     * Channel scores over the original channels, computed on the physical tensors; channels no
     * longer present score NaN (the pruner only ranks alive channels, and those are present).
     */
    private Map<String, double[]> scores(Map<String, NDArray> weights, Map<String, NDArray> masks, Map<String, boolean[]> a) {
        return live.toOriginal(scorer.scores(prunable, physical.channelGroups(), weights, masks, live.toLive(a)), Double.NaN);
    }

    /** Zeroes the conv biases of removed channels (VGG convs have biases) and their momentum. */
    public void zeroDeadBiases(java.util.function.Function<Parameter, NDArray> momentumOf) {
        Map<String, boolean[]> present = live.toLive(alive);
        for (ChannelGroup g : prunable) {
            boolean[] a = present.get(g.name());
            if (AliveVectors.count(a) == a.length) {
                continue;
            }
            for (String producer : g.producers()) {
                Parameter bias = physical.conv(producer).getParameters().get("bias");
                if (bias == null) {
                    continue;
                }
                NDArray b = bias.getArray();
                try (NDArray k = b.getManager().create(AliveVectors.asFloats(a))) {
                    b.muli(k);
                    NDArray buf = momentumOf.apply(bias);
                    if (buf != null) {
                        buf.muli(k);
                    }
                }
            }
        }
    }

    /** Alive vectors by prunable group name (true = channel kept). */
    public Map<String, boolean[]> alive() {
        return alive;
    }

    /** The prunable groups. */
    public List<ChannelGroup> prunable() {
        return prunable;
    }

    /** Channel sparsity over the prunable groups (S_c as algorithm §7.1 reports it). */
    public double channelSparsity() {
        long live = alive.values().stream().mapToLong(AliveVectors::count).sum();
        return 1 - (double) live / c0;
    }

    /** Channel sparsity over every conv output channel of the network. */
    public double allChannelSparsity() {
        long total = 0;
        long removed = 0;
        for (ChannelGroup g : original.channelGroups()) {
            long producers = g.producers().size();
            total += (long) g.width() * producers;
            boolean[] a = alive.get(g.name());
            if (a != null) {
                removed += (long) (g.width() - AliveVectors.count(a)) * producers;
            }
        }
        return total == 0 ? 0 : (double) removed / total;
    }

    /** Live width of every prunable group. */
    public Map<String, Integer> widths() {
        Map<String, Integer> out = new LinkedHashMap<>();
        alive.forEach((name, a) -> out.put(name, AliveVectors.count(a)));
        return out;
    }

    /** Which original channels the physical network holds. */
    public PhysicalChannels live() {
        return live;
    }

    /** Whether the physical network still holds removed channels (masked, not yet sliced away). */
    public boolean holdsRemovedChannels() {
        return live.holdsRemoved(alive);
    }

    /**
     * Per prunable group, the positions of the physical network to keep so that exactly the alive
     * channels remain ({@link Shrinker#of}).
     */
    public Map<String, long[]> keptPositions() {
        return live.kept(alive);
    }

    /** Switches to the network narrowed to the alive channels ({@link #keptPositions()} kept). */
    public void narrowedTo(Network narrower) {
        physical = narrower;
        live = live.narrowedTo(alive);
    }

}
