package dev.chase.config;

import dev.chase.Require;

/**
 * Constant-budget prune and regrow (SET, RigL): every update interval, drop the smallest active
 * weights and grow as many. A null option means the method's default (interval 100, fraction 0.3,
 * end 0.75, per-layer scope).
 *
 * @param sparsity the initial mask
 * @param growth where weights regrow: at random (SET) or where the dense gradient is largest (RigL)
 * @param updateInterval iterations between mask updates (ΔT_p), positive
 * @param updateFraction fraction of active weights swapped at the first update (alpha), in (0, 1]
 * @param updateEnd fraction of training after which masks stop changing, in (0, 1]
 * @param scope rank weights per layer or over all layers
 */
public record PruneAndRegrow(Sparsity sparsity, Growth growth, Integer updateInterval, Double updateFraction, Double updateEnd,
        Scope scope) implements MethodConfig {

    /** The growth rule: {@code SET} grows at random, {@code RIGL} by gradient magnitude. */
    public enum Growth {
        SET, RIGL
    }

    /** Where weights are ranked: within each layer or over all layers. */
    public enum Scope {
        LAYER, GLOBAL;

        /** The user-facing name. */
        public String key() {
            return Keys.key(this);
        }

        /** Parses an exact name, with the command line's message. */
        public static Scope parse(String name) {
            return Keys.parse(Scope.class, name, "scope");
        }
    }

    public PruneAndRegrow {
        Require.that(sparsity != null, "sparsity must be given");
        Require.that(growth != null, "growth rule must be given");
        Require.that(updateInterval == null || updateInterval > 0, "update interval must be a positive number of iterations, got " + updateInterval);
        Require.that(updateFraction == null || (updateFraction > 0 && updateFraction <= 1), "update fraction must be in (0, 1], got " + updateFraction);
        Require.that(updateEnd == null || (updateEnd > 0 && updateEnd <= 1), "update end must be a fraction of training in (0, 1], got " + updateEnd);
    }

    /** The given growth rule with every option at its default. */
    public static PruneAndRegrow of(Growth growth) {
        return new PruneAndRegrow(Sparsity.DEFAULT, growth, null, null, null, null);
    }

    @Override
    public DstMethod dstMethod() {
        return growth == Growth.SET ? DstMethod.SET : DstMethod.RIGL;
    }

    /** A copy with this initial mask. */
    public PruneAndRegrow sparsity(Sparsity s) {
        return new PruneAndRegrow(s, growth, updateInterval, updateFraction, updateEnd, scope);
    }

    /** A copy with this density. */
    public PruneAndRegrow density(double d) {
        return sparsity(sparsity.density(d));
    }

    /** A copy with this distribution. */
    public PruneAndRegrow distribution(Sparsity.Distribution d) {
        return sparsity(sparsity.distribution(d));
    }

    /** A copy with this mask sampling. */
    public PruneAndRegrow maskInit(Sparsity.MaskInit m) {
        return sparsity(sparsity.maskInit(m));
    }

    /** A copy with this update interval. */
    public PruneAndRegrow updateInterval(int n) {
        return new PruneAndRegrow(sparsity, growth, n, updateFraction, updateEnd, scope);
    }

    /** A copy with this update fraction. */
    public PruneAndRegrow updateFraction(double f) {
        return new PruneAndRegrow(sparsity, growth, updateInterval, f, updateEnd, scope);
    }

    /** A copy with this update end. */
    public PruneAndRegrow updateEnd(double f) {
        return new PruneAndRegrow(sparsity, growth, updateInterval, updateFraction, f, scope);
    }

    /** A copy with this ranking scope. */
    public PruneAndRegrow scope(Scope s) {
        return new PruneAndRegrow(sparsity, growth, updateInterval, updateFraction, updateEnd, s);
    }
}
