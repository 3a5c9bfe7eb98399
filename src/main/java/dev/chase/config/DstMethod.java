package dev.chase.config;

import dev.chase.ChaseException;
import java.util.List;
import java.util.Locale;

/**
 * The training methods and which options each one uses. {@code dense} trains without masks;
 * {@code static} keeps its initial sparse mask; {@code set} and {@code rigl} prune by magnitude
 * and regrow at random (SET) or by gradient magnitude (RigL) at a constant budget; {@code mest}
 * uses the soft memory bound with global ranking (algorithm §5.2-§5.6); {@code chase} is {@code mest}
 * plus channel-pruning events (algorithm §6).
 */
public enum DstMethod {
    DENSE(List.of()),
    STATIC(List.of("density", "distribution", "mask-init")),
    SET(List.of("density", "distribution", "mask-init", "update-interval", "update-fraction", "update-end", "scope")),
    RIGL(List.of("density", "distribution", "mask-init", "update-interval", "update-fraction", "update-end", "scope")),
    MEST(List.of("density", "distribution", "mask-init", "update-interval", "death-rate", "soft-bound-end", "final-phase")),
    CHASE(List.of("density", "distribution", "mask-init", "update-interval", "death-rate", "soft-bound-end", "final-phase",
            "channel-sparsity", "min-ratio", "channel-interval", "channel-end", "channel-score", "channel-schedule", "prune-skip",
            "round-to", "shrink-during-training", "target-flops", "target-latency", "latency-table"));

    private final List<String> options;

    DstMethod(List<String> options) {
        this.options = options;
    }

    /** Parses a user-facing method name. */
    public static DstMethod parse(String name) {
        for (DstMethod m : values()) {
            if (m.name().toLowerCase(Locale.ROOT).equals(name)) {
                return m;
            }
        }
        throw new ChaseException("unknown method '" + name + "': use one of " + names());
    }

    /** The user-facing names, in order. */
    public static List<String> names() {
        return java.util.Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** Option keys (long flags without dashes) this method reads. */
    public List<String> options() {
        return options;
    }

    /**
     * Every method option once, in the order the methods introduce them (static's, then SET's
     * and RigL's, MEST's, Chase's), which is also their order in {@link TrainConfig}.
     */
    public static List<String> allOptions() {
        java.util.Set<String> all = new java.util.LinkedHashSet<>();
        for (DstMethod m : values()) {
            all.addAll(m.options);
        }
        return List.copyOf(all);
    }

    /** Whether this method reads the option {@code key}. */
    public boolean uses(String key) {
        return options.contains(key);
    }

    /** Whether the method removes whole channels. */
    public boolean prunesChannels() {
        return this == CHASE;
    }

    /**
     * Whether the method's mask updates grow weights where the dense gradient is largest (and so
     * need that gradient at update steps); SET grows at random, static never grows.
     */
    public boolean growsByGradient() {
        return this == RIGL || this == MEST || this == CHASE;
    }

    /** Whether the method trains with masks. */
    public boolean sparse() {
        return this != DENSE;
    }
}
