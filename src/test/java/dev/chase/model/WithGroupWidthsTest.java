package dev.chase.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.chase.ChaseException;
import dev.chase.ManagedTest;
import dev.chase.graph.ChannelGroup;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Narrowing channel groups: the derived spec has the expected shapes, and copying the kept slices
 * into it reproduces a wide network whose dropped channels are silenced (BN gamma = beta = 0), which
 * shows that each group names every tensor slice that must go together.
 */
class WithGroupWidthsTest extends ManagedTest {
    @Test
    void narrowsToAcceptsOnlyNarrowerWidthsOfTheSameArchitecture() {
        NetSpec spec = NetSpecs.named("resnet20", 3, 10, 0.25);
        NetSpec narrow = spec.withGroupWidths(Map.of("layer2.1.conv1", 3));
        assertThat(narrow.groupWidths()).containsEntry("layer2.1.conv1", 3).hasSize(spec.channelGroups().size());
        assertThat(spec.narrowsTo(spec)).isTrue();
        assertThat(spec.narrowsTo(narrow)).isTrue();
        assertThat(narrow.narrowsTo(spec)).as("wider").isFalse();
        assertThat(spec.narrowsTo(NetSpecs.named("resnet32", 3, 10, 0.25))).isFalse();
        assertThat(spec.narrowsTo(NetSpecs.named("resnet20", 1, 10, 0.25))).isFalse();
    }

    @Test
    void narrowingAVggConvChangesItsRowsAndTheNextConvsColumns() {
        NetSpec wide = NetSpecs.named("vgg19", 3, 10, 1.0);
        Network net = Network.build(wide.withGroupWidths(Map.of("features.3", 10, "features.49", 20)));
        assertThat(net.maskableWeight("features.3").shape()).isEqualTo(new Shape(10, 64, 3, 3));
        assertThat(net.maskableWeight("features.7").shape()).isEqualTo(new Shape(128, 10, 3, 3));
        assertThat(net.maskableWeight("features.49").shape()).isEqualTo(new Shape(20, 512, 3, 3));
        assertThat(net.maskableWeight("classifier").shape()).isEqualTo(new Shape(10, 20));
    }

    @Test
    void narrowingResNetStreamsChangesEveryTensorOnTheStream() {
        NetSpec wide = NetSpecs.named("resnet20", 3, 10, 1.0);
        Network net = Network.build(wide.withGroupWidths(Map.of("stream0", 8, "stream2", 40, "layer2.1.conv1", 5)));
        assertThat(net.maskableWeight("conv1").shape()).isEqualTo(new Shape(8, 3, 3, 3));
        assertThat(net.maskableWeight("layer1.2.conv2").shape()).isEqualTo(new Shape(8, 16, 3, 3));
        assertThat(net.maskableWeight("layer2.0.shortcut.0").shape()).isEqualTo(new Shape(32, 8, 1, 1));
        assertThat(net.maskableWeight("layer2.1.conv1").shape()).isEqualTo(new Shape(5, 32, 3, 3));
        assertThat(net.maskableWeight("layer2.1.conv2").shape()).isEqualTo(new Shape(32, 5, 3, 3));
        assertThat(net.maskableWeight("layer3.0.shortcut.0").shape()).isEqualTo(new Shape(40, 32, 1, 1));
        assertThat(net.maskableWeight("fc").shape()).isEqualTo(new Shape(10, 40));
        assertThat(((ResNetSpec) net.spec()).stemWidth()).isEqualTo(8);
    }

    @Test
    void vggWithKeptSlicesMatchesTheSilencedWideNetwork() {
        checkSliceCopy(NetSpecs.named("vgg11", 3, 10, 0.25), List.of("features.4", "features.25"));
    }

    @Test
    void basicResNetWithKeptSlicesMatchesTheSilencedWideNetwork() {
        checkSliceCopy(NetSpecs.named("resnet20", 3, 10, 0.5), List.of("stream0", "stream1", "layer3.1.conv1"));
    }

    @Test
    void bottleneckResNetWithKeptSlicesMatchesTheSilencedWideNetwork() {
        checkSliceCopy(NetSpecs.named("resnet50", 3, 10, 0.125),
                List.of("stream0", "layer2.0.conv1", "layer2.0.conv2", "stream4"));
    }

    @Test
    void unknownGroupOrNonPositiveWidthIsRejected() {
        NetSpec spec = NetSpecs.named("resnet20", 3, 10, 1.0);
        assertThatThrownBy(() -> spec.withGroupWidths(Map.of("layer9.0.conv1", 3)))
                .isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("unknown channel group 'layer9.0.conv1'; this network's groups are: stream0, ");
        assertThatThrownBy(() -> spec.withGroupWidths(Map.of("stream1", 0)))
                .isInstanceOf(ChaseException.class)
                .hasMessage("width of channel group stream1 must be at least 1, got 0");
    }

    /** Keeps two channels of every three in each named group and checks the logits agree. */
    private void checkSliceCopy(NetSpec spec, List<String> groupNames) {
        Engine.getInstance().setRandomSeed(11);
        Network wide = Network.build(spec);
        wide.initialize(manager);
        Map<String, long[]> keep = new LinkedHashMap<>();
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (String name : groupNames) {
            long[] kept = LongStream.range(0, wide.channelGroup(name).width()).filter(c -> c % 3 != 1).toArray();
            keep.put(name, kept);
            widths.put(name, kept.length);
        }
        Network narrow = Network.build(spec.withGroupWidths(widths));
        narrow.initialize(manager);

        Map<Parameter, String> layerOf = layerNames(wide);
        List<Pair<String, Parameter>> from = wide.block().getParameters().stream().toList();
        List<Pair<String, Parameter>> to = narrow.block().getParameters().stream().toList();
        for (int i = 0; i < from.size(); i++) {
            Parameter p = from.get(i).getValue();
            NDArray value = p.getArray();
            for (String name : groupNames) {
                ChannelGroup g = wide.channelGroup(name);
                String layer = layerOf.get(p);
                NDArray kept = manager.create(keep.get(name));
                if (g.producers().contains(layer) || g.norms().contains(layer)) {
                    value = value.get(new NDIndex("{}", kept));
                } else if (g.consumers().contains(layer) && p.getName().equals("weight")) {
                    value = value.get(new NDIndex(":, {}", kept));
                }
            }
            to.get(i).getValue().getArray().set(value.toFloatArray());
        }

        for (String name : groupNames) {
            ChannelGroup g = wide.channelGroup(name);
            NDArray dropped = manager.create(
                    LongStream.range(0, g.width()).filter(c -> c % 3 == 1).toArray());
            for (String norm : g.norms()) {
                for (String param : List.of("gamma", "beta")) {
                    wide.norm(norm).getParameters().get(param).getArray().set(new NDIndex("{}", dropped), 0f);
                }
            }
        }
        NDArray x = manager.randomNormal(new Shape(2, spec.inChannels(), 32, 32));
        NDArray expected = forward(wide, x);
        NDArray actual = forward(narrow, x);
        assertThat(expected.abs().max().getFloat()).isPositive();
        assertThat(actual.allClose(expected, 1e-4, 1e-5, false)).as("narrow %s vs silenced wide %s", actual, expected)
                .isTrue();
    }

    private NDArray forward(Network net, NDArray x) {
        return net.block().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }

    private static Map<Parameter, String> layerNames(Network net) {
        Map<Parameter, String> layerOf = new IdentityHashMap<>();
        for (MaskableWeight w : net.maskableWeights()) {
            w.layer().getParameters().values().forEach(p -> layerOf.put(p, w.name()));
        }
        for (ChannelGroup g : net.channelGroups()) {
            for (String norm : g.norms()) {
                net.norm(norm).getParameters().values().forEach(p -> layerOf.put(p, norm));
            }
        }
        return layerOf;
    }
}
