package dev.chase.channel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A channel event against a cost target ({@link ChannelBudget#isCost()}): removes live channels
 * of the prunable groups until the predicted cost of the live structure is at most the target.
 *
 * <p><b>Selection rule.</b> The saving of a channel of group g is what removing it saves now:
 * Δ_g = cost(widths) − cost(widths with g one narrower). The cost model prices every layer whose
 * input or output is g at its real spatial size (the producers' output slices and the consumers'
 * input slices; for a residual stream, every conv that writes or reads it), so Δ_g is the same
 * for all channels of g. Each step removes, over all groups above their floor, the channel with
 * the lowest score per unit of saving, score/Δ_g (within a group that is its lowest-score
 * channel), then recomputes every Δ, because a group's saving shrinks as its neighbours narrow.
 * Ties go to the larger saving, then to the group order; NaN scores rank last, and a channel
 * whose removal saves nothing (Δ &lt;= 0) ranks after every channel that saves something. The
 * event stops as soon as the cost is at most the target, so it ends within one step's saving
 * below the target.
 *
 * <p><b>Why this rule.</b> Removing a set R of channels loses Σ_R score and must save at least
 * cost − target. With fixed savings this is a knapsack problem whose fractional relaxation is
 * solved exactly by taking items in increasing score/saving, and the greedy integer solution is
 * within one item of it; recomputing the savings after every removal keeps the ratio honest when
 * widths interact. Ranking by score alone (the paper's S_c event) ignores cost: under ERK the
 * wide, deep, low-resolution layers are the sparsest and so score lowest, yet their channels buy
 * the fewest FLOPs; ranking by saving alone would strip the early layers regardless of their
 * importance. The ratio lets a cheap-to-keep channel (low saving) stay unless its score is
 * correspondingly lower.
 *
 * <p><b>Width rounding.</b> With {@link WidthRounding} to multiples of K, a step removes a block
 * instead of one channel: the group's lowest-score channels down to its next lower multiple of K,
 * scored by the sum of their scores against the block's saving. A group never steps below the
 * lowest multiple of K at or above its floor, so widths stay multiples of K from the first step on
 * (a width under K, as a floor of 4 with K = 8 would give, ran slower than K itself on the CPU
 * kernels measured in docs/results.md); the target is met within one block's saving where
 * the floors allow it. A group with no multiple of K between its floor and its width (narrower than
 * K, say) steps one channel (block) at a time, as without rounding, and a channel-count event leaves
 * such a group's exact width too. (A post-step that rounds to the nearest multiple, as channel-count
 * events do, could give back in every event what the selection had just removed and never reach a
 * cost target.)
 *
 * <p>A group of blocks ({@link GroupState#block()} b &gt; 1) steps by whole blocks: to the next lower
 * multiple of b (of the least common multiple of K and b with rounding), scored as above.
 *
 * <p>ScoreTensors are those given at the start of the event (like the first ranking round of a
 * channel-count event); savings are recomputed exactly after every step, which is cheap
 * arithmetic. Floors are those of the {@link GroupState}s (max(m_p, 1)); if they make the target
 * unreachable the event stops with every group as low as its floor (and rounding) lets it go and
 * {@link Event#reached()} false.
 * Deterministic: no randomness, a fixed order of evaluation.
 */
public final class CostPruner {
    /** Relative slack on the target, absorbing floating-point noise in summed costs. */
    private static final double SLACK = 1e-9;

    private final WidthRounding rounding;

    /**
     * The predicted cost of a live structure.
     */
    @FunctionalInterface
    public interface Cost {
        /**
         * @param widths live width of every group of the event, by name
         * @return the cost of the network with those widths (other groups at full width)
         */
        double of(Map<String, Integer> widths);
    }

    /**
     * The result of one cost event.
     *
     * @param target the cost aimed for
     * @param before the cost before the event
     * @param after the cost after the event
     * @param removed channels removed
     * @param groups per group, in input order
     */
    public record Event(double target, double before, double after, int removed, List<ChannelPruner.GroupOutcome> groups)
            implements EventOutcome {
        public Event {
            groups = List.copyOf(groups);
        }

        /** Whether the event met the target (false only when the floors prevent it). */
        public boolean reached() {
            return after <= limit(target);
        }
    }

    /** A pruner without width rounding. */
    public CostPruner() {
        this(WidthRounding.NONE);
    }

    /** @param rounding optional width rounding ({@link WidthRounding#NONE} for none) */
    public CostPruner(WidthRounding rounding) {
        this.rounding = Objects.requireNonNull(rounding, "rounding");
    }

    /**
     * Runs one cost event.
     *
     * @param groups the prunable groups with their floors and scores, in order (the order breaks ties)
     * @param target the cost to reach, in the units of {@code cost}
     * @param cost the cost model of the live structure
     */
    public Event prune(List<GroupState> groups, double target, Cost cost) {
        if (!(target >= 0) || Double.isInfinite(target)) {
            throw new IllegalArgumentException("the cost target must be a finite number >= 0, got " + target);
        }
        List<GroupWork> work = GroupWork.of(groups);
        Map<String, Integer> widths = new LinkedHashMap<>();
        work.forEach(w -> widths.put(w.name, w.live));
        double before = cost.of(widths);
        double now = before;
        int removed = 0;
        while (now > limit(target)) {
            Step best = null;
            for (int g = 0; g < work.size(); g++) {
                GroupWork w = work.get(g);
                int next = nextWidth(w);
                if (next == w.live) { // at its floor, or at the lowest multiple of K above it
                    continue;
                }
                widths.put(w.name, next);
                double saving = now - cost.of(widths);
                widths.put(w.name, w.live);
                int[] block = w.lowestAlive(w.live - next);
                double score = 0;
                for (int c : block) {
                    score += w.score(c);
                }
                Step step = new Step(g, block, score, saving);
                if (best == null || step.before(best)) {
                    best = step;
                }
            }
            if (best == null) {
                break;
            }
            GroupWork w = work.get(best.group);
            for (int c : best.block) {
                w.remove(c); // a whole block at its first channel, nothing at the others
            }
            widths.put(w.name, w.live);
            now = cost.of(widths);
            removed += best.block.length;
        }
        List<ChannelPruner.GroupOutcome> outcomes = work.stream().map(GroupWork::outcome).toList();
        return new Event(target, before, now, removed, outcomes);
    }

    /**
     * The width one step leaves (the live width if the group cannot step): the next lower multiple
     * of K (of K and the block), not below the lowest multiple at or above the floor; one channel
     * (block) fewer, not below the floor, without rounding or when no multiple lies between the
     * floor and the live width.
     */
    private int nextWidth(GroupWork w) {
        int k = rounding.forBlock(w.block).multiple();
        int lowestMultiple = (w.floor + k - 1) / k * k;
        if (lowestMultiple > w.live) {
            return Math.max(w.floor, (w.live - 1) / w.block * w.block);
        }
        return Math.max(lowestMultiple, (w.live - 1) / k * k);
    }

    private static double limit(double target) {
        return target + SLACK * Math.abs(target);
    }

    /** One candidate step: a group's block of lowest-score channels, with its summed score and its saving. */
    private record Step(int group, int[] block, double score, double saving) {

        /** 0: saves something, 1: saves nothing, 2: NaN score (ranked last). */
        int tier() {
            return Double.isNaN(score) ? 2 : saving > 0 ? 0 : 1;
        }

        /** Score per unit of saving (tier 0), or the score itself (tier 1). */
        double ratio() {
            return tier() == 0 ? score / saving : score;
        }

        boolean before(Step o) {
            int c = Integer.compare(tier(), o.tier());
            if (c == 0) {
                c = Double.compare(ratio(), o.ratio());
            }
            if (c == 0) {
                c = Double.compare(o.saving, saving);
            }
            if (c == 0) {
                c = Integer.compare(group, o.group);
            }
            return c < 0;
        }
    }
}
