package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.chase.ManagedTest;
import dev.chase.graph.ChannelGroup;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpec;
import dev.chase.model.Network;
import dev.chase.model.SmallGraphs;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shrinking graph architectures: the narrow network computes what the wide one computes once the
 * removed channels are silenced. The silencing here does not use {@link ChannelGroup#columns()}: it
 * follows where every channel of every node comes from (its provenance: a producer and a channel,
 * through concatenations and flattens) and zeroes, at every removed position, the producer's row
 * and bias, every BatchNorm's gamma and beta and every consumer's input columns.
 */
class GraphShrinkTest extends ManagedTest {

    static Stream<String> architectures() {
        return SmallGraphs.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void shrunkNetworkMatchesTheSilencedWideNetwork(String model) {
        NetSpec spec = SmallGraphs.spec(model);
        Engine.getInstance().setRandomSeed(17);
        Network wide = Network.build(spec);
        wide.initialize(manager);
        randomiseNorms(wide);
        Map<String, long[]> kept = RandomKept.of(wide, EnumSet.of(ChannelGroup.Kind.INTERNAL, ChannelGroup.Kind.STREAM), new Random(5));
        if (model.equals("onnx:regnet_x_400mf")) { // its grouped convolutions lose whole groups of 16 channels
            assertThat(kept.keySet()).anySatisfy(group -> assertThat(wide.channelGroup(group).block()).isEqualTo(16));
        }

        Network narrow = Shrinker.shrink(wide, kept, manager);
        silence(wide, kept);
        NDArray x = manager.randomNormal(new Shape(2, spec.inChannels(), spec.inputSize(), spec.inputSize()));
        NDArray expected = logits(wide, x);
        NDArray actual = logits(narrow, x);
        float diff = actual.sub(expected).abs().max().getFloat();
        System.out.printf("shrink %s: %d groups narrowed, max |logit diff| = %.3g (max |logit| = %.3g)%n", model, kept.size(),
                diff, expected.abs().max().getFloat());
        assertThat(expected.abs().max().getFloat()).isPositive();
        assertThat(diff).isLessThan(1e-4f);
    }

    private void randomiseNorms(Network net) {
        Map<String, Integer> channels = net.spec().graph().channels();
        for (Node n : net.spec().graph().nodes()) {
            if (n instanceof Node.Norm) {
                var p = net.norm(n.name()).getParameters();
                Shape s = new Shape(channels.get(n.name()));
                fill(p.get("gamma"), manager.randomUniform(0.5f, 1.5f, s));
                fill(p.get("beta"), manager.randomNormal(0f, 0.2f, s, DataType.FLOAT32));
                fill(p.get("runningMean"), manager.randomNormal(0f, 0.2f, s, DataType.FLOAT32));
                fill(p.get("runningVar"), manager.randomUniform(0.5f, 1.5f, s));
            }
        }
        for (MaskableWeight w : net.maskableWeights()) {
            Parameter bias = w.layer().getParameters().get("bias");
            if (bias != null) {
                fill(bias, manager.randomNormal(0f, 0.1f, bias.getArray().getShape(), DataType.FLOAT32));
            }
        }
    }

    /** Zeroes, in place, every producer row, BatchNorm entry and consumer column of a removed channel. */
    private void silence(Network net, Map<String, long[]> kept) {
        Map<String, Set<Long>> keptByProducer = new HashMap<>();
        for (ChannelGroup g : net.channelGroups()) {
            if (kept.containsKey(g.name())) {
                Set<Long> set = new java.util.HashSet<>();
                for (long c : kept.get(g.name())) {
                    set.add(c);
                }
                g.producers().forEach(p -> keptByProducer.put(p, set));
            }
        }
        Map<String, List<Origin>> origins = origins(net.spec().graph());
        for (Node n : net.spec().graph().nodes()) {
            if (n instanceof Node.Conv c && keptByProducer.containsKey(c.name())) {
                zeroRemoved(net.conv(c.name()).getParameters().get("weight"), 0, origins.get(c.name()), keptByProducer);
                Parameter bias = net.conv(c.name()).getParameters().get("bias");
                if (bias != null) {
                    zeroRemoved(bias, 0, origins.get(c.name()), keptByProducer);
                }
            }
            if (n instanceof Node.Norm) {
                for (String p : List.of("gamma", "beta")) {
                    zeroRemoved(net.norm(n.name()).getParameters().get(p), 0, origins.get(n.name()), keptByProducer);
                }
            }
            boolean readsWhole = n instanceof Node.Linear || n instanceof Node.Conv c && c.groups() == 1;
            if (readsWhole) {
                zeroRemoved(net.maskableWeight(n.name()).parameter(), 1, origins.get(n.inputs().get(0)), keptByProducer);
            }
        }
    }

    /** Where each channel of a node comes from: which producer's which output channel (null for the input). */
    private record Origin(String producer, long channel) {}

    private static Map<String, List<Origin>> origins(LayerGraph graph) {
        Map<String, dev.chase.graph.Shape> shapes = graph.shapes();
        Map<String, List<Origin>> origins = new HashMap<>();
        for (Node n : graph.nodes()) {
            List<Origin> o = new ArrayList<>();
            int channels = shapes.get(n.name()).channels();
            if (n instanceof Node.Input || n instanceof Node.Linear) {
                for (int c = 0; c < channels; c++) {
                    o.add(new Origin(null, c));
                }
            } else if (n instanceof Node.Conv c && !c.depthwise()) {
                for (int k = 0; k < channels; k++) {
                    o.add(new Origin(c.name(), k));
                }
            } else if (n instanceof Node.Concat) {
                n.inputs().forEach(in -> o.addAll(origins.get(in)));
            } else if (n instanceof Node.Flatten) {
                dev.chase.graph.Shape s = shapes.get(n.inputs().get(0));
                for (Origin origin : origins.get(n.inputs().get(0))) {
                    for (int p = 0; p < s.height() * s.width(); p++) {
                        o.add(origin);
                    }
                }
            } else {
                o.addAll(origins.get(n.inputs().get(0))); // depthwise conv, norms, activations, pools, add, mul
            }
            origins.put(n.name(), o);
        }
        return origins;
    }

    /** Zeroes the entries along {@code axis} whose origin is a removed channel. */
    private void zeroRemoved(Parameter p, int axis, List<Origin> origins, Map<String, Set<Long>> keptByProducer) {
        NDArray array = p.getArray();
        float[] on = new float[origins.size()];
        for (int i = 0; i < on.length; i++) {
            Origin o = origins.get(i);
            Set<Long> kept = o.producer() == null ? null : keptByProducer.get(o.producer());
            on[i] = kept == null || kept.contains(o.channel()) ? 1f : 0f;
        }
        assertThat(array.getShape().get(axis)).as(p.getName()).isEqualTo(on.length);
        long[] dims = new long[array.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[axis] = on.length;
        array.muli(manager.create(on, new Shape(dims)));
    }

    private static void fill(Parameter p, NDArray value) {
        p.getArray().set(new NDIndex("..."), value);
    }

    private NDArray logits(Network net, NDArray x) {
        return net.block().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }
}
