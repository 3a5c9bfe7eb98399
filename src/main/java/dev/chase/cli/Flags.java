package dev.chase.cli;

import dev.chase.ChaseException;

/** Range checks of numeric flags, made before a command starts its work, with a message that names the flag. */
final class Flags {
    private Flags() {
    }

    /** Refuses {@code value} of {@code flag} unless it is at least 1. */
    static void positive(String flag, long value) {
        if (value <= 0) {
            throw new ChaseException(flag + " must be positive, got " + value);
        }
    }

    /** Refuses {@code value} of {@code flag} when it is negative. */
    static void notNegative(String flag, long value) {
        if (value < 0) {
            throw new ChaseException(flag + " must be 0 or more, got " + value);
        }
    }
}
