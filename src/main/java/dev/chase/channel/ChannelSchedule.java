package dev.chase.channel;

import dev.chase.ChaseException;
import dev.chase.Require;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * When channel-pruning events run and what channel sparsity each one aims for (algorithm §6.3, §2.2).
 * The target s_c(t) rises from 0 to the final channel sparsity S_c over T_c iterations, either
 * cubically (Zhu &amp; Gupta, the recipes' {@code --gpm_filter_pune}) s_c(t) = S_c·(1 − (1 − t/T_c)³),
 * or along a half cosine s_c(t) = S_c·(1 − cos(π t/T_c))/2; it is 0 for t &lt;= 0 and S_c for
 * t &gt; T_c. An event fires at step t iff 0 &lt;= t &lt; T_c and (t + offset) % ΔT == 0, where ΔT
 * is the channel interval and the offset is half the parameter update interval ΔT_p (algorithm §10
 * #13), so channel and parameter events never coincide when ΔT is a multiple of ΔT_p. A pure
 * function of the global step: no hidden counter.
 *
 * @param form cubic or cosine
 * @param finalSparsity S_c in [0, 1)
 * @param end T_c, the step at which the target reaches S_c (events run only before it)
 * @param interval ΔT, iterations between channel events
 * @param offset the event phase, ΔT_p/2 for the recipes
 */
public record ChannelSchedule(Form form, double finalSparsity, long end, long interval, long offset) {

    /** Shape of the ramp from 0 to S_c. */
    public enum Form {
        /** S_c·(1 − (1 − t/T_c)³): fast early, flat at the end (the recipes' choice). */
        CUBIC,
        /** S_c·(1 − cos(π t/T_c))/2: slow start and end. */
        COSINE;

        /** The form with this name (case-insensitive), a {@link ChaseException} otherwise. */
        public static Form named(String name) {
            for (Form f : values()) {
                if (f.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                    return f;
                }
            }
            throw new ChaseException("unknown channel schedule '" + name + "'; choose cubic or cosine");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChannelSchedule {
        Objects.requireNonNull(form, "form");
        Require.channelSparsity(finalSparsity);
        Require.positiveIterations("channel pruning end T_c", end);
        Require.positiveIterations("channel pruning interval", interval);
        if (offset < 0) {
            throw new ChaseException("channel event offset must be >= 0, got " + offset);
        }
    }

    /**
     * The recipe schedule: events at 0 &lt;= t &lt; T_c with (t + ΔT_p/2) % ΔT == 0.
     *
     * @param form cubic or cosine
     * @param finalSparsity S_c
     * @param end T_c in iterations
     * @param interval ΔT in iterations
     * @param updateInterval ΔT_p, the parameter prune/grow interval in iterations
     */
    public static ChannelSchedule of(Form form, double finalSparsity, long end, long interval, long updateInterval) {
        Require.positiveIterations("update interval", updateInterval);
        return new ChannelSchedule(form, finalSparsity, end, interval, updateInterval / 2);
    }

    /** The cubic recipe schedule; see {@link #of}. */
    public static ChannelSchedule cubic(double finalSparsity, long end, long interval, long updateInterval) {
        return of(Form.CUBIC, finalSparsity, end, interval, updateInterval);
    }

    /** The target channel sparsity s_c(t). */
    public double target(long t) {
        if (t <= 0) {
            return 0.0;
        }
        if (t > end) {
            return finalSparsity;
        }
        double x = (double) t / end;
        return switch (form) {
            case CUBIC -> finalSparsity * (1 - Math.pow(1 - x, 3));
            case COSINE -> finalSparsity * (1 - Math.cos(Math.PI * x)) / 2;
        };
    }

    /** Whether a channel-pruning event runs at step t. */
    public boolean isEvent(long t) {
        return t >= 0 && t < end && Math.floorMod(t + offset, interval) == 0;
    }

    /** Every event step, in order. */
    public List<Long> events() {
        List<Long> steps = new ArrayList<>();
        long first = Math.floorMod(-offset, interval);
        for (long t = first; t < end; t += interval) {
            steps.add(t);
        }
        return steps;
    }
}
