package dev.chase.sparse;

/** Derives independent engine seeds from the run seed and a step, so random decisions are pure functions of both. */
final class Seeds {
    private Seeds() {}

    static int mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31));
    }
}
