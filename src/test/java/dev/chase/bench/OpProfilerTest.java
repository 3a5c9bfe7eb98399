package dev.chase.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chase.ChaseException;
import dev.chase.io.Json;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.LayerShape;
import dev.chase.model.Layer;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.SmallGraphs;
import dev.chase.model.Network;
import dev.chase.model.VggSpec;
import dev.chase.model.WeightInit;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which ops the op profiler times, at which shapes, and how it sums them up (the timings themselves are noise here). */
class OpProfilerTest {
    private static final OpProfiler.Settings QUICK = new OpProfiler.Settings(2, 0, 1, false);

    private static OpProfiler.Profile profile(NetSpec dense, NetSpec shrunk, OpProfiler.Settings settings) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Network d = Network.build(dense);
            d.initialize(manager);
            Network s = null;
            if (shrunk != null) {
                s = Network.build(shrunk);
                s.initialize(manager);
            }
            return OpProfiler.run(d, s, manager, settings);
        }
    }

    private static Map<String, OpProfiler.Op> byName(OpProfiler.Profile p) {
        return p.ops().stream().collect(Collectors.toMap(OpProfiler.Op::name, Function.identity()));
    }

    /** How many ops of each kind one pass of the spec runs: its layers, plus an add and a ReLU per residual block. */
    private static Map<OpProfiler.Kind, Integer> expectedCounts(List<Layer> layers, Map<OpProfiler.Kind, Integer> counts) {
        for (Layer l : layers) {
            OpProfiler.Kind kind = null;
            if (l instanceof Layer.Conv) {
                kind = OpProfiler.Kind.CONV;
            } else if (l instanceof Layer.Norm) {
                kind = OpProfiler.Kind.BATCH_NORM;
            } else if (l instanceof Layer.Relu) {
                kind = OpProfiler.Kind.RELU;
            } else if (l instanceof Layer.MaxPool) {
                kind = OpProfiler.Kind.MAX_POOL;
            } else if (l instanceof Layer.GlobalAvgPool) {
                kind = OpProfiler.Kind.AVG_POOL;
            } else if (l instanceof Layer.Linear) {
                kind = OpProfiler.Kind.LINEAR;
            } else if (l instanceof Layer.Residual r) {
                expectedCounts(r.main(), counts);
                expectedCounts(r.shortcut(), counts);
                counts.merge(OpProfiler.Kind.ADD, 1, Integer::sum);
                kind = OpProfiler.Kind.RELU;
            }
            counts.merge(kind, 1, Integer::sum);
        }
        return counts;
    }

    /** Unique op names, and every conv and linear layer of the spec in forward order with its FLOPs. */
    private static void assertNamesAndWeightedOps(OpProfiler.Profile p, NetSpec spec) {
        assertThat(new HashSet<>(p.ops().stream().map(OpProfiler.Op::name).toList())).hasSize(p.ops().size());
        List<LayerShape> shapes = FlopCounter.shapes(spec);
        List<OpProfiler.Op> weighted = p.ops().stream()
                .filter(o -> o.kind() == OpProfiler.Kind.CONV || o.kind() == OpProfiler.Kind.LINEAR).toList();
        assertThat(weighted).extracting(OpProfiler.Op::name).containsExactlyElementsOf(shapes.stream().map(LayerShape::name).toList());
        for (int i = 0; i < shapes.size(); i++) {
            assertThat(weighted.get(i).dense().flopsPerImage()).isEqualTo(shapes.get(i).flops());
        }
    }

    private static void assertCoversTheSpec(OpProfiler.Profile p, NetSpec spec) {
        Map<OpProfiler.Kind, Integer> expected = expectedCounts(((dev.chase.model.LayerListSpec) spec).layers(), new EnumMap<>(OpProfiler.Kind.class));
        Map<OpProfiler.Kind, Integer> actual = new EnumMap<>(OpProfiler.Kind.class);
        p.ops().forEach(o -> actual.merge(o.kind(), 1, Integer::sum));
        assertThat(actual).isEqualTo(expected);
        assertNamesAndWeightedOps(p, spec);
        for (OpProfiler.Op o : p.ops()) {
            assertThat(o.dense().millis().median()).as(o.name()).isPositive().isFinite();
            List<Long> in = o.dense().input();
            assertThat(o.dense().elementsPerImage()).isEqualTo(in.stream().skip(1).reduce(1L, (a, b) -> a * b));
        }
    }

    @Test
    void aTinyVggIsProfiledOpByOpAtItsShrunkWidths() {
        VggSpec dense = new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(4), List.of(4)));
        VggSpec shrunk = dense.withGroupWidths(Map.of("features.0", 3));
        OpProfiler.Profile p = profile(dense, shrunk, QUICK);
        assertThat(p.ops()).extracting(OpProfiler.Op::name).containsExactly("features.0", "features.1", "features.1+relu",
                "features.1+max-pool", "features.4", "features.5", "features.5+relu", "features.5+avg-pool", "classifier");
        assertCoversTheSpec(p, dense);
        Map<String, OpProfiler.Op> ops = byName(p);
        assertThat(ops.get("features.0").dense().input()).containsExactly(2L, 1L, 8L, 8L);
        assertThat(ops.get("features.1").dense().input()).containsExactly(2L, 4L, 8L, 8L);
        assertThat(ops.get("features.1").shrunk().input()).containsExactly(2L, 3L, 8L, 8L);
        assertThat(ops.get("features.4").dense().input()).containsExactly(2L, 4L, 4L, 4L);
        assertThat(ops.get("features.4").shrunk().input()).containsExactly(2L, 3L, 4L, 4L);
        assertThat(ops.get("features.5").shrunk().input()).containsExactly(2L, 4L, 4L, 4L);
        assertThat(ops.get("classifier").shrunk().input()).containsExactly(2L, 4L);
        // the work of a conv is its FLOPs, of the others their input elements
        assertThat(ops.get("features.0").workSpeedup()).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(ops.get("features.1+max-pool").workSpeedup()).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(ops.get("features.5").workSpeedup()).isEqualTo(1.0);
        for (OpProfiler.Op o : p.ops()) {
            assertThat(o.speedup()).isCloseTo(o.dense().millis().median() / o.shrunk().millis().median(), within(1e-12));
            assertThat(o.realisation()).isCloseTo(o.speedup() / o.workSpeedup(), within(1e-12));
        }
        // the kinds add up to the op sums, which the totals set against the whole pass
        assertThat(p.kinds().stream().mapToDouble(OpProfiler.KindTotal::denseShare).sum()).isCloseTo(1, within(1e-9));
        assertThat(p.kinds().stream().mapToDouble(OpProfiler.KindTotal::shrunkShare).sum()).isCloseTo(1, within(1e-9));
        OpProfiler.Total d = p.totals().get(0);
        assertThat(d.opSumMillis()).isCloseTo(p.ops().stream().mapToDouble(o -> o.dense().millis().median()).sum(), within(1e-9));
        assertThat(d.gap()).isCloseTo(d.passMillis().median() / d.opSumMillis() - 1, within(1e-12));
        assertThat(p.totals()).extracting(OpProfiler.Total::network).containsExactly("dense", "shrunk");
        assertThat(p.totals().get(1).flopsPerImage()).isEqualTo(FlopCounter.dense(shrunk)).isLessThan(d.flopsPerImage());
        // only features.0 (4/3 FLOPs) and the ops on its output (4/3 elements) shrink
        double proportional = d.opSumMillis() / p.ops().stream().mapToDouble(o -> o.dense().millis().median() / o.workSpeedup()).sum();
        assertThat(p.proportionalSpeedup()).isCloseTo(proportional, within(1e-12)).isGreaterThan(1).isLessThan(4.0 / 3);
    }

    @Test
    void aTinyResNetIsProfiledWithItsResidualAddsAtItsShrunkWidths() {
        NetSpec dense = NetSpecs.named("resnet20", 3, 10, 0.25);
        NetSpec shrunk = dense.withGroupWidths(Map.of("layer2.1.conv1", 3, "stream2", 12));
        OpProfiler.Profile p = profile(dense, shrunk, QUICK);
        assertCoversTheSpec(p, dense);
        assertThat(p.ops().stream().filter(o -> o.kind() == OpProfiler.Kind.ADD).count()).isEqualTo(9);
        Map<String, OpProfiler.Op> ops = byName(p);
        assertThat(ops.get("conv1").dense().input()).containsExactly(2L, 3L, 32L, 32L);
        assertThat(ops.get("layer2.1.bn1").dense().input()).containsExactly(2L, 8L, 16L, 16L);
        assertThat(ops.get("layer2.1.bn1").shrunk().input()).containsExactly(2L, 3L, 16L, 16L);
        assertThat(ops.get("layer2.1.bn1+relu").shrunk().input()).containsExactly(2L, 3L, 16L, 16L);
        assertThat(ops.get("layer2.1.conv2").shrunk().input()).containsExactly(2L, 3L, 16L, 16L);
        assertThat(ops.get("layer3.0.conv1").shrunk().input()).containsExactly(2L, 8L, 16L, 16L);
        assertThat(ops.get("layer3.0.bn2+add").dense().input()).containsExactly(2L, 16L, 8L, 8L);
        assertThat(ops.get("layer3.0.bn2+add").shrunk().input()).containsExactly(2L, 12L, 8L, 8L);
        assertThat(ops.get("layer3.2.bn2+avg-pool").shrunk().input()).containsExactly(2L, 12L, 8L, 8L);
        assertThat(ops.get("fc").shrunk().input()).containsExactly(2L, 12L);
        assertThat(ops.get("layer3.1.bn2+add").workSpeedup()).isCloseTo(16.0 / 12, within(1e-12));
        assertThat(ops.get("layer1.0.bn2+add").workSpeedup()).isEqualTo(1.0);
        // unnamed ops are named after the layer up their first inputs: the stem's ReLU after its BatchNorm, a block's
        // addition and closing ReLU after its main branch's last BatchNorm
        assertThat(ops).containsKeys("bn1+relu", "layer1.0.bn2+relu", "layer3.2.bn2+relu");
    }

    @Test
    void graphArchitecturesAreProfiledNodeByNode() {
        for (String name : List.of("mobilenetv2", "densenet-bc-100", "onnx:efficientnet_b0", "onnx:mobilenet_v3_small")) {
            NetSpec dense = SmallGraphs.spec(name);
            Map<String, Integer> narrower = new java.util.LinkedHashMap<>();
            dense.channelGroups().stream().filter(g -> g.kind() != dev.chase.graph.ChannelGroup.Kind.FIXED)
                    .forEach(g -> narrower.put(g.name(), Math.max(1, g.width() * 2 / 3)));
            OpProfiler.Profile p = profile(dense, dense.withGroupWidths(narrower), QUICK);
            // one op per node but the input, named uniquely; conv and linear ops in forward order with their FLOPs
            assertThat(p.ops()).as(name).hasSize(dense.graph().nodes().size() - 1);
            assertNamesAndWeightedOps(p, dense);
            assertThat(p.totals().get(1).flopsPerImage()).isLessThan(p.totals().get(0).flopsPerImage());
            assertThat(p.ops()).allSatisfy(o -> assertThat(o.shrunk().millis().median()).isPositive().isFinite());
        }
        Map<String, OpProfiler.Op> efficientnet = byName(profile(SmallGraphs.spec("onnx:efficientnet_b0"), null, QUICK));
        assertThat(efficientnet.values()).extracting(OpProfiler.Op::kind).contains(OpProfiler.Kind.MUL, OpProfiler.Kind.ACTIVATION,
                OpProfiler.Kind.ADD);
        Map<String, OpProfiler.Op> densenet = byName(profile(SmallGraphs.spec("densenet-bc-100"), null, QUICK));
        assertThat(densenet.values()).extracting(OpProfiler.Op::kind).contains(OpProfiler.Kind.CONCAT, OpProfiler.Kind.AVG_POOL);
    }

    @Test
    void trainingModeTimesForwardAndBackwardOfEveryOp() {
        VggSpec dense = new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(4), List.of(4)));
        OpProfiler.Profile p = profile(dense, null, new OpProfiler.Settings(2, 1, 2, true));
        assertThat(p.mode()).isEqualTo("training");
        assertCoversTheSpec(p, dense);
        assertThat(p.ops()).allSatisfy(o -> {
            assertThat(o.shrunk()).isNull();
            assertThat(o.speedup()).isNull();
            assertThat(o.dense().millis().count()).isEqualTo(2);
        });
        assertThat(p.totals()).hasSize(1);
        assertThat(p.totals().get(0).passMillis().median()).isPositive().isFinite();
        assertThat(p.kinds()).allSatisfy(k -> assertThat(k.speedup()).isNull());
        assertThat(p.proportionalSpeedup()).isNull();
    }

    @Test
    void theProfileRoundTripsThroughJson() throws Exception {
        VggSpec dense = new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(4), List.of(4)));
        OpProfiler.Profile p = profile(dense, dense.withGroupWidths(Map.of("features.0", 2)), QUICK);
        String json = Json.writePretty(p);
        assertThat(Json.MAPPER.readValue(json, OpProfiler.Profile.class)).isEqualTo(p);
        JsonNode tree = Json.MAPPER.readTree(json);
        assertThat(tree.get("format").asInt()).isEqualTo(OpProfiler.FORMAT);
        assertThat(tree.get("mode").asText()).isEqualTo("inference");
        assertThat(tree.get("batch-size").asInt()).isEqualTo(2);
        JsonNode op = tree.get("ops").get(0);
        assertThat(op.get("kind").asText()).isEqualTo("conv");
        assertThat(op.get("dense").get("input")).hasSize(4);
        assertThat(op.get("shrunk").get("flops-per-image").asLong()).isEqualTo(p.ops().get(0).shrunk().flopsPerImage());
        assertThat(op.get("dense").get("millis").get("median").asDouble()).isPositive();
        assertThat(op.has("work-speedup")).isTrue();
        assertThat(tree.get("kinds").get(0).get("kind").asText()).isEqualTo("conv");
        assertThat(tree.get("totals").get(1).get("op-sum-millis").asDouble()).isPositive();
    }

    @Test
    void aShrunkNetworkOfOtherLayersAndBadSettingsAreRefused() {
        VggSpec dense = new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(4), List.of(4)));
        VggSpec other = new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(4, 4), List.of(4)));
        assertThatThrownBy(() -> profile(dense, other, QUICK)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("does not have the layers of the dense one");
        assertThatThrownBy(() -> new OpProfiler.Settings(0, 0, 1, false)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("batch size must be positive");
        assertThatThrownBy(() -> new OpProfiler.Settings(1, -1, 1, false)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("at least one repeat");
    }
}
