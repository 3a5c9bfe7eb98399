package dev.chase.config;

/**
 * Starting points for each method, every option at its default; refine them with their
 * {@code density(..)}, {@code updateInterval(..)}, ... copies, e.g.
 * {@code Methods.chase(Channels.flops(0.5).pruneSkip(true)).density(0.05)}.
 */
public final class Methods {
    private Methods() {}

    /** Dense training. */
    public static Dense dense() {
        return new Dense();
    }

    /** A fixed sparse mask. */
    public static Static staticMask() {
        return new Static(Sparsity.DEFAULT);
    }

    /** SET: magnitude pruning, random growth. */
    public static PruneAndRegrow set() {
        return PruneAndRegrow.of(PruneAndRegrow.Growth.SET);
    }

    /** RigL: magnitude pruning, gradient growth. */
    public static PruneAndRegrow rigl() {
        return PruneAndRegrow.of(PruneAndRegrow.Growth.RIGL);
    }

    /** MEST: the soft memory bound with global ranking. */
    public static SoftBound mest() {
        return new SoftBound(Sparsity.DEFAULT, null, null, null, null, null);
    }

    /** Chase with every channel option at its default (S_c 0.5). */
    public static SoftBound chase() {
        return chase(Channels.defaults());
    }

    /** Chase with this channel part. */
    public static SoftBound chase(Channels channels) {
        return mest().channels(channels);
    }
}
