package dev.chase.channel;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which original channels of each prunable channel group are physically present in a network that
 * is shrunk while it trains, as increasing original indices. Channel decisions (alive vectors,
 * scores, floors, C0) stay in the original index space, so they are the same whether removed
 * channels are masked or physically gone; this value translates between that space and the
 * positions of the physical tensors. Position p of a group holds original channel {@code
 * present[p]}. A network that was never narrowed has every channel present, and the translation is
 * the identity. Immutable.
 */
public final class PhysicalChannels {
    private final Map<String, int[]> present;
    private final Map<String, Integer> originalWidths;

    private PhysicalChannels(Map<String, int[]> present, Map<String, Integer> originalWidths) {
        this.present = present;
        this.originalWidths = originalWidths;
    }

    /**
     * The channels marked present in each group.
     *
     * @param presence per group name, a vector over the original channels, true where the channel
     *     is physically present (at least one per group)
     */
    public static PhysicalChannels of(Map<String, boolean[]> presence) {
        Map<String, int[]> present = new LinkedHashMap<>();
        Map<String, Integer> widths = new LinkedHashMap<>();
        presence.forEach((name, p) -> {
            int[] indices = new int[AliveVectors.count(p)];
            if (indices.length == 0) {
                throw new IllegalArgumentException("group " + name + " would have no channel left");
            }
            int k = 0;
            for (int c = 0; c < p.length; c++) {
                if (p[c]) {
                    indices[k++] = c;
                }
            }
            present.put(name, indices);
            widths.put(name, p.length);
        });
        return new PhysicalChannels(Collections.unmodifiableMap(present), Collections.unmodifiableMap(widths));
    }

    /** Every channel of groups of the given original widths present (a network never narrowed). */
    public static PhysicalChannels full(Map<String, Integer> originalWidths) {
        Map<String, boolean[]> presence = new LinkedHashMap<>();
        originalWidths.forEach((name, w) -> {
            boolean[] all = new boolean[w];
            Arrays.fill(all, true);
            presence.put(name, all);
        });
        return of(presence);
    }

    /** Physical width of every group. */
    public Map<String, Integer> widths() {
        Map<String, Integer> out = new LinkedHashMap<>();
        present.forEach((name, p) -> out.put(name, p.length));
        return out;
    }

    /**
     * Alive vectors over the physical positions: entry p is the original vector's entry for the
     * channel at position p.
     *
     * @param alive per group name (the groups of this value), a vector over the original channels
     */
    public Map<String, boolean[]> toLive(Map<String, boolean[]> alive) {
        Map<String, boolean[]> out = new LinkedHashMap<>();
        alive.forEach((name, a) -> {
            int[] p = positions(name, a.length);
            boolean[] live = new boolean[p.length];
            for (int i = 0; i < p.length; i++) {
                live[i] = a[p[i]];
            }
            out.put(name, live);
        });
        return out;
    }

    /**
     * Per-position values (channel scores) spread over the original channels; channels not present
     * get {@code absent}.
     */
    public Map<String, double[]> toOriginal(Map<String, double[]> livePositions, double absent) {
        Map<String, double[]> out = new LinkedHashMap<>();
        livePositions.forEach((name, v) -> {
            int[] p = present(name);
            if (v.length != p.length) {
                throw new IllegalArgumentException("group " + name + " has " + p.length + " channels present, got "
                        + v.length + " values");
            }
            double[] original = new double[originalWidths.get(name)];
            Arrays.fill(original, absent);
            for (int i = 0; i < p.length; i++) {
                original[p[i]] = v[i];
            }
            out.put(name, original);
        });
        return out;
    }

    /**
     * The positions to keep when the network is narrowed to the alive channels: per group, the
     * increasing positions whose channel is alive (the form {@link Shrinker#of} takes).
     */
    public Map<String, long[]> kept(Map<String, boolean[]> alive) {
        Map<String, long[]> out = new LinkedHashMap<>();
        toLive(alive).forEach((name, a) -> {
            long[] keep = new long[AliveVectors.count(a)];
            int k = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i]) {
                    keep[k++] = i;
                }
            }
            out.put(name, keep);
        });
        return out;
    }

    /** Whether some channel present physically is no longer alive (the network can be narrowed). */
    public boolean holdsRemoved(Map<String, boolean[]> alive) {
        for (Map.Entry<String, boolean[]> e : alive.entrySet()) {
            boolean[] a = e.getValue();
            for (int c : positions(e.getKey(), a.length)) {
                if (!a[c]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The channels that stay present once the network is narrowed to the alive ones. */
    public PhysicalChannels narrowedTo(Map<String, boolean[]> alive) {
        Map<String, boolean[]> presence = new LinkedHashMap<>();
        present.forEach((name, p) -> {
            boolean[] a = alive.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no alive vector for group " + name);
            }
            boolean[] still = new boolean[originalWidths.get(name)];
            for (int c : positions(name, a.length)) {
                still[c] = a[c];
            }
            presence.put(name, still);
        });
        return of(presence);
    }

    /**
     * Per group, the original channels physically present, increasing: the kept lists that shrink
     * the original network to the physical one ({@link Shrinker#of}).
     */
    public Map<String, long[]> presentChannels() {
        Map<String, long[]> out = new LinkedHashMap<>();
        present.forEach((name, p) -> out.put(name, Arrays.stream(p).asLongStream().toArray()));
        return out;
    }

    /** Whether this value tracks the group (groups it does not track are never narrowed). */
    public boolean tracks(String group) {
        return present.containsKey(group);
    }

    /** The original channel held at each physical position of a group (a copy). */
    public int[] originalChannels(String group) {
        return present(group).clone();
    }

    private int[] present(String name) {
        int[] p = present.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown channel group " + name + "; known: " + present.keySet());
        }
        return p;
    }

    /** The present channels of a group, checking that a vector over its original channels has the right length. */
    private int[] positions(String name, int originalLength) {
        int[] p = present(name);
        if (originalLength != originalWidths.get(name)) {
            throw new IllegalArgumentException("group " + name + " has " + originalWidths.get(name)
                    + " original channels, got a vector of " + originalLength);
        }
        return p;
    }
}
