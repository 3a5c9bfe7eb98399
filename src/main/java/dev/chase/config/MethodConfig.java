package dev.chase.config;


/**
 * A training method and its options. Each kind holds exactly the options it uses, so an option a
 * method does not use cannot be given to it: {@link Dense}; {@link Static} (a fixed sparse mask);
 * {@link PruneAndRegrow} (SET, RigL); {@link SoftBound} (MEST, and Chase when it has a channel part).
 * Start from {@link Methods}.
 */
public sealed interface MethodConfig permits Dense, Static, PruneAndRegrow, SoftBound {
    /** The method's name in the flat configuration. */
    DstMethod dstMethod();
}
