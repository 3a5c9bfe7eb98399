package dev.chase.channel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a channel event did to each of its groups, whichever budget drove it (S_c or a cost target). */
public interface EventOutcome {
    /** Per group, in input order. */
    List<ChannelPruner.GroupOutcome> groups();

    /** The outcome of the named group. */
    default ChannelPruner.GroupOutcome group(String name) {
        return groups().stream().filter(g -> g.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no group named " + name + " in this event"));
    }

    /** Per group name, the alive vector after the event. */
    default Map<String, boolean[]> alive() {
        Map<String, boolean[]> map = new LinkedHashMap<>();
        groups().forEach(g -> map.put(g.name(), g.alive()));
        return map;
    }
}
