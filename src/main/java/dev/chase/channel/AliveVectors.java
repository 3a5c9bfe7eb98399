package dev.chase.channel;

/** Conversions of channel-alive vectors (true = the channel is kept) used by events, masks and checkpoints. */
public final class AliveVectors {
    private AliveVectors() {}

    /** Number of alive channels. */
    public static int count(boolean[] alive) {
        int n = 0;
        for (boolean a : alive) {
            n += a ? 1 : 0;
        }
        return n;
    }

    /** 1 for alive, 0 for removed (to multiply tensors or store in a checkpoint). */
    public static float[] asFloats(boolean[] alive) {
        float[] v = new float[alive.length];
        for (int i = 0; i < alive.length; i++) {
            v[i] = alive[i] ? 1f : 0f;
        }
        return v;
    }

    /** The inverse of {@link #asFloats}: non-zero means alive. */
    public static boolean[] fromFloats(float[] values) {
        boolean[] a = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            a[i] = values[i] != 0;
        }
        return a;
    }
}
