package dev.chase.model;

import dev.chase.ChaseException;

/** A width multiplier in (0, 4]: every width of a built-in architecture becomes {@code max(1, round(width * m))}. */
record WidthMultiplier(double multiplier) {
    static final int MAX = 4;

    WidthMultiplier {
        if (!(multiplier > 0 && multiplier <= MAX)) {
            throw new ChaseException("width must be in (0, " + MAX + "], got " + multiplier); // as the run configuration says it
        }
    }

    int apply(int width) {
        return (int) Math.max(1, Math.round(width * multiplier));
    }
}
