package dev.chase.graph;

import java.util.List;
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
 */
public record ChannelGroup(
        String name, Kind kind, int width, List<String> producers, List<String> norms, List<String> consumers) {

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
        producers = List.copyOf(producers);
        norms = List.copyOf(norms);
        consumers = List.copyOf(consumers);
    }
}
