package dev.chase.channel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The mutable state of one group during a channel event ({@link ChannelPruner}, {@link
 * CostPruner}): its alive flags and scores, its effective floor, and the channels removed by this
 * event so far (the only ones {@link WidthRounding} may give back).
 *
 * <p>A group of blocks ({@link GroupState#block()} b &gt; 1) loses and regains whole aligned blocks:
 * every channel of a block carries the block's score (the mean of its channels' scores), removing or
 * restoring any channel of a block does it for the whole block, and the floor is rounded up to a
 * multiple of b. With b = 1 every operation is on one channel.
 */
final class GroupWork {
    final String name;
    final int block;
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
        block = g.block();
        floor = (Math.max(1, g.floor()) + block - 1) / block * block;
        alive = g.alive();
        setScores(g.scores());
        live = g.live();
        liveBefore = live;
    }

    /** Takes new per-channel scores (a block's channels all get the block's mean). */
    void setScores(double[] channelScores) {
        scores = channelScores.clone();
        for (int b = 0; block > 1 && b < scores.length; b += block) {
            double sum = 0;
            for (int c = b; c < b + block; c++) {
                sum += channelScores[c];
            }
            java.util.Arrays.fill(scores, b, b + block, sum / block);
        }
    }

    /** Whether the group may lose another channel (another block). */
    boolean aboveFloor() {
        return live - block >= floor;
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

    /** Removes channel c with its block, if alive; returns the number of channels removed. */
    int remove(int c) {
        int first = c - c % block;
        if (!alive[first]) {
            return 0;
        }
        for (int k = first; k < first + block; k++) {
            alive[k] = false;
            removedNow.add(k);
        }
        live -= block;
        return block;
    }

    /** Gives back channel c, removed in this event, with its block. */
    void restore(int c) {
        int first = c - c % block;
        for (int k = first; k < first + block; k++) {
            alive[k] = true;
            removedNow.remove(Integer.valueOf(k));
        }
        live += block;
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

    /** The k live channels that go first, in that order: lowest (score, index); whole blocks when k is a multiple of the block. */
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
        return new ChannelPruner.GroupOutcome(name, gone, alive, floor, !aboveFloor());
    }
}
