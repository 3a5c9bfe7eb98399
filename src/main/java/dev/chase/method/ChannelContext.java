package dev.chase.method;

import dev.chase.metrics.LatencyModel;
import dev.chase.model.Network;
import java.util.Map;

/**
 * What a channel controller is built on besides its options.
 *
 * @param original the network as configured (its structure defines the channel groups)
 * @param physical the network that trains: {@code original}, or a narrower one when a run that
 *     shrinks while training resumes
 * @param restoredAlive alive vectors from a checkpoint, or null for a fresh run
 * @param latency the latency model of a latency budget, else null
 */
public record ChannelContext(Network original, Network physical, Map<String, boolean[]> restoredAlive, LatencyModel latency) {

    /** A fresh run on {@code network}. */
    public static ChannelContext fresh(Network network, LatencyModel latency) {
        return new ChannelContext(network, network, null, latency);
    }
}
