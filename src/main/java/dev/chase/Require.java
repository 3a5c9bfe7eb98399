package dev.chase;

/**
 * The one argument-checking helper: each check returns the value it accepts and refuses the
 * others with a {@link ChaseException} whose message names the setting, its allowed range and
 * what was given.
 */
public final class Require {
    private Require() {}

    /** Refuses with {@code message} unless {@code ok}. */
    public static void that(boolean ok, String message) {
        if (!ok) {
            throw new ChaseException(message);
        }
    }

    /** A positive number of iterations, such as an update or channel interval. */
    public static long positiveIterations(String what, long value) {
        that(value > 0, what + " must be a positive number of iterations, got " + value);
        return value;
    }

    /** A fraction in [0, 1]. */
    public static double fraction(String what, double value) {
        that(value >= 0.0 && value <= 1.0, what + " must be in [0, 1], got " + value);
        return value;
    }

    /** Target overall density d = 1 - sparsity, in (0, 1]. */
    public static double density(double density) {
        that(density > 0.0 && density <= 1.0,
                "density must be in (0, 1] (density = 1 - sparsity, e.g. 0.1 for 90% sparsity), got " + density);
        return density;
    }

    /** Final channel sparsity S_c, in [0, 1). */
    public static double channelSparsity(double sc) {
        that(sc >= 0.0 && sc < 1.0, "channel sparsity S_c must be in [0, 1) (fraction of prunable channels removed"
                + " by the end, e.g. 0.5), got " + sc);
        return sc;
    }

    /** Channel floor factor β, in (0, 1]. */
    public static double beta(double beta) {
        that(beta > 0.0 && beta <= 1.0, "channel floor factor beta must be in (0, 1] (a layer keeps at least"
                + " floor(O * (1 - S_c) * beta) channels, e.g. 0.2), got " + beta);
        return beta;
    }
}
