package dev.chase.channel;

import dev.chase.ChaseException;
import dev.chase.Require;
import java.util.Locale;

/**
 * What Chase's channel events aim for. The paper counts the budget in channels: a final channel
 * sparsity S_c over the prunable groups ({@link ChannelPruner}). A cost budget asks instead for a
 * fraction F of the dense network's predicted cost, FLOPs per image or latency
 * ({@link CostPruner}), because a channel of an early, high-resolution layer costs many times
 * more than one of a deep, low-resolution layer, and a channel count says nothing about speed.
 *
 * <p>The same gradual schedule drives both: {@link ChannelSchedule} ramps a reduction from 0 to
 * {@link #reduction()} (S_c, or 1 − F for a cost), so a cost event at step t aims for
 * 1 − s(t) of the dense cost. The per-group floors m_p = ⌊O_p·(1 − S)·β⌋ need a channel sparsity
 * S: a cost budget uses {@link #floorSparsity()} = 1 − √F, the channel sparsity of the uniformly
 * narrowed network that meets F (the cost of a layer grows with the product of its input and
 * output widths, so narrowing every width by √F scales it by F).
 *
 * @param kind what is counted
 * @param goal S_c for {@link Kind#CHANNELS}, F for the costs
 */
public record ChannelBudget(Kind kind, double goal) {

    /** What a budget counts. */
    public enum Kind {
        /** Prunable channels (the paper's S_c). */
        CHANNELS,
        /** Dense FLOPs per image of the live structure (dense-of-slim). */
        FLOPS,
        /** Predicted latency of the live structure (a measured latency table). */
        LATENCY;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChannelBudget {
        java.util.Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CHANNELS) {
            Require.channelSparsity(goal);
        } else if (!(goal > 0 && goal <= 1)) {
            throw new ChaseException("--target-" + (kind == Kind.FLOPS ? "flops" : "latency")
                    + " must be a fraction of the dense network's " + (kind == Kind.FLOPS ? "FLOPs" : "predicted latency")
                    + " in (0, 1], e.g. 0.5, got " + goal);
        }
    }

    /** A channel-sparsity budget S_c. */
    public static ChannelBudget channels(double sc) {
        return new ChannelBudget(Kind.CHANNELS, sc);
    }

    /** A FLOPs budget: the live structure's dense FLOPs at most F of the dense network's. */
    public static ChannelBudget flops(double fraction) {
        return new ChannelBudget(Kind.FLOPS, fraction);
    }

    /** A latency budget: the live structure's predicted latency at most F of the dense network's. */
    public static ChannelBudget latency(double fraction) {
        return new ChannelBudget(Kind.LATENCY, fraction);
    }

    /** Whether the budget is a cost fraction rather than a channel count. */
    public boolean isCost() {
        return kind != Kind.CHANNELS;
    }

    /** The final value of the schedule's ramp: S_c, or the cost reduction 1 − F. */
    public double reduction() {
        return isCost() ? 1 - goal : goal;
    }

    /** The channel sparsity the floors are computed with: S_c, or 1 − √F for a cost. */
    public double floorSparsity() {
        return isCost() ? 1 - Math.sqrt(goal) : goal;
    }

    /** The cost fraction a cost event aims for when the schedule's ramp stands at {@code reduction}. */
    public double costFraction(double reduction) {
        return 1 - reduction;
    }
}
