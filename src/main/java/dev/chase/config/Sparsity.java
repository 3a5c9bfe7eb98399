package dev.chase.config;

import dev.chase.Require;

/**
 * The initial sparse mask shared by every sparse method. A null component means "the method's
 * default" (density 0.1, ERK, exact), as an option not given on the command line.
 *
 * @param density target overall density d of the maskable weights, in (0, 1]
 * @param distribution per-layer density distribution
 * @param maskInit how the initial mask is sampled
 */
public record Sparsity(Double density, Distribution distribution, MaskInit maskInit) {
    /** Nothing set: every option takes its default. */
    public static final Sparsity DEFAULT = new Sparsity(null, null, null);

    /** Per-layer density distribution. */
    public enum Distribution {
        ERK, UNIFORM;

        /** The user-facing name. */
        public String key() {
            return Keys.key(this);
        }

        /** Parses an exact name, with the command line's message. */
        public static Distribution parse(String name) {
            return Keys.parse(Distribution.class, name, "distribution");
        }
    }

    /** Initial mask sampling: the exact count per layer, or a Bernoulli draw per weight (as the reference). */
    public enum MaskInit {
        EXACT, BERNOULLI;

        /** The user-facing name. */
        public String key() {
            return Keys.key(this);
        }

        /** Parses an exact name, with the command line's message. */
        public static MaskInit parse(String name) {
            return Keys.parse(MaskInit.class, name, "mask init");
        }
    }

    public Sparsity {
        Require.that(density == null || (density > 0 && density <= 1), "density must be in (0, 1], got " + density);
    }

    /** A copy with this density. */
    public Sparsity density(double d) {
        return new Sparsity(d, distribution, maskInit);
    }

    /** A copy with this distribution. */
    public Sparsity distribution(Distribution d) {
        return new Sparsity(density, d, maskInit);
    }

    /** A copy with this mask sampling. */
    public Sparsity maskInit(MaskInit m) {
        return new Sparsity(density, distribution, m);
    }
}
