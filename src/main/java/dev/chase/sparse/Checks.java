package dev.chase.sparse;

import dev.chase.ChaseException;

/** Validation of user settings shared by this package; failures are {@link ChaseException}s. */
final class Checks {
    private Checks() {}

    /** Target overall density d = 1 - sparsity, which must lie in (0, 1]. */
    static double density(double density) {
        if (!(density > 0.0 && density <= 1.0)) {
            throw new ChaseException("density must be in (0, 1] (density = 1 - sparsity, e.g. 0.1 for 90% sparsity), got "
                    + density);
        }
        return density;
    }

    static long positive(String what, long value) {
        if (value <= 0) {
            throw new ChaseException(what + " must be a positive number of iterations, got " + value);
        }
        return value;
    }

    static double fraction(String what, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new ChaseException(what + " must be in [0, 1], got " + value);
        }
        return value;
    }
}
