package dev.chase.model;

import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validation shared by the spec records; every failure is a {@link ChaseException}. */
final class SpecChecks {
    private SpecChecks() {}

    /** Bound on every count in a spec, far above any real network, so sizes computed from them cannot overflow. */
    static final int MAX_COUNT = 1 << 20;

    static void positive(String what, int value) {
        if (value < 1) {
            throw new ChaseException(what + " must be at least 1, got " + value);
        }
        if (value > MAX_COUNT) {
            throw new ChaseException(what + " is implausibly large: " + value + " (at most " + MAX_COUNT + ")");
        }
    }

    static <T> T present(String what, T value) {
        if (value == null) {
            throw new ChaseException(what + " is missing");
        }
        return value;
    }

    static void common(int inChannels, int numClasses, int inputSize, WeightInit init) {
        positive("inChannels", inChannels);
        positive("numClasses", numClasses);
        positive("inputSize", inputSize);
        present("init", init);
    }

    /** Immutable copy of a width list, each width at least 1. */
    static List<Integer> widths(String what, List<Integer> widths) {
        present(what, widths);
        for (Integer w : widths) {
            positive("every width of " + what, present("a width of " + what, w));
        }
        return List.copyOf(widths);
    }

    /** Checks that a group-width map names only known groups and positive widths. */
    static void groupWidths(Map<String, Integer> widths, List<ChannelGroup> groups) {
        Set<String> known = new LinkedHashSet<>();
        groups.forEach(g -> known.add(g.name()));
        widths.forEach((name, width) -> {
            if (!known.contains(name)) {
                throw new ChaseException("unknown channel group '" + name + "'; this network's groups are: "
                        + String.join(", ", known));
            }
            positive("width of channel group " + name, present("width of channel group " + name, width));
        });
    }
}
