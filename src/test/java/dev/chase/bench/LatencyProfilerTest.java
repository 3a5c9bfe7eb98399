package dev.chase.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.metrics.LatencyModel;
import dev.chase.metrics.LatencyTable;
import dev.chase.graph.Node;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.SmallGraphs;
import dev.chase.model.VggSpec;
import dev.chase.model.WeightInit;
import dev.chase.run.LatencyTableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the latency profiler times, its grids, and the cached table (the timings themselves are noise here). */
class LatencyProfilerTest {
    @TempDir
    Path tmp;

    private static final LatencyProfiler.Settings QUICK = new LatencyProfiler.Settings(0, 1, List.of(0.5, 1.0));

    /** 1 channel 8x8: features.0 (1->4) at 8x8, pool, features.4 (4->4, fixed) at 4x4, classifier (4->2). */
    static VggSpec tinyVgg() {
        return new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(4), List.of(4)));
    }

    static LatencyTable.Key key(NetSpec spec, String model) {
        return new LatencyTable.Key(model, 1.0, spec.inChannels(), spec.numClasses(), spec.inputSize(), 2, LatencyTable.engineThreads());
    }

    private static List<String> kinds(LatencyProfiler.Unit u) {
        return u.epilogue().stream().map(n -> n.getClass().getSimpleName()).toList();
    }

    private static Map<String, LatencyProfiler.Unit> units(NetSpec spec) {
        return LatencyProfiler.units(spec).stream().collect(Collectors.toMap(u -> u.shape().name(), Function.identity()));
    }

    @Test
    void unitsTimeEachLayerWithWhatFollowsIt() {
        Map<String, LatencyProfiler.Unit> vgg = units(tinyVgg());
        assertThat(kinds(vgg.get("features.0"))).containsExactly("Norm", "Act", "Pool");
        assertThat(kinds(vgg.get("features.4"))).containsExactly("Norm", "Act", "GlobalAvgPool");
        assertThat(vgg.get("classifier").epilogue()).isEmpty();
        // the image input and the classes never change; features.4's group is fixed but it reads a prunable one
        assertThat(vgg.get("features.0").inBlock()).isZero();
        assertThat(vgg.get("features.0").outBlock()).isOne();
        assertThat(vgg.get("features.4").inBlock()).isOne();
        assertThat(vgg.get("features.4").outBlock()).isZero();
        assertThat(vgg.get("classifier").outBlock()).isZero();

        Map<String, LatencyProfiler.Unit> resnet = units(NetSpecs.named("resnet20", 3, 10, 0.25));
        // the last conv of a block's main branch closes the block (addition and ReLU); its shortcut conv does not
        assertThat(kinds(resnet.get("layer1.0.conv1"))).containsExactly("Norm", "Act");
        assertThat(kinds(resnet.get("layer1.0.conv2"))).containsExactly("Norm", "Add", "Act");
        assertThat(kinds(resnet.get("layer2.0.shortcut.0"))).containsExactly("Norm");
        assertThat(kinds(resnet.get("layer3.2.conv2"))).last().isEqualTo("GlobalAvgPool");
        // residual streams can be pruned (prune-skip), so block outputs vary too
        assertThat(resnet.get("layer1.0.conv2").outBlock()).isOne();
        // repeated blocks time alike
        assertThat(resnet.get("layer1.1.conv1").signature()).isEqualTo(resnet.get("layer1.2.conv1").signature());
        assertThat(resnet.get("layer1.1.conv1").signature()).isNotEqualTo(resnet.get("layer1.1.conv2").signature());
    }

    @Test
    void graphUnitsCoverEveryNodeOnceAndStandInForOtherUnitsOperands() {
        SmallGraphs.names().forEach(name -> {
            NetSpec spec = SmallGraphs.spec(name);
            List<LatencyProfiler.Unit> units = LatencyProfiler.units(spec);
            List<String> timed = new ArrayList<>();
            units.forEach(u -> {
                timed.add(u.shape().name());
                u.epilogue().forEach(n -> timed.add(n.name()));
                // a unit computes the first operand of each of its nodes; only joins read other units
                u.epilogue().forEach(n -> assertThat(u.computes(n.inputs().get(0))).as(name + " " + n.name()).isTrue());
            });
            List<String> after = spec.graph().nodes().stream().map(Node::name).skip(1).toList();
            assertThat(timed).as(name).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(after);
        });
        Map<String, LatencyProfiler.Unit> mobilenet = units(NetSpecs.named("mobilenetv2", 3, 10, 0.25));
        LatencyProfiler.Unit depthwise = mobilenet.values().stream().filter(LatencyProfiler.Unit::tied).findFirst().orElseThrow();
        // a depthwise conv's input is its output's group: it varies along the output only
        assertThat(depthwise.inBlock()).isZero();
        assertThat(depthwise.outBlock()).isOne();
        Map<String, LatencyProfiler.Unit> densenet = units(NetSpecs.named("densenet-bc-100", 3, 10, 0.25));
        assertThat(densenet.values()).anySatisfy(u -> assertThat(kinds(u)).contains("Concat"));
    }

    @Test
    void graphArchitecturesAreProfiledAndPredictNarrowerNetworksFaster() {
        for (String name : List.of("mobilenetv2", "densenet-bc-100", "onnx:efficientnet_b0", "onnx:mobilenet_v3_small")) {
            NetSpec spec = SmallGraphs.spec(name);
            LatencyTable table = LatencyProfiler.profile(spec, key(spec, name.replace(':', '-')), QUICK, line -> { });
            LatencyModel model = new LatencyModel(table, spec);
            Map<String, Integer> half = new java.util.LinkedHashMap<>();
            spec.channelGroups().stream().filter(g -> g.kind() != dev.chase.graph.ChannelGroup.Kind.FIXED)
                    .forEach(g -> half.put(g.name(), Math.max(1, g.width() / 2)));
            double dense = model.cost(spec);
            assertThat(dense).as(name).isPositive().isFinite();
            assertThat(model.cost(spec.withGroupWidths(half))).as(name).isLessThanOrEqualTo(dense * (1 + 1e-12));
            for (LatencyTable.Entry e : table.layers()) {
                assertThat(java.util.Arrays.stream(e.millis()).flatMapToDouble(java.util.Arrays::stream))
                        .allSatisfy(ms -> assertThat(ms).as(name + " " + e.name()).isPositive().isFinite());
            }
        }
    }

    @Test
    void randomCheckWidthsCanBeRoundedToAMultiple() {
        NetSpec spec = NetSpecs.named("resnet20", 3, 10, 1.0);
        Map<String, Map<String, Integer>> rounded = LatencyCheck.variants(spec, new LatencyCheck.RandomVariants(4, 3, 8));
        for (NetSpec s : List.of(spec, NetSpecs.named("resnet20", 3, 10, 0.5))) {
            LatencyCheck.variants(s, new LatencyCheck.RandomVariants(4, 3, 8)).forEach((name, widths) -> {
                if (name.startsWith("random")) {
                    assertThat(widths.values()).as(name + ", groups of 8 to 64 channels: as --round-to 8 leaves them")
                            .allSatisfy(w -> assertThat(w % 8).isZero());
                }
            });
        }
        Map<String, Integer> groupsOfFour = new java.util.HashMap<>();
        LatencyCheck.variants(NetSpecs.named("resnet20", 3, 10, 0.25), new LatencyCheck.RandomVariants(4, 3, 8)).forEach((name, widths) ->
                widths.forEach((group, w) -> {
                    if (name.startsWith("random") && group.startsWith("layer1")) {
                        groupsOfFour.merge(name + " " + group, w, Integer::sum);
                    }
                }));
        assertThat(groupsOfFour.values()).as("groups of 4 channels, narrower than 8: drawn as they are, as training keeps them")
                .allSatisfy(w -> assertThat(w).isBetween(1, 4)).contains(1, 2, 3);
        assertThat(rounded.get("random-1")).isNotEqualTo(LatencyCheck.variants(spec, new LatencyCheck.RandomVariants(4, 3, 1))
                .get("random-1"));
        assertThatThrownBy(() -> new LatencyCheck.RandomVariants(1, 1, 0)).isInstanceOf(ChaseException.class);
    }

    @Test
    void gridsScaleTheWidthAndKeepTheFullOne() {
        List<Double> f = List.of(0.25, 0.5, 0.75, 1.0);
        assertThat(LatencyProfiler.grid(64, 1, f)).containsExactly(16, 32, 48, 64);
        assertThat(LatencyProfiler.grid(3, 1, f)).containsExactly(1, 2, 3);
        assertThat(LatencyProfiler.grid(10, 1, List.of(0.5))).containsExactly(5, 10);
        assertThat(LatencyProfiler.grid(64, 0, f)).containsExactly(64);
        // a group of blocks is timed at whole blocks: 0.25 x 48 = 12 -> 16, 0.5 -> 24 -> 32 (rounded half up), 0.75 -> 36 -> 32
        assertThat(LatencyProfiler.grid(48, 16, f)).containsExactly(16, 32, 48);
    }

    @Test
    void profilesEveryLayerOnItsGridAndCachesTheTable() {
        VggSpec spec = tinyVgg();
        Path file = tmp.resolve("cache/tiny.json");
        List<String> progress = new ArrayList<>();
        LatencyTable table = LatencyProfiler.obtain(file, key(spec, "tiny"), spec, QUICK, progress::add);
        assertThat(progress).isNotEmpty();
        assertThat(file).exists();
        assertThat(table.layers()).extracting(LatencyTable.Entry::name).containsExactly("features.0", "features.4", "classifier");
        LatencyTable.Entry first = table.layers().get(0);
        assertThat(first.inGrid()).containsExactly(1);
        assertThat(first.outGrid()).containsExactly(2, 4);
        assertThat(first.inputSide()).isEqualTo(8);
        assertThat(table.layers().get(1).inGrid()).containsExactly(2, 4);
        assertThat(table.layers().get(1).outGrid()).containsExactly(4);
        for (LatencyTable.Entry e : table.layers()) {
            for (double[] row : e.millis()) {
                for (double ms : row) {
                    assertThat(ms).as(e.name()).isPositive().isFinite();
                }
            }
        }
        // the next call reads the file instead of measuring
        List<String> again = new ArrayList<>();
        LatencyTable read = LatencyProfiler.obtain(file, key(spec, "tiny"), spec, QUICK, again::add);
        assertThat(again).isEmpty();
        assertThat(read.layers().get(0).millis()).isDeepEqualTo(first.millis());
        assertThat(new LatencyModel(read, spec).cost(spec)).isPositive();
        // a table of another architecture is refused with a clear message
        assertThatThrownBy(() -> LatencyProfiler.obtain(file, key(spec, "other"), spec, QUICK, again::add))
                .isInstanceOf(ChaseException.class).hasMessageContaining("was measured for tiny");
    }

    @Test
    void corruptTablesAreUserErrors() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"format\": 1, \"key\": ");
        assertThatThrownBy(() -> LatencyTableFiles.read(bad)).isInstanceOf(ChaseException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> LatencyTableFiles.read(tmp.resolve("none.json"))).isInstanceOf(ChaseException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void theCheckTimesNarrowedNetworksAgainstThePrediction() {
        VggSpec spec = tinyVgg();
        LatencyTable table = LatencyProfiler.profile(spec, key(spec, "tiny"), QUICK, line -> { });
        List<LatencyCheck.Row> rows = LatencyCheck.run(spec, new LatencyModel(table, spec), new LatencyCheck.RandomVariants(2, 7, 1),
                Map.of("narrow", Map.of("features.0", 1)), 2, 0, 1);
        assertThat(rows).extracting(LatencyCheck.Row::name).containsExactly("dense", "half", "random-1", "random-2", "narrow");
        assertThat(rows.get(0).measuredFraction()).isEqualTo(1.0);
        assertThat(rows.get(0).predictedFraction()).isEqualTo(1.0);
        assertThat(rows.get(1).widths()).containsEntry("features.0", 2);
        assertThat(rows.get(4).widths()).containsExactly(Map.entry("features.0", 1));
        // narrower never predicts slower; the layer sums may differ in the last bit
        assertThat(rows.get(4).predictedMillis()).isLessThanOrEqualTo(rows.get(0).predictedMillis() * (1 + 1e-12));
        // monotone tables: a narrower network never predicts slower (at batch 2 the timings are mostly overhead)
        assertThat(rows.get(1).predictedFraction()).isLessThanOrEqualTo(1.0);
        assertThat(rows).allSatisfy(r -> assertThat(r.measuredMillis()).isPositive());
        // the variants are a function of the seed
        assertThat(LatencyCheck.variants(spec, new LatencyCheck.RandomVariants(3, 7, 1)))
                .isEqualTo(LatencyCheck.variants(spec, new LatencyCheck.RandomVariants(3, 7, 1)));
        assertThatThrownBy(() -> LatencyCheck.run(spec, new LatencyModel(table, spec), new LatencyCheck.RandomVariants(1, 7, 1),
                Map.of("random-1", Map.of()), 2, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named random-1");
    }
}
