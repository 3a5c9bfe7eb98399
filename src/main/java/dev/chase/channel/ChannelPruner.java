package dev.chase.channel;

import dev.chase.Require;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The channel-pruning event of Chase (algorithm §6.4), in the canonical deterministic form of spec
 * §10 #4. With C_now live prunable channels, C0 original ones and target channel sparsity s, the
 * event has to remove R = C_now − C0·(1 − s) channels; if R &lt;= 0 it does nothing. Otherwise it
 * removes exactly ⌈R⌉ channels (a fractional R is rounded up, like the reference's ImageNet code;
 * a slack of 1e-9·C_now absorbs floating-point noise, so an R of 3.0000000001 removes 3): the
 * lowest-score live channels over all groups that have not reached their floor, one global
 * ranking, ties broken by (group order, channel index).
 *
 * <p>Floors: a group that would go below its floor m_p keeps exactly m_p channels (it loses only
 * its lowest candidates) and is capped; the shortfall is taken from the other groups in the next
 * round, with a fresh ranking ({@link Rescorer}: scores recomputed on the network with this event's
 * removals applied, or else the same scores). Every round that leaves a shortfall caps at least one
 * group, and the rounds are also hard-capped at (number of groups + 1) (algorithm §10 #12). If the
 * floors make the goal unreachable, the event removes what it can and reports the shortfall; it
 * never loops or throws. The effective floor is max(m_p, 1): a group never disappears entirely.
 *
 * <p>A group of blocks ({@link GroupState#block()} b &gt; 1, the input and output of grouped
 * convolutions) is ranked by block, each block scored by the mean of its channels' scores, and a
 * block among the lowest ⌈R⌉ channels goes whole, so such an event can remove up to b − 1 channels
 * more than ⌈R⌉; its floor is rounded up to a multiple of b.
 *
 * <p>An optional {@link WidthRounding} post-step then rounds the remaining widths to multiples of K.
 * The S_c and β settings only serve the floors m_p = ⌊O_p·(1 − S_c)·β⌋ ({@link #floor}); they are
 * user flags and are validated here.
 */
public final class ChannelPruner {
    private static final double SLACK = 1e-9;

    private final double channelSparsity;
    private final double beta;
    private final WidthRounding rounding;

    /**
     * Recomputes scores between the rounds of one event.
     */
    @FunctionalInterface
    public interface Rescorer {
        /**
         * @param alive per group name, its alive vector with the event's removals so far
         * @return per group name, fresh scores (groups left out keep their previous scores)
         */
        Map<String, double[]> rescore(Map<String, boolean[]> alive);
    }

    /**
     * What one group got from an event.
     *
     * @param name the group
     * @param removed channel indices removed in this event, ascending
     * @param alive the alive vector after the event
     * @param floor the effective floor max(m_p, 1)
     * @param capped whether the group ended the event at its floor
     */
    public record GroupOutcome(String name, int[] removed, boolean[] alive, int floor, boolean capped) {
        public GroupOutcome {
            removed = removed.clone();
            alive = alive.clone();
        }

        @Override
        public int[] removed() {
            return removed.clone();
        }

        @Override
        public boolean[] alive() {
            return alive.clone();
        }

        /** Number of alive channels after the event. */
        public int live() {
            return AliveVectors.count(alive);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GroupOutcome g && name.equals(g.name) && Arrays.equals(removed, g.removed)
                    && Arrays.equals(alive, g.alive) && floor == g.floor && capped == g.capped;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(removed), Arrays.hashCode(alive), floor, capped);
        }

        @Override
        public String toString() {
            return "GroupOutcome[" + name + ", removed " + Arrays.toString(removed) + ", live " + live()
                    + ", floor " + floor + (capped ? ", capped" : "") + "]";
        }
    }

    /**
     * The result of one event.
     *
     * @param target the target channel sparsity s
     * @param excess R = C_now − C0·(1 − s) (&lt;= 0: nothing to do)
     * @param goal ⌈R⌉, or 0
     * @param removedByRanking channels removed by the floor-respecting ranking (goal − shortfall)
     * @param removed channels removed in the end, after the optional width rounding
     * @param rounds ranking rounds run
     * @param groups per group, in input order
     */
    public record Event(double target, double excess, int goal, int removedByRanking, int removed, int rounds,
            List<GroupOutcome> groups) implements EventOutcome {
        public Event {
            groups = List.copyOf(groups);
        }

        /** Channels the floors kept from being removed: goal − removedByRanking (&gt;= 0). */
        public int shortfall() {
            return goal - removedByRanking;
        }

        /** Names of the groups that ended at their floor. */
        public List<String> capped() {
            return groups.stream().filter(GroupOutcome::capped).map(GroupOutcome::name).toList();
        }
    }

    /** A pruner without width rounding; see {@link #ChannelPruner(double, double, WidthRounding)}. */
    public ChannelPruner(double channelSparsity, double beta) {
        this(channelSparsity, beta, WidthRounding.NONE);
    }

    /**
     * @param channelSparsity final channel sparsity S_c in [0, 1)
     * @param beta floor factor β in (0, 1]
     * @param rounding optional width rounding ({@link WidthRounding#NONE} for none)
     */
    public ChannelPruner(double channelSparsity, double beta, WidthRounding rounding) {
        this.channelSparsity = Require.channelSparsity(channelSparsity);
        this.beta = Require.beta(beta);
        this.rounding = Objects.requireNonNull(rounding, "rounding");
    }

    /** S_c. */
    public double channelSparsity() {
        return channelSparsity;
    }

    /** β. */
    public double beta() {
        return beta;
    }

    /** The width rounding. */
    public WidthRounding rounding() {
        return rounding;
    }

    /**
     * The floor of a group of original width O_p: max(⌊O_p·(1 − S_c)·β⌋, 1), computed in the
     * reference's order (VGG-19 at S_c = 0.5, β = 0.2: 64 → 6, 128 → 12, 256 → 25, 512 → 51).
     */
    public int floor(int originalWidth) {
        return Math.max(1, (int) Math.floor(originalWidth * (1 - channelSparsity) * beta));
    }

    /** The state of a group with its floor from {@link #floor}, its channels going one by one. */
    public GroupState state(String name, int originalWidth, boolean[] alive, double[] scores) {
        return state(name, originalWidth, alive, scores, 1);
    }

    /** The state of a group with its floor from {@link #floor}, its channels going in blocks of {@code block}. */
    public GroupState state(String name, int originalWidth, boolean[] alive, double[] scores, int block) {
        return new GroupState(name, originalWidth, floor(originalWidth), alive, scores, block);
    }

    /** An event with C0 = Σ O_p over the given groups and no rescoring. */
    public Event prune(List<GroupState> groups, double target) {
        long c0 = groups.stream().mapToLong(GroupState::originalWidth).sum();
        return prune(groups, target, c0, null);
    }

    /**
     * Runs one channel-pruning event.
     *
     * @param groups the prunable groups, in order (the order breaks ties)
     * @param target s, the target channel sparsity in [0, 1] ({@link ChannelSchedule#target})
     * @param c0 C0, the total original number of prunable channels
     * @param rescorer fresh scores between rounds, or null to keep the given scores
     */
    public Event prune(List<GroupState> groups, double target, long c0, Rescorer rescorer) {
        if (!(target >= 0 && target <= 1)) {
            throw new IllegalArgumentException("target channel sparsity must be in [0, 1], got " + target);
        }
        if (c0 < 1) {
            throw new IllegalArgumentException("C0 must be positive, got " + c0);
        }
        List<GroupWork> work = GroupWork.of(groups);
        long liveNow = work.stream().mapToLong(w -> w.live).sum();
        double excess = liveNow - c0 * (1 - target);
        int goal = excess <= SLACK * Math.max(1, liveNow) ? 0 : (int) Math.ceil(excess - SLACK * Math.max(1, liveNow));
        int removed = 0;
        int rounds = 0;
        int maxRounds = work.size() + 1;
        while (removed < goal && rounds < maxRounds) {
            if (rounds > 0 && rescorer != null) {
                refresh(work, rescorer);
            }
            rounds++;
            int taken = round(work, goal - removed);
            removed += taken;
            if (taken == 0) {
                break;
            }
        }
        int byRanking = removed;
        if (goal > 0) {
            rounding.apply(work, () -> work.stream().mapToLong(w -> w.removedNow.size()).sum() - goal);
            removed = work.stream().mapToInt(w -> w.removedNow.size()).sum();
        }
        List<GroupOutcome> outcomes = new ArrayList<>(work.size());
        for (GroupWork w : work) {
            outcomes.add(w.outcome());
        }
        return new Event(target, excess, goal, byRanking, removed, rounds, outcomes);
    }

    /** One ranking round: removes up to {@code left} channels, capping groups at their floors. */
    private static int round(List<GroupWork> work, int left) {
        List<int[]> pool = new ArrayList<>(); // {group, channel}
        for (int g = 0; g < work.size(); g++) {
            GroupWork w = work.get(g);
            if (!w.aboveFloor()) {
                continue;
            }
            for (int c = 0; c < w.alive.length; c++) {
                if (w.alive[c]) {
                    pool.add(new int[] {g, c});
                }
            }
        }
        if (pool.isEmpty()) {
            return 0;
        }
        pool.sort(Comparator.<int[]>comparingDouble(e -> work.get(e[0]).score(e[1]))
                .thenComparingInt(e -> e[0])
                .thenComparingInt(e -> e[1]));
        List<List<Integer>> candidates = new ArrayList<>(work.size());
        for (int g = 0; g < work.size(); g++) {
            candidates.add(new ArrayList<>());
        }
        for (int[] e : pool.subList(0, Math.min(left, pool.size()))) {
            candidates.get(e[0]).add(e[1]);
        }
        int taken = 0;
        for (int g = 0; g < work.size(); g++) {
            GroupWork w = work.get(g);
            // cand is in ranking order, so the lowest candidates are the ones a capped group loses.
            for (int c : candidates.get(g)) {
                if (!w.aboveFloor()) {
                    break;
                }
                taken += w.remove(c);
            }
        }
        return taken;
    }

    private static void refresh(List<GroupWork> work, Rescorer rescorer) {
        Map<String, boolean[]> alive = new LinkedHashMap<>();
        work.forEach(w -> alive.put(w.name, w.alive.clone()));
        Map<String, double[]> fresh = rescorer.rescore(Collections.unmodifiableMap(alive));
        for (GroupWork w : work) {
            double[] s = fresh.get(w.name);
            if (s != null) {
                if (s.length != w.alive.length) {
                    throw new IllegalArgumentException("rescorer gave " + s.length + " scores for group " + w.name
                            + " of " + w.alive.length + " channels");
                }
                w.setScores(s);
            }
        }
    }
}
