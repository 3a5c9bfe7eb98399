package dev.chase.sparse;

import dev.chase.ChaseException;
import dev.chase.Require;

/**
 * A cosine decay from {@code start} at t = 0 to {@code end} at t = period, held at {@code end}
 * afterwards: value(t) = end + (start - end)·(1 + cos(π·t/period))/2. A pure function of the
 * global step t (no hidden counter). The factories build the three schedules of the algorithm (docs/algorithm.md): the
 * soft-bound grow target g(t) (§5.4), the final-phase rate r_post(t) (§5.6) and the SET/RigL
 * update fraction.
 */
public record CosineDecay(double start, double end, long period) {
    public CosineDecay {
        Require.positiveIterations("cosine period", period);
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new ChaseException("cosine schedule bounds must be finite, got " + start + " and " + end);
        }
    }

    /**
     * Soft-bound grow target g(t) = d + p0·(1 + cos(π·t/T_dst))/2 (algorithm §5.4). After T_dst it
     * stays at d (the soft phase has ended by then).
     */
    public static CosineDecay softBound(double density, double p0, long tDst) {
        Require.density(density);
        if (!(p0 >= 0) || density + p0 > 1) {
            throw new ChaseException("p0 (death rate) must be >= 0 with density + p0 <= 1, got density " + density
                    + " and p0 " + p0);
        }
        return new CosineDecay(density + p0, density, Require.positiveIterations("T_dst", tDst));
    }

    /** Final-phase rate r_post(t) = 0.005 + (0.5 - 0.005)·(1 + cos(π·t/T_tot))/2 (algorithm §5.6). */
    public static CosineDecay finalPhase(long tTot) {
        return new CosineDecay(0.5, 0.005, Require.positiveIterations("T_tot", tTot));
    }

    /**
     * SET/RigL update fraction alpha·(1 + cos(π·t/T_end))/2 for t &lt; T_end, 0 afterwards
     * (RigL: alpha = 0.3, T_end = 75% of training).
     */
    public static CosineDecay updateFraction(double alpha, long tEnd) {
        return new CosineDecay(Require.fraction("update fraction alpha", alpha), 0.0, Require.positiveIterations("T_end", tEnd));
    }

    /** The value at global step t (t &lt;= 0 gives start, t &gt;= period gives end). */
    public double value(long t) {
        if (t >= period) {
            return end;
        }
        double c = t <= 0 ? 1.0 : (1 + Math.cos(Math.PI * t / period)) / 2;
        return end + (start - end) * c;
    }
}
