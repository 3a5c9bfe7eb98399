package dev.chase.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.chase.graph.ChannelGroup;
import dev.chase.graph.LayerGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable description of a CNN architecture: every layer width, stride and shortcut, plus the
 * weight-initialisation scheme; a built-in family's layer list ({@link LayerListSpec}) or any graph
 * ({@link GraphSpec}). The architecture is data so that a narrower network (after
 * channels are removed) is just another {@code NetSpec}: derive it with {@link
 * #withGroupWidths(Map)}, build it with {@link Network#build(NetSpec)} and copy the kept slices in.
 * The same JSON form ({@link NetSpecs#toJson(NetSpec)}, property {@code family}) is what a saved
 * model is reloaded from.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "family")
@JsonSubTypes({
    @JsonSubTypes.Type(value = VggSpec.class, name = "vgg"),
    @JsonSubTypes.Type(value = ResNetSpec.class, name = "resnet"),
    @JsonSubTypes.Type(value = GraphSpec.class, name = "graph")
})
public sealed interface NetSpec permits LayerListSpec, GraphSpec {

    /** Channels of the input image (3 for RGB). */
    int inChannels();

    /** Number of output logits. */
    int numClasses();

    /** Nominal side of the (square) input image: 32 for CIFAR-style nets, 224 for ImageNet. */
    int inputSize();

    /** How freshly built weights are drawn. */
    WeightInit init();

    /**
     * The architecture as a graph of layers: what FLOPs, latency and exporters read, and where the
     * channel groups are found.
     */
    LayerGraph graph();

    /**
     * The channel groups of this architecture, ordered by their first producing layer in forward
     * order. Every conv output channel belongs to exactly one group. They are found by following
     * the architecture's graph ({@link SpecGraphs#groups}), not declared.
     */
    List<ChannelGroup> channelGroups();

    /**
     * The same architecture with some channel groups resized.
     *
     * @param widths new width per group name (see {@link #channelGroups()}); groups not named keep
     *     their width
     * @return the derived spec
     * @throws dev.chase.ChaseException if a name is not a group of this spec or a width is below 1
     */
    NetSpec withGroupWidths(Map<String, Integer> widths);

    /** Every channel group's width by name, in group order. */
    default Map<String, Integer> groupWidths() {
        Map<String, Integer> widths = new LinkedHashMap<>();
        channelGroups().forEach(g -> widths.put(g.name(), g.width()));
        return widths;
    }

    /** Whether {@code narrow} is this architecture with some channel groups made narrower (or none). */
    default boolean narrowsTo(NetSpec narrow) {
        Map<String, Integer> widths = narrow.groupWidths();
        for (ChannelGroup g : channelGroups()) {
            Integer w = widths.get(g.name());
            if (w == null || w > g.width()) {
                return false;
            }
        }
        return widths.size() == channelGroups().size() && withGroupWidths(widths).equals(narrow);
    }
}
