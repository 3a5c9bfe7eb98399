package dev.chase.method;

import dev.chase.ChaseException;
import dev.chase.Require;
import dev.chase.channel.ChannelController;
import dev.chase.channel.ChannelSchedule;
import dev.chase.config.Channels;
import dev.chase.config.PruneAndRegrow;
import dev.chase.config.RunConfig;
import dev.chase.config.SoftBound;
import java.util.Locale;

/**
 * The one check that an interval of a prune-and-regrow run fires at all. A mask-update interval
 * (SET, RigL, MEST, Chase) or a Chase channel interval longer than the window its events must fall
 * in turns the option into a silent no-op: masks that never change, a Chase run that removes no
 * channel. Both are refused here, in the same words; {@link Chase} applies the channel part to
 * every Chase run it builds, and the command line applies the whole before it creates a run.
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
    public static void requireEvents(RunConfig given, int stepsPerEpoch) {
        RunConfig c = given.resolved();
        int updateInterval;
        String window;
        String epochs = c.optimisation().epochs() == 1 ? "epoch" : "epochs";
        TrainingPlan plan = new TrainingPlan(c.optimisation().epochs(), stepsPerEpoch, c.optimisation().seed());
        String run = String.format(Locale.ROOT, "the run's %d steps (%d %s of %d)", plan.totalSteps(), plan.epochs(), epochs,
                stepsPerEpoch);
        if (c.method() instanceof PruneAndRegrow p) {
            updateInterval = p.updateInterval();
            window = "in the first " + percent(p.updateEnd()) + " (--update-end " + p.updateEnd() + ") of " + run;
        } else if (c.method() instanceof SoftBound s) {
            if (s.channels() != null) {
                requireChannelEvents(s.channels(), ChannelController.schedule(s.channels(), s.updateInterval(), stepsPerEpoch));
            }
            updateInterval = s.updateInterval();
            window = s.finalPhase() ? "in " + run : "before the soft-bound end (epoch " + s.softBoundEnd() + " of " + run + ")";
        } else {
            return;
        }
        boolean fires = updateInterval <= plan.totalSteps() && MethodRegistry.updater(c.method(), plan).updatesAt(updateInterval);
        requireFires("update interval", updateInterval, fires, window,
                c.dstMethod().name().toLowerCase(Locale.ROOT) + "'s masks would never change", "--update-interval",
                "--method static for fixed masks");
    }

    /** Refuses a Chase channel schedule that would remove no channel. */
    static void requireChannelEvents(Channels channels, ChannelSchedule schedule) {
        requireFires("channel interval", channels.interval(), schedule.finalSparsity() == 0 || !schedule.events().isEmpty(),
                "before the channel end (epoch " + channels.end() + ", step " + schedule.end() + ")", "no channel would be removed",
                "--channel-interval", null);
    }

    private static void requireFires(String name, long interval, boolean fires, String window, String consequence, String flag,
            String alternative) {
        Require.that(fires, "the " + name + " " + interval + " never fires " + window + ", so " + consequence
                + "; use a smaller " + flag + (alternative == null ? "" : ", or " + alternative));
    }

    private static String percent(double fraction) {
        return java.math.BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
