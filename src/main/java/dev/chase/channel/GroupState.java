package dev.chase.channel;

import java.util.Arrays;
import java.util.Objects;

/**
 * One prunable channel group as a channel event sees it: which channels are still alive, their
 * scores (lower = pruned first), the group's original width O_p and its floor m_p (the fewest
 * channels it may keep; {@link ChannelPruner#floor}). The arrays are copied in and out, so a state
 * is a value.
 *
 * @param name the channel group's name (unique within an event)
 * @param originalWidth O_p, the width before any channel was removed
 * @param floor m_p, in [0, O_p]; the pruner never lets a group go below max(m_p, 1)
 * @param alive per channel, true while the channel is kept
 * @param scores per channel, its score; NaN ranks after every number (pruned last)
 * @param block channels go in aligned blocks of this many ({@link dev.chase.graph.ChannelGroup#block()}), 1 for one by one
 */
public record GroupState(String name, int originalWidth, int floor, boolean[] alive, double[] scores, int block) {

    public GroupState {
        Objects.requireNonNull(name, "name");
        if (alive.length != scores.length) {
            throw new IllegalArgumentException("group " + name + ": " + alive.length + " alive flags but "
                    + scores.length + " scores");
        }
        if (originalWidth < 1 || alive.length > originalWidth) {
            throw new IllegalArgumentException("group " + name + ": original width " + originalWidth
                    + " with " + alive.length + " channels");
        }
        if (floor < 0 || floor > originalWidth) {
            throw new IllegalArgumentException("group " + name + ": floor " + floor + " outside [0, "
                    + originalWidth + "]");
        }
        if (block < 1 || alive.length % block != 0) {
            throw new IllegalArgumentException("group " + name + ": " + alive.length + " channels in blocks of " + block);
        }
        for (int b = 0; b < alive.length; b += block) {
            for (int c = b + 1; c < b + block; c++) {
                if (alive[c] != alive[b]) {
                    throw new IllegalArgumentException("group " + name + ": block of channels " + b + " to " + (b + block - 1)
                            + " is partly removed");
                }
            }
        }
        alive = alive.clone();
        scores = scores.clone();
    }

    /** A group whose channels go one by one. */
    public GroupState(String name, int originalWidth, int floor, boolean[] alive, double[] scores) {
        this(name, originalWidth, floor, alive, scores, 1);
    }

    /** A copy of the alive flags. */
    @Override
    public boolean[] alive() {
        return alive.clone();
    }

    /** A copy of the scores. */
    @Override
    public double[] scores() {
        return scores.clone();
    }

    /** Number of alive channels. */
    public int live() {
        return AliveVectors.count(alive);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupState g && name.equals(g.name) && originalWidth == g.originalWidth
                && floor == g.floor && Arrays.equals(alive, g.alive) && Arrays.equals(scores, g.scores) && block == g.block;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, originalWidth, floor, Arrays.hashCode(alive), Arrays.hashCode(scores), block);
    }

    @Override
    public String toString() {
        return "GroupState[" + name + ", live " + live() + "/" + alive.length + ", O_p " + originalWidth + ", floor "
                + floor + (block > 1 ? ", blocks of " + block : "") + "]";
    }
}
