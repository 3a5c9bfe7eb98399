package dev.chase.model;

import dev.chase.graph.ChannelGroup;
import dev.chase.graph.GroupDerivation;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph of a built-in layer-list architecture ({@link LayerListSpec}), and the cached channel
 * groups of every architecture. The graph of a layer list is {@link LayerListSpec#layers()} in forward order, a residual
 * block becoming its main branch, its shortcut (or the identity), their {@link Node.Add} and the
 * ReLU after it. Named layers keep their names; unnamed ones are called {@code relu#k},
 * {@code maxpool#k}, {@code avgpool#k}, {@code add#k} in order of appearance.
 */
public final class SpecGraphs {
    private static final int CACHED_SPECS = 256;
    /** Derived groups of recently asked specs: channel events price many narrowings of one spec. */
    private static final Map<NetSpec, List<ChannelGroup>> GROUPS = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<NetSpec, List<ChannelGroup>> eldest) {
                    return size() > CACHED_SPECS;
                }
            });

    private final List<Node> nodes = new ArrayList<>();
    private int unnamed;

    private SpecGraphs() {}

    /** The graph of {@code spec}, whose input node is called {@code input}. */
    public static LayerGraph of(LayerListSpec spec) {
        SpecGraphs b = new SpecGraphs();
        b.nodes.add(new Node.Input("input", spec.inChannels(), spec.inputSize(), spec.inputSize()));
        b.append(spec.layers(), "input");
        return new LayerGraph(b.nodes);
    }

    /**
     * The channel groups of {@code spec}, found by following its graph ({@link GroupDerivation}): what
     * {@link NetSpec#channelGroups()} returns.
     */
    public static List<ChannelGroup> groups(NetSpec spec) {
        List<ChannelGroup> groups = GROUPS.get(spec);
        if (groups == null) {
            groups = GroupDerivation.derive(spec.graph()).stream().map(GroupDerivation.Derived::group).toList();
            GROUPS.put(spec, groups);
        }
        return groups;
    }

    private String append(List<Layer> layers, String from) {
        String last = from;
        for (Layer layer : layers) {
            last = append(layer, last);
        }
        return last;
    }

    private String append(Layer layer, String from) {
        Node node;
        if (layer instanceof Layer.Conv c) {
            node = new Node.Conv(c.name(), from, c.in(), c.out(), c.kernel(), c.stride(), c.padding(), 1, 1, c.bias());
        } else if (layer instanceof Layer.Norm n) {
            node = new Node.Norm(n.name(), from);
        } else if (layer instanceof Layer.Relu) {
            node = new Node.Act(next("relu"), from, Node.Activation.RELU);
        } else if (layer instanceof Layer.MaxPool p) {
            node = new Node.Pool(next("maxpool"), from, true, p.kernel(), p.stride(), p.padding());
        } else if (layer instanceof Layer.GlobalAvgPool) {
            node = new Node.GlobalAvgPool(next("avgpool"), from);
        } else if (layer instanceof Layer.Linear l) {
            node = new Node.Linear(l.name(), from, l.in(), l.out(), l.bias());
        } else if (layer instanceof Layer.Residual r) {
            String main = append(r.main(), from);
            String shortcut = r.shortcut().isEmpty() ? from : append(r.shortcut(), from);
            nodes.add(new Node.Add(next("add"), List.of(main, shortcut)));
            node = new Node.Act(next("relu"), nodes.get(nodes.size() - 1).name(), Node.Activation.RELU);
        } else {
            throw new IllegalArgumentException("no graph node for layer " + layer);
        }
        nodes.add(node);
        return node.name();
    }

    private String next(String kind) {
        return kind + "#" + unnamed++;
    }
}
