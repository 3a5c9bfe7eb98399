package dev.chase.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the channel groups of a {@link LayerGraph} by following every channel dimension through
 * it: the channels a convolution produces travel through BatchNorms, activations and pooling to
 * every layer that reads them; an {@link Node.Add} makes its inputs one dimension (a residual
 * stream), as does a {@link Node.Mul} its input and gate, and a grouped convolution with as many
 * outputs as inputs (depthwise, or {@link Node.Conv#tied()}) its input and output, whose channels
 * then go in whole blocks of its group width ({@link ChannelGroup#block()}); a {@link Node.Concat}'s
 * reader reads each input's channels at an offset. A dimension with a convolution producing it is a
 * group:
 *
 * <ul>
 *   <li>{@code FIXED} when it cannot be removed safely (the graph's input, the input and output of a
 *       grouped convolution with more outputs than inputs or the reverse, or of one over a
 *       concatenation), or when it feeds the classifier without a residual join (as the reference
 *       keeps VGG's last convolution);
 *   <li>{@code STREAM} when it is shared: joined by an Add, or read by more than one layer (the
 *       input of a block with a projection shortcut); named {@code stream<k>} in order of appearance;
 *   <li>{@code INTERNAL} otherwise (named after its first producer).
 * </ul>
 */
public final class GroupDerivation {

    /**
     * A derived group with what {@link ChannelGroup} does not say.
     *
     * @param group the group, in the form the rest of chase reads
     * @param fixedReason why the group is fixed, or null
     */
    public record Derived(ChannelGroup group, String fixedReason) {}

    private enum Role { PRODUCER, NORM, CONSUMER }

    private record Event(int dim, Role role, String layer, ChannelGroup.Columns columns) {}

    private static final ChannelGroup.Columns FIRST = new ChannelGroup.Columns(0, 1);

    private final List<Integer> parent = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final Map<Integer, String> fixed = new LinkedHashMap<>();
    private final Map<Integer, Boolean> joined = new LinkedHashMap<>();
    private final Map<Integer, Boolean> classifier = new LinkedHashMap<>();
    private final Map<Integer, Integer> blocks = new LinkedHashMap<>();
    private final Map<String, List<Integer>> dims = new LinkedHashMap<>();
    private final Map<String, Integer> channels;

    private GroupDerivation(LayerGraph graph) {
        this.channels = graph.channels();
    }

    /** The groups of {@code graph}, in order of their first producer. */
    public static List<Derived> derive(LayerGraph graph) {
        GroupDerivation d = new GroupDerivation(graph);
        graph.nodes().forEach(d::visit);
        return d.groups();
    }

    private void visit(Node n) {
        if (n instanceof Node.Input) {
            int d = newDim();
            fixed.put(d, "the graph's input");
            dims.put(n.name(), List.of(d));
        } else if (n instanceof Node.Conv c) {
            List<Integer> in = dims.get(c.input());
            if (c.tied() && in.size() == 1) {
                int d = find(in.get(0));
                events.add(new Event(d, Role.PRODUCER, c.name(), FIRST));
                blocks.put(d, lcm(blocks.getOrDefault(d, 1), c.groupWidth()));
                dims.put(c.name(), List.of(d));
                return;
            }
            read(c.input(), c.name(), Role.CONSUMER);
            int out = newDim();
            events.add(new Event(out, Role.PRODUCER, c.name(), FIRST));
            if (c.groups() > 1) {
                String why = (c.tied() ? "grouped convolution " + c.name() + " over a concatenation" : "grouped convolution " + c.name()
                        + " (" + c.groups() + " groups) with " + c.in() + " inputs and " + c.out() + " outputs");
                in.forEach(d -> fixed.putIfAbsent(find(d), why));
                fixed.put(out, why);
            }
            dims.put(c.name(), List.of(out));
        } else if (n instanceof Node.Norm) {
            dims.put(n.name(), dims.get(n.inputs().get(0)));
            read(n.inputs().get(0), n.name(), Role.NORM);
        } else if (n instanceof Node.Linear l) {
            read(l.input(), l.name(), Role.CONSUMER);
            dims.get(l.input()).forEach(d -> classifier.put(d, true));
            int out = newDim();
            fixed.put(out, "the class outputs");
            dims.put(l.name(), List.of(out));
        } else if (n instanceof Node.Add || n instanceof Node.Mul) {
            int first = single(n, n.inputs().get(0));
            for (String in : n.inputs()) {
                first = union(first, single(n, in));
            }
            if (n instanceof Node.Add) {
                joined.put(first, true);
            }
            dims.put(n.name(), List.of(first));
        } else if (n instanceof Node.Concat c) {
            List<Integer> parts = new ArrayList<>();
            c.inputs().forEach(in -> parts.addAll(dims.get(in)));
            dims.put(c.name(), List.copyOf(parts));
        } else {
            dims.put(n.name(), dims.get(n.inputs().get(0))); // activations, pooling, flatten, dropout
        }
    }

    /**
     * Records {@code layer} reading {@code input}'s channels (as a consumer, or a BatchNorm over
     * them), each part at its offset; after a Flatten each channel is as many columns as the
     * flattened map had pixels.
     */
    private void read(String input, String layer, Role role) {
        List<Integer> parts = dims.get(input);
        int perChannel = channels.get(input) / parts.stream().mapToInt(this::width).sum();
        int offset = 0;
        for (int d : parts) {
            events.add(new Event(d, role, layer, new ChannelGroup.Columns(offset, perChannel)));
            offset += width(d) * perChannel;
        }
    }

    private int single(Node n, String input) {
        List<Integer> in = dims.get(input);
        if (in.size() != 1) {
            int d = newDim();
            fixed.put(d, n.name() + " joins a concatenation");
            in.forEach(p -> fixed.putIfAbsent(find(p), n.name() + " joins a concatenation"));
            return d;
        }
        return find(in.get(0));
    }

    private int width(int dim) {
        int root = find(dim);
        return events.stream().filter(e -> find(e.dim()) == root && e.role() == Role.PRODUCER).findFirst()
                .map(e -> channels.get(e.layer())).orElseGet(() -> dims.entrySet().stream()
                        .filter(x -> x.getValue().size() == 1 && find(x.getValue().get(0)) == root).findFirst()
                        .map(x -> channels.get(x.getKey())).orElse(0));
    }

    private List<Derived> groups() {
        Map<Integer, List<Event>> byDim = new LinkedHashMap<>();
        for (Event e : events) {
            byDim.computeIfAbsent(find(e.dim()), k -> new ArrayList<>()).add(e);
        }
        List<Map.Entry<Integer, List<Event>>> produced = byDim.entrySet().stream()
                .filter(x -> x.getValue().stream().anyMatch(e -> e.role() == Role.PRODUCER))
                .sorted(Comparator.comparingInt(x -> firstProducer(x.getValue())))
                .toList();
        List<Derived> out = new ArrayList<>();
        int streams = 0;
        for (Map.Entry<Integer, List<Event>> x : produced) {
            int root = x.getKey();
            List<Event> es = x.getValue();
            String reason = reasonOf(root);
            boolean stream = reason == null && (isSet(joined, root) || layers(es, Role.CONSUMER).size() > 1);
            if (reason == null && !stream && isSet(classifier, root)) {
                reason = "it feeds the classifier";
            }
            ChannelGroup.Kind kind = reason != null ? ChannelGroup.Kind.FIXED
                    : stream ? ChannelGroup.Kind.STREAM : ChannelGroup.Kind.INTERNAL;
            List<String> producers = layers(es, Role.PRODUCER);
            String name = stream ? "stream" + streams++ : producers.get(0);
            Map<String, List<ChannelGroup.Columns>> columns = new LinkedHashMap<>();
            es.stream().filter(e -> e.role() != Role.PRODUCER)
                    .forEach(e -> columns.computeIfAbsent(e.layer(), k -> new ArrayList<>()).add(e.columns()));
            columns.values().removeIf(reads -> reads.equals(List.of(FIRST)));
            out.add(new Derived(new ChannelGroup(name, kind, width(root), producers, layers(es, Role.NORM), layers(es, Role.CONSUMER),
                    columns, blockOf(root)), reason));
        }
        return out;
    }

    private String reasonOf(int root) {
        return fixed.entrySet().stream().filter(e -> find(e.getKey()) == root).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** The block of a group: the least common multiple of its tied convolutions' group widths. */
    private int blockOf(int root) {
        return blocks.entrySet().stream().filter(e -> find(e.getKey()) == root).mapToInt(Map.Entry::getValue).reduce(1, GroupDerivation::lcm);
    }

    private static int lcm(int a, int b) {
        return a / gcd(a, b) * b;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private boolean isSet(Map<Integer, Boolean> flags, int root) {
        return flags.keySet().stream().anyMatch(d -> find(d) == root);
    }

    private int firstProducer(List<Event> es) {
        Event first = es.stream().filter(e -> e.role() == Role.PRODUCER).findFirst().orElseThrow();
        return events.indexOf(first);
    }

    private static List<String> layers(List<Event> es, Role role) {
        return es.stream().filter(e -> e.role() == role).map(Event::layer).distinct().toList();
    }

    private int newDim() {
        parent.add(parent.size());
        return parent.size() - 1;
    }

    private int find(int d) {
        while (parent.get(d) != d) {
            d = parent.get(d);
        }
        return d;
    }

    private int union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra != rb) {
            parent.set(Math.max(ra, rb), Math.min(ra, rb));
        }
        return Math.min(ra, rb);
    }
}
