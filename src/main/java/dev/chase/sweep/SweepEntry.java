package dev.chase.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a sweep.
 *
 * @param index its position in the plan, from 0 ({@code --only INDEX}, the Slurm array index)
 * @param name its run directory's name, readable from the values that vary, unique in the sweep
 * @param config every {@code chase train} key the sweep sets for it (base, run and axes), in order
 */
public record SweepEntry(int index, String name, Map<String, String> config) {
    /** The key that tells repetitions of one configuration apart. */
    public static final String SEED = "seed";

    public SweepEntry {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** The configuration this run repeats: its keys without {@value #SEED}. */
    public Map<String, String> configuration() {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.remove(SEED);
        return c;
    }
}
