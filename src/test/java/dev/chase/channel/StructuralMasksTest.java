package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.chase.ManagedTest;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Structural masks of real network layouts, and group scores that see them. */
class StructuralMasksTest extends ManagedTest {
    private static boolean[] killed(int width, int... dead) {
        boolean[] a = ChannelPrunerTest.all(width);
        for (int d : dead) {
            a[d] = false;
        }
        return a;
    }

    /** F zeroes exactly row {@code row} (or nothing if -1) and column {@code col} (or nothing if -1). */
    private static void assertZeroes(NDArray f, int row, int col) {
        Shape s = f.getShape();
        long perRow = s.size() / s.get(0);
        long perCol = s.size() / s.get(1);
        long zeros = (row >= 0 ? perRow : 0) + (col >= 0 ? perCol : 0)
                - (row >= 0 && col >= 0 ? perCol / s.get(0) : 0);
        assertThat(f.sum().getFloat()).isEqualTo((float) (s.size() - zeros));
        if (row >= 0) {
            assertThat(f.get(new NDIndex("{}", row)).sum().getFloat()).isZero();
        }
        if (col >= 0) {
            assertThat(f.get(new NDIndex(":, {}", col)).sum().getFloat()).isZero();
        }
        assertThat(f.eq(0).logicalOr(f.eq(1)).all().getBoolean()).isTrue();
    }

    @Test
    void vggChannelZeroesTheProducerRowAndTheNextConvColumn() {
        Network net = Network.build(NetSpecs.named("vgg11", 3, 10, 0.125));
        List<ChannelGroup> groups = net.channelGroups();
        ChannelGroup first = groups.get(0);
        ChannelGroup last = groups.get(groups.size() - 1);
        assertThat(last.kind()).isEqualTo(ChannelGroup.Kind.FIXED);
        Map<String, boolean[]> alive = new LinkedHashMap<>();
        alive.put(first.name(), killed(first.width(), 2));
        alive.put(last.name(), killed(last.width(), 5));
        Map<String, NDArray> f = StructuralMasks.of(manager, net, alive);
        String next = first.consumers().get(0);
        assertThat(f.keySet()).containsExactlyInAnyOrder(first.name(), next, last.name(), "classifier");
        assertThat(f.get(first.name()).getShape()).isEqualTo(net.maskableWeight(first.name()).shape());
        assertZeroes(f.get(first.name()), 2, -1);
        assertZeroes(f.get(next), -1, 2);
        assertZeroes(f.get(last.name()), 5, -1);
        // The classifier is a Linear (out, in) consumer.
        assertThat(f.get("classifier").getShape()).isEqualTo(new Shape(10, last.width()));
        assertZeroes(f.get("classifier"), -1, 5);
    }

    @Test
    void resnet20InternalAndStreamGroups() {
        Network net = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
        ChannelGroup inner = net.channelGroup("layer2.1.conv1");
        assertThat(inner.kind()).isEqualTo(ChannelGroup.Kind.INTERNAL);
        Map<String, NDArray> f = StructuralMasks.of(manager, net, Map.of(inner.name(), killed(inner.width(), 1)));
        assertThat(f.keySet()).containsExactlyInAnyOrder("layer2.1.conv1", "layer2.1.conv2");
        assertZeroes(f.get("layer2.1.conv1"), 1, -1);
        assertZeroes(f.get("layer2.1.conv2"), -1, 1);

        // A stream channel: every producer row and every consumer column (the last stream feeds fc).
        ChannelGroup stream = net.channelGroups().stream().filter(g -> g.kind() == ChannelGroup.Kind.STREAM)
                .reduce((a, b) -> b).orElseThrow();
        Map<String, NDArray> fs = StructuralMasks.of(manager, net, Map.of(stream.name(), killed(stream.width(), 3)));
        assertThat(stream.producers()).hasSizeGreaterThan(1);
        assertThat(stream.consumers()).contains("fc");
        for (String p : stream.producers()) {
            assertZeroes(fs.get(p), 3, -1);
        }
        for (String c : stream.consumers()) {
            assertZeroes(fs.get(c), -1, 3);
        }
        assertThat(fs).hasSize(stream.producers().size() + stream.consumers().size());
    }

    @Test
    void conv2OfABottleneckIsBothConsumerAndProducer() {
        Network net = Network.build(NetSpecs.named("resnet50", 3, 10, 0.0625));
        Map<String, boolean[]> alive = Map.of(
                "layer1.0.conv1", killed(net.channelGroup("layer1.0.conv1").width(), 0),
                "layer1.0.conv2", killed(net.channelGroup("layer1.0.conv2").width(), 3));
        NDArray f = StructuralMasks.of(manager, net, alive).get("layer1.0.conv2");
        assertZeroes(f, 3, 0);
    }

    @Test
    void mismatchedAliveVectorsAreRejected() {
        Network net = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
        assertThatThrownBy(() -> StructuralMasks.of(manager, net, Map.of("layer1.0.conv1", new boolean[99])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer1.0.conv1");
        assertThatThrownBy(() -> StructuralMasks.of(manager, net, Map.of("nope", new boolean[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }

    @Test
    void groupScoresSeeRemovedInputsAndAverageStreamProducers() {
        Network net = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
        Engine.getInstance().setRandomSeed(7);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (MaskableWeight w : net.maskableWeights()) {
            weights.put(w.name(), manager.randomNormal(w.shape()));
        }
        GroupScorer scorer = new GroupScorer(ChannelScore.named("umm"), GroupScorer.originalFanIns(net));
        ChannelGroup stream0 = net.channelGroup("stream0");
        ChannelGroup inner = net.channelGroup("layer1.0.conv1");
        // Removing channel 1 of layer1.0.conv1 cuts column 1 of layer1.0.conv2, a producer of stream0.
        Map<String, double[]> scores = scorer.scores(List.of(inner, stream0), net.channelGroups(), weights,
                Map.of(), Map.of(inner.name(), killed(inner.width(), 1)));
        assertThat(scores.get(inner.name())[1]).isZero();
        double[] expected = new double[stream0.width()];
        for (String p : stream0.producers()) {
            NDArray w = weights.get(p);
            if (p.equals("layer1.0.conv2")) {
                w = w.duplicate();
                w.set(new NDIndex(":, 1"), 0f);
            }
            long fanIn = w.getShape().size() / w.getShape().get(0);
            float[] umm = w.abs().sum(new int[] {1, 2, 3}).div(fanIn).toFloatArray();
            for (int c = 0; c < expected.length; c++) {
                expected[c] += umm[c] / stream0.producers().size();
            }
        }
        assertThat(scores.get("stream0")).containsExactly(expected, within(1e-5));
    }

    @Test
    void anEventWithRescoringOnATinyVgg() {
        Network net = Network.build(NetSpecs.named("vgg11", 3, 10, 0.125));
        Engine.getInstance().setRandomSeed(11);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (MaskableWeight w : net.maskableWeights()) {
            weights.put(w.name(), manager.randomNormal(w.shape()));
        }
        List<ChannelGroup> prunable = net.channelGroups().stream()
                .filter(g -> g.kind() == ChannelGroup.Kind.INTERNAL).toList();
        GroupScorer scorer = new GroupScorer(new UmmScore(), GroupScorer.originalFanIns(net));
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        Map<String, double[]> first = scorer.scores(prunable, net.channelGroups(), weights, Map.of(), Map.of());
        List<GroupState> states = prunable.stream()
                .map(g -> pruner.state(g.name(), g.width(), ChannelPrunerTest.all(g.width()), first.get(g.name())))
                .toList();
        long c0 = prunable.stream().mapToLong(ChannelGroup::width).sum();
        ChannelPruner.Event e = pruner.prune(states, 0.5, c0,
                alive -> scorer.scores(prunable, net.channelGroups(), weights, Map.of(), alive));
        assertThat(e.removed()).isEqualTo(e.goal()).isEqualTo((int) Math.ceil(c0 * 0.5));
        for (ChannelGroup g : prunable) {
            assertThat(e.group(g.name()).live()).isGreaterThanOrEqualTo(pruner.floor(g.width()));
        }
        Map<String, NDArray> f = StructuralMasks.of(manager, net, e.alive());
        long deadRows = 0;
        for (ChannelGroup g : prunable) {
            NDArray rows = f.get(g.name()).sum(new int[] {1, 2, 3}).eq(0);
            deadRows += rows.countNonzero().getLong();
        }
        assertThat(deadRows).isEqualTo(e.removed());
    }
}
