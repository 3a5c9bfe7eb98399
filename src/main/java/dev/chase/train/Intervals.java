package dev.chase.train;

import dev.chase.ChaseException;
import dev.chase.config.DstMethod;
import dev.chase.config.TrainConfig;
import java.util.Locale;

/**
 * The one check that an interval of a prune-and-regrow run fires at all. A mask-update interval
 * (SET, RigL, MEST, Chase) or a Chase channel interval longer than the window its events must fall
 * in turns the option into a silent no-op: masks that never change, a Chase run that removes no
 * channel. Both are refused here, in the same words; {@link ChannelPruning} applies the channel
 * part to every Chase run it builds, and the command line applies the whole before it creates a run.
 */
public final class Intervals {
    private Intervals() {}

    /**
     * Refuses a config whose mask updates or (Chase) channel events would never run.
     *
     * @param given a config (resolved here)
     * @param stepsPerEpoch optimizer steps per epoch
     * @throws ChaseException naming the interval, the window it misses and the flag to lower
     */
    public static void requireEvents(TrainConfig given, int stepsPerEpoch) {
        TrainConfig c = given.resolved();
        DstMethod m = c.dstMethod();
        if (!m.sparse() || m == DstMethod.STATIC) {
            return;
        }
        if (m.prunesChannels()) {
            ChannelPruning.schedule(c, stepsPerEpoch);
        }
        long total = (long) c.epochs() * stepsPerEpoch;
        String run = String.format(Locale.ROOT, "the run's %d steps (%d %s of %d)", total, c.epochs(),
                c.epochs() == 1 ? "epoch" : "epochs", stepsPerEpoch);
        String window = m.uses("update-end") ? "in the first " + percent(c.updateEnd()) + " (--update-end " + c.updateEnd() + ") of "
                + run
                : Boolean.FALSE.equals(c.finalPhase()) ? "before the soft-bound end (epoch " + c.softBoundEnd() + " of " + run + ")"
                : "in " + run;
        boolean fires = c.updateInterval() <= total && SparseTraining.updater(c, stepsPerEpoch).updatesAt(c.updateInterval());
        requireFires("update interval", c.updateInterval(), fires, window, c.method() + "'s masks would never change",
                "--update-interval", "--method static for fixed masks");
    }

    /**
     * Refuses an interval whose schedule has no event.
     *
     * @param name what the interval is, e.g. "channel interval"
     * @param fires whether it fires at least once
     * @param window where its events must fall, e.g. "before the channel end (epoch 3, step 120)"
     * @param consequence what would silently happen instead
     * @param flag the option to lower
     * @param alternative another way out, or null
     */
    static void requireFires(String name, long interval, boolean fires, String window, String consequence, String flag,
            String alternative) {
        if (!fires) {
            throw new ChaseException("the " + name + " " + interval + " never fires " + window + ", so " + consequence
                    + "; use a smaller " + flag + (alternative == null ? "" : ", or " + alternative));
        }
    }

    private static String percent(double fraction) {
        return java.math.BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
