package dev.chase.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One set of channels that must be kept or removed together: the layers whose output channels
 * (weight axis 0 and bias) they are, the BatchNorms over them, and the conv/linear layers whose
 * input axis (weight axis 1) reads them. Removing channel c of a group means slicing c out of every
 * producer's rows, every norm's vectors and every consumer's columns; {@link
 * NetSpec#withGroupWidths} gives the matching narrower architecture. Layer names are those of
 * {@link Network}'s lookups.
 *
 * @param name stable group name: the producing conv's name for {@link Kind#INTERNAL} and {@link
 *     Kind#FIXED} groups, {@code stream<k>} for residual streams
 * @param kind what the group is, and so whether plain Chase may prune it
 * @param width number of channels
 * @param producers convs whose output channels are this group
 * @param norms BatchNorms over this group
 * @param consumers convs or linear layers whose input channels are this group
 * @param columns the reads of consumers and BatchNorms that do not take the group once as their
 *     first {@code width} input channels: through a Concat (at an offset), a Flatten (several
 *     features per channel), or twice; a layer not listed reads channel c as its input column (or
 *     BatchNorm entry) c (null: none)
 * @param block channels are removed in aligned blocks of this many (channels {@code k*block} to
 *     {@code (k+1)*block - 1} together): the group width of a grouped convolution whose input and
 *     output the group is ({@link Node.Conv#tied()}), so that it keeps whole groups; 1 for any
 *     channel on its own. Divides {@code width}.
 */
public record ChannelGroup(String name, Kind kind, int width, List<String> producers, List<String> norms,
        List<String> consumers, Map<String, List<Columns>> columns, int block) {

    /**
     * Where a consumer reads a group: channel {@code c} of the group is its input columns {@code
     * offset + c * perChannel} to {@code offset + (c + 1) * perChannel - 1}.
     */
    public record Columns(int offset, int perChannel) {}

    /** What kind of channels a group holds. */
    public enum Kind {
        /** Channels inside one block (read by exactly one conv): what plain Chase prunes. */
        INTERNAL,
        /**
         * A residual stream shared by a stage's block outputs (and the stem, or a projection
         * shortcut): pruned only by the "prune skip" variant.
         */
        STREAM,
        /** Channels never pruned, such as the last VGG conv that feeds the classifier. */
        FIXED
    }

    public ChannelGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (width < 1) {
            throw new IllegalArgumentException("channel group " + name + " has width " + width);
        }
        if (block < 1 || width % block != 0) {
            throw new IllegalArgumentException("channel group " + name + " of width " + width + " cannot lose blocks of " + block);
        }
        producers = List.copyOf(producers);
        norms = List.copyOf(norms);
        consumers = List.copyOf(consumers);
        Map<String, List<Columns>> reads = new LinkedHashMap<>();
        (columns == null ? Map.<String, List<Columns>>of() : columns).forEach((layer, at) -> reads.put(layer, List.copyOf(at)));
        columns = Collections.unmodifiableMap(reads);
    }

    /** A group whose every consumer reads it as its first {@code width} input channels, and whose channels go one by one. */
    public ChannelGroup(String name, Kind kind, int width, List<String> producers, List<String> norms, List<String> consumers) {
        this(name, kind, width, producers, norms, consumers, Map.of(), 1);
    }

    /**
     * Which of the {@code inputWidth} input columns of {@code layer} (the entries of a BatchNorm, the
     * rows of a producer) stay alive when every group in {@code read} that it reads has the channels
     * {@code alive} gives: a column dies with the channel it reads, through a concat or flatten too.
     */
    public static boolean[] aliveInputs(String layer, int inputWidth, List<ChannelGroup> read, Map<String, boolean[]> alive) {
        boolean[] out = new boolean[inputWidth];
        Arrays.fill(out, true);
        for (ChannelGroup g : read) {
            boolean[] kept = g.aliveColumns(layer, inputWidth, alive.get(g.name()));
            for (int i = 0; i < inputWidth; i++) {
                out[i] &= kept[i];
            }
        }
        return out;
    }

    /**
     * Which input columns of {@code consumer} (of {@code inputWidth} columns; the entries of a
     * BatchNorm) stay alive when the group's channels are {@code alive}; columns the group does not
     * feed stay alive.
     */
    public boolean[] aliveColumns(String consumer, int inputWidth, boolean[] alive) {
        if (alive.length != width) {
            throw new IllegalArgumentException("channel group " + name + " has " + width + " channels, not " + alive.length);
        }
        boolean[] out = new boolean[inputWidth];
        Arrays.fill(out, true);
        for (Columns at : columns.getOrDefault(consumer, List.of(new Columns(0, 1)))) {
            if (at.offset() + (long) width * at.perChannel() > inputWidth) {
                throw new IllegalArgumentException(consumer + " has " + inputWidth + " input columns; channel group " + name
                        + " is read at " + at);
            }
            for (int c = 0; c < width; c++) {
                if (!alive[c]) {
                    Arrays.fill(out, at.offset() + c * at.perChannel(), at.offset() + (c + 1) * at.perChannel(), false);
                }
            }
        }
        return out;
    }
}
