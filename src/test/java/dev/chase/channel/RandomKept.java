package dev.chase.channel;

import dev.chase.graph.ChannelGroup;
import dev.chase.model.Network;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

/** Random channels to keep, for the shrinking tests: about half of every group of the given kinds, whole blocks, never none. */
public final class RandomKept {
    private RandomKept() {}

    /** The kept channel indices (ascending) of every group of {@code kinds} with more than one block, by group name. */
    public static Map<String, long[]> of(Network net, Set<ChannelGroup.Kind> kinds, Random random) {
        Map<String, long[]> kept = new LinkedHashMap<>();
        for (ChannelGroup g : net.channelGroups()) {
            int blocks = g.width() / g.block();
            if (kinds.contains(g.kind()) && blocks > 1) {
                long[] chosen = LongStream.range(0, blocks).filter(b -> random.nextBoolean()).toArray();
                long[] keptBlocks = chosen.length == 0 ? new long[] {random.nextInt(blocks)} : chosen;
                kept.put(g.name(), LongStream.of(keptBlocks).flatMap(b -> LongStream.range(b * g.block(), (b + 1) * g.block())).toArray());
            }
        }
        return kept;
    }
}
