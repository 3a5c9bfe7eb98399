package dev.chase.channel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The mutable state of one group during a channel event ({@link ChannelPruner}, {@link
 * CostPruner}): its alive flags and scores, its effective floor max(m_p, 1), and the channels
 * removed by this event so far (the only ones {@link WidthRounding} may give back).
 */
final class GroupWork {
    final String name;
    final int floor;
    final int liveBefore;
    final boolean[] alive;
    double[] scores;
    int live;
    final List<Integer> removedNow = new ArrayList<>();

    /** The working state of every group of an event, in order; a group named twice is a caller's bug. */
    static List<GroupWork> of(List<GroupState> groups) {
        Set<String> names = new HashSet<>();
        List<GroupWork> work = new ArrayList<>(groups.size());
        for (GroupState g : groups) {
            if (!names.add(g.name())) {
                throw new IllegalArgumentException("group " + g.name() + " appears twice");
            }
            work.add(new GroupWork(g));
        }
        return work;
    }

    GroupWork(GroupState g) {
        name = g.name();
        floor = Math.max(1, g.floor());
        alive = g.alive();
        scores = g.scores();
        live = g.live();
        liveBefore = live;
    }

    /** Whether the group may lose another channel. */
    boolean aboveFloor() {
        return live > floor;
    }

    /** The score, with -0.0 folded into 0.0 so it cannot sort before a real zero; NaN sorts last. */
    double score(int c) {
        double s = scores[c];
        return s == 0 ? 0.0 : s;
    }

    /** Orders channels by (score, index), NaN last. */
    int compare(int a, int b) {
        int byScore = Double.compare(score(a), score(b));
        return byScore != 0 ? byScore : Integer.compare(a, b);
    }

    void remove(int c) {
        alive[c] = false;
        live--;
        removedNow.add(c);
    }

    void restore(int c) {
        alive[c] = true;
        live++;
        removedNow.remove(Integer.valueOf(c));
    }

    /** The live channel that goes first: lowest (score, index). */
    int lowestAlive() {
        int best = -1;
        for (int c = 0; c < alive.length; c++) {
            if (alive[c] && (best < 0 || compare(c, best) < 0)) {
                best = c;
            }
        }
        return best;
    }

    /** The k live channels that go first, in that order: lowest (score, index). */
    int[] lowestAlive(int k) {
        return java.util.stream.IntStream.range(0, alive.length).filter(c -> alive[c]).boxed().sorted(this::compare).limit(k)
                .mapToInt(Integer::intValue).toArray();
    }

    /** The channel removed in this event that comes back first: highest (score, index). */
    int highestRemovedNow() {
        int best = -1;
        for (int c : removedNow) {
            if (best < 0 || compare(c, best) > 0) {
                best = c;
            }
        }
        return best;
    }

    ChannelPruner.GroupOutcome outcome() {
        int[] gone = removedNow.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new ChannelPruner.GroupOutcome(name, gone, alive, floor, live <= floor);
    }
}
