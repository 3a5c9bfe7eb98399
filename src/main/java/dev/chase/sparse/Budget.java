package dev.chase.sparse;

import dev.chase.Require;

/**
 * The parameter budget of a sparse run and the prune/grow counts derived from it (algorithm §5.2,
 * §5.3, §5.6 with the canonical exact counts of §10 #3 and #3b). B = d·D_tot is a real number;
 * D_tot is the dense count of the <em>original</em> architecture and never shrinks when
 * channels are removed.
 *
 * @param totalParams D_tot, the dense element count of all masked tensors (original shapes)
 * @param density the target overall density d in (0, 1]
 */
public record Budget(long totalParams, double density) {
    public Budget {
        if (totalParams <= 0) {
            throw new IllegalArgumentException("total parameter count must be positive, got " + totalParams);
        }
        Require.density(density);
    }

    /** B = d·D_tot. */
    public double baseline() {
        return density * totalParams;
    }

    /**
     * How many active weights to prune to get down to B: round(nnz - B), or 0 when the excess
     * is below 1 (the guard of algorithm §10 #3b) or negative.
     */
    public long pruneToBudget(long nonZeros) {
        double kill = nonZeros - baseline();
        return kill < 1 ? 0 : Math.round(kill);
    }

    /** How many positions to grow to reach D_tot·target: floor(D_tot·target - nnz), or 0 if not positive. */
    public long growTo(double target, long nonZeros) {
        double grow = totalParams * target - nonZeros;
        return grow > 0 ? (long) Math.floor(grow) : 0;
    }

    /** How many positions to grow back to B (final phase, algorithm §5.6): floor(B - nnz), or 0. */
    public long refill(long nonZeros) {
        return growTo(density, nonZeros);
    }

    /** Final-phase prune count ceil(rate·nnz) (algorithm §5.6). */
    public static long fractionOf(double rate, long nonZeros) {
        Require.fraction("prune rate", rate);
        return (long) Math.ceil(rate * nonZeros);
    }
}
