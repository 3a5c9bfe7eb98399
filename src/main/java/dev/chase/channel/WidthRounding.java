package dev.chase.channel;

import dev.chase.ChaseException;

/**
 * Optional hardware-friendly widths ({@code --round-to K}): after the exact selection of a channel
 * event, every group that lost channels in that event has its remaining width rounded to the
 * nearest multiple of K that lies within [max(floor, 1), its width before the event]. Rounding
 * down removes the group's lowest-score live channels; rounding up gives back the highest-score
 * channels it lost in this event (channels removed in earlier events never come back). When the
 * two multiples are equally near, the group rounds down if the event has so far removed fewer
 * channels than its goal and up otherwise (groups are processed in order), which keeps the total
 * close to the goal. A group with no multiple of K in that range keeps its exact width, and groups
 * untouched by the event are left alone. A group of blocks rounds to multiples of the least common
 * multiple of K and its block ({@link #forBlock}).
 *
 * <p>Effect on the target: the achieved removal differs from the exact ⌈R⌉ by at most K/2 per
 * rounded group (less than K per group in every case) and is reported by {@link
 * ChannelPruner.Event#removed()} next to {@link ChannelPruner.Event#goal()}. K = 1 means no rounding.
 *
 * <p>Cost events ({@link CostPruner}) use K differently: each of their steps removes a whole block
 * down to the next lower multiple, so they need no post-step.
 */
public final class WidthRounding {
    /** No rounding. */
    public static final WidthRounding NONE = new WidthRounding(1);

    private final int multiple;

    /** Rounding to multiples of {@code multiple} (K &gt;= 1; 1 = off). */
    public WidthRounding(int multiple) {
        if (multiple < 1) {
            throw new ChaseException("--round-to must be a positive number of channels (1 = no rounding), got "
                    + multiple);
        }
        this.multiple = multiple;
    }

    /** K. */
    public int multiple() {
        return multiple;
    }

    /**
     * The rounding of a group whose channels go in blocks of {@code block}: to multiples of the
     * least common multiple of K and the block (this rounding itself for a block of 1).
     */
    public WidthRounding forBlock(int block) {
        if (block == 1 || multiple % block == 0) {
            return this;
        }
        int gcd = java.math.BigInteger.valueOf(multiple).gcd(java.math.BigInteger.valueOf(block)).intValue();
        return new WidthRounding(multiple / gcd * block);
    }

    /** Whether this rounding changes anything. */
    public boolean enabled() {
        return multiple > 1;
    }

    /**
     * The rounded remaining width of one group.
     *
     * @param live its width after the exact selection
     * @param floor its effective floor (at least 1)
     * @param liveBefore its width before the event (the most it can get back to)
     * @param deviation channels removed so far in the event minus the goal (negative = too few)
     * @return the new width, {@code live} if no multiple of K lies in [floor, liveBefore]
     */
    public int roundedWidth(int live, int floor, int liveBefore, long deviation) {
        if (live % multiple == 0) {
            return live;
        }
        int down = (live / multiple) * multiple;
        int up = down + multiple;
        boolean canDown = down >= Math.max(floor, 1);
        boolean canUp = up <= liveBefore;
        if (canDown && canUp) {
            int toDown = live - down;
            int toUp = up - live;
            if (toDown != toUp) {
                return toDown < toUp ? down : up;
            }
            return deviation < 0 ? down : up;
        }
        return canDown ? down : canUp ? up : live;
    }

    /**
     * The post-step of an event: rounds every group that lost channels in it, in order. Rounding
     * down removes the group's lowest-score live channels; rounding up gives back its
     * highest-score channels removed in this event.
     *
     * @param work the groups after the exact selection
     * @param deviation asked before each group: negative while the event has done too little
     *     (fewer channels than its goal, or a cost still above its target), otherwise &gt;= 0
     */
    void apply(java.util.List<GroupWork> work, java.util.function.LongSupplier deviation) {
        if (!enabled()) {
            return;
        }
        for (GroupWork w : work) {
            if (w.removedNow.isEmpty()) {
                continue;
            }
            int width = forBlock(w.block).roundedWidth(w.live, w.floor, w.liveBefore, deviation.getAsLong());
            while (w.live > width) {
                w.remove(w.lowestAlive());
            }
            while (w.live < width) {
                w.restore(w.highestRemovedNow());
            }
        }
    }
}
