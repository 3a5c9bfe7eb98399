package dev.chase.config;

import dev.chase.Require;


/**
 * MEST's soft memory bound with global ranking (algorithm §5.2-§5.6), and Chase when
 * {@link #channels()} is given (algorithm §6). A null option means the method's default (interval
 * 100, p0 0.05, soft bound ending after 130/160 of the epochs, final phase on).
 *
 * @param sparsity the initial mask
 * @param updateInterval iterations between mask updates (ΔT_p), positive
 * @param deathRate peak p0 of the soft-bound excess, as a fraction of the dense count, >= 0
 * @param softBoundEnd epoch at which the soft bound ends (T_dst), in [1, epochs]
 * @param finalPhase keep swapping weights at a hard budget after the soft bound ends
 * @param channels Chase's channel pruning, or null for MEST
 */
public record SoftBound(Sparsity sparsity, Integer updateInterval, Double deathRate, Integer softBoundEnd, Boolean finalPhase,
        Channels channels) implements MethodConfig {

    public SoftBound {
        Require.that(sparsity != null, "sparsity must be given");
        Require.that(updateInterval == null || updateInterval > 0, "update interval must be a positive number of iterations, got " + updateInterval);
        Require.that(deathRate == null || deathRate >= 0, "death rate p0 must be >= 0, got " + deathRate);
        Double density = sparsity.density();
        Require.that(deathRate == null || density == null || density + deathRate <= 1,
                "density + death rate must be at most 1, got " + density + " + " + deathRate);
    }

    @Override
    public DstMethod dstMethod() {
        return channels == null ? DstMethod.MEST : DstMethod.CHASE;
    }

    /** A copy with this initial mask. */
    public SoftBound sparsity(Sparsity s) {
        return new SoftBound(s, updateInterval, deathRate, softBoundEnd, finalPhase, channels);
    }

    /** A copy with this density. */
    public SoftBound density(double d) {
        return sparsity(sparsity.density(d));
    }

    /** A copy with this distribution. */
    public SoftBound distribution(Sparsity.Distribution d) {
        return sparsity(sparsity.distribution(d));
    }

    /** A copy with this mask sampling. */
    public SoftBound maskInit(Sparsity.MaskInit m) {
        return sparsity(sparsity.maskInit(m));
    }

    /** A copy with this update interval. */
    public SoftBound updateInterval(int n) {
        return new SoftBound(sparsity, n, deathRate, softBoundEnd, finalPhase, channels);
    }

    /** A copy with this death rate p0. */
    public SoftBound deathRate(double p0) {
        return new SoftBound(sparsity, updateInterval, p0, softBoundEnd, finalPhase, channels);
    }

    /** A copy whose soft bound ends at this epoch. */
    public SoftBound softBoundEnd(int epoch) {
        return new SoftBound(sparsity, updateInterval, deathRate, epoch, finalPhase, channels);
    }

    /** A copy with the final phase on or off. */
    public SoftBound finalPhase(boolean on) {
        return new SoftBound(sparsity, updateInterval, deathRate, softBoundEnd, on, channels);
    }

    /** A copy with this channel part (Chase), or none (MEST). */
    public SoftBound channels(Channels c) {
        return new SoftBound(sparsity, updateInterval, deathRate, softBoundEnd, finalPhase, c);
    }
}
