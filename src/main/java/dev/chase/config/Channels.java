package dev.chase.config;

import dev.chase.Require;

/**
 * Chase's channel pruning (algorithm §6). A null option means the default (budget S_c 0.5, β 0.2,
 * an event every 4 update intervals until the soft bound ends, UMM, cubic, no skip pruning, no
 * rounding, shrinking during training).
 *
 * @param budget how many channels to remove, or null for S_c 0.5
 * @param minRatio β: a group keeps at least floor(width·(1-S_c)·β) channels, in (0, 1]
 * @param interval iterations between channel-pruning events (ΔT), positive
 * @param end epoch at which channel pruning ends (E_c), in [1, epochs]
 * @param score the channel score
 * @param schedule the ramp of the channel sparsity
 * @param pruneSkip also prune the channels of residual streams
 * @param roundTo keep each group's width a multiple of this where its floor allows (1 = off), positive
 * @param shrinkDuringTraining continue on the physically narrower network after each event
 */
public record Channels(Budget budget, Double minRatio, Integer interval, Integer end, Score score, Schedule schedule,
        Boolean pruneSkip, Integer roundTo, Boolean shrinkDuringTraining) {

    /** How many channels Chase removes by the end of channel pruning. */
    public sealed interface Budget permits ChannelCount, Flops, Latency {}

    /**
     * A final channel sparsity S_c over the prunable channel groups.
     *
     * @param sparsity S_c in [0, 1)
     */
    public record ChannelCount(double sparsity) implements Budget {
        public ChannelCount {
            Require.that(sparsity >= 0 && sparsity < 1, "channel sparsity must be in [0, 1), got " + sparsity);
        }
    }

    /**
     * Final dense FLOPs of the live structure as a fraction of the dense network's.
     *
     * @param target in (0, 1]
     */
    public record Flops(double target) implements Budget {
        public Flops {
            Require.that(target > 0 && target <= 1,
                    "target FLOPs must be a fraction of the dense network's FLOPs in (0, 1], got " + target);
        }
    }

    /**
     * Final predicted latency of the live structure as a fraction of the dense network's.
     *
     * @param target in (0, 1]
     * @param table the latency table file, or null for the cached table of the model
     */
    public record Latency(double target, String table) implements Budget {
        public Latency {
            Require.that(target > 0 && target <= 1,
                    "target latency must be a fraction of the dense network's predicted latency in (0, 1], got " + target);
        }
    }

    /** The channel score. */
    public enum Score {
        UMM, ACTIVE_MEAN, DENSITY;

        /** The user-facing name, e.g. {@code active-mean}. */
        public String key() {
            return Keys.key(this);
        }

        /** Parses an exact name, with the command line's message. */
        public static Score parse(String name) {
            return Keys.parse(Score.class, name, "channel score");
        }
    }

    /** The ramp of the channel sparsity over the channel-pruning events. */
    public enum Schedule {
        CUBIC, COSINE;

        /** The user-facing name. */
        public String key() {
            return Keys.key(this);
        }

        /** Parses an exact name, with the command line's message. */
        public static Schedule parse(String name) {
            return Keys.parse(Schedule.class, name, "channel schedule");
        }
    }

    public Channels {
        Require.that(minRatio == null || (minRatio > 0 && minRatio <= 1), "min ratio (beta) must be in (0, 1], got " + minRatio);
        Require.that(interval == null || interval > 0, "channel interval must be a positive number of iterations, got " + interval);
        Require.that(roundTo == null || roundTo >= 1, "round-to must be a positive channel count, got " + roundTo);
    }

    /** Every option at its default. */
    public static Channels defaults() {
        return new Channels(null, null, null, null, null, null, null, null, null);
    }

    /** Defaults with a channel sparsity S_c. */
    public static Channels sparsity(double sc) {
        return defaults().budget(new ChannelCount(sc));
    }

    /** Defaults with a FLOPs target. */
    public static Channels flops(double target) {
        return defaults().budget(new Flops(target));
    }

    /** Defaults with a latency target on the model's cached latency table. */
    public static Channels latency(double target) {
        return defaults().budget(new Latency(target, null));
    }

    /** Defaults with a latency target on the given latency table file. */
    public static Channels latency(double target, String table) {
        return defaults().budget(new Latency(target, table));
    }

    /** A copy with this budget. */
    public Channels budget(Budget b) {
        return new Channels(b, minRatio, interval, end, score, schedule, pruneSkip, roundTo, shrinkDuringTraining);
    }

    /** A copy with this β. */
    public Channels minRatio(double beta) {
        return new Channels(budget, beta, interval, end, score, schedule, pruneSkip, roundTo, shrinkDuringTraining);
    }

    /** A copy with this event interval. */
    public Channels interval(int n) {
        return new Channels(budget, minRatio, n, end, score, schedule, pruneSkip, roundTo, shrinkDuringTraining);
    }

    /** A copy whose channel pruning ends at this epoch. */
    public Channels end(int epoch) {
        return new Channels(budget, minRatio, interval, epoch, score, schedule, pruneSkip, roundTo, shrinkDuringTraining);
    }

    /** A copy with this score. */
    public Channels score(Score s) {
        return new Channels(budget, minRatio, interval, end, s, schedule, pruneSkip, roundTo, shrinkDuringTraining);
    }

    /** A copy with this ramp. */
    public Channels schedule(Schedule s) {
        return new Channels(budget, minRatio, interval, end, score, s, pruneSkip, roundTo, shrinkDuringTraining);
    }

    /** A copy that does or does not prune residual streams. */
    public Channels pruneSkip(boolean on) {
        return new Channels(budget, minRatio, interval, end, score, schedule, on, roundTo, shrinkDuringTraining);
    }

    /** A copy rounding widths to multiples of k. */
    public Channels roundTo(int k) {
        return new Channels(budget, minRatio, interval, end, score, schedule, pruneSkip, k, shrinkDuringTraining);
    }

    /** A copy that does or does not shrink the network during training. */
    public Channels shrinkDuringTraining(boolean on) {
        return new Channels(budget, minRatio, interval, end, score, schedule, pruneSkip, roundTo, on);
    }
}
