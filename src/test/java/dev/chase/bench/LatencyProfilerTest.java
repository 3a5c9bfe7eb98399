package dev.chase.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.metrics.LatencyModel;
import dev.chase.metrics.LatencyTable;
import dev.chase.model.Layer;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
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

    @Test
    void unitsTimeEachLayerWithWhatFollowsIt() {
        Map<String, LatencyProfiler.Unit> vgg = LatencyProfiler.units(tinyVgg()).stream()
                .collect(Collectors.toMap(u -> u.shape().name(), Function.identity()));
        assertThat(vgg.get("features.0").epilogue()).extracting(l -> l.getClass().getSimpleName())
                .containsExactly("Norm", "Relu", "MaxPool");
        assertThat(vgg.get("features.4").epilogue()).extracting(l -> l.getClass().getSimpleName())
                .containsExactly("Norm", "Relu", "GlobalAvgPool");
        assertThat(vgg.get("classifier").epilogue()).isEmpty();
        // the image input and the classes never change; features.4's group is fixed but it reads a prunable one
        assertThat(vgg.get("features.0").variableIn()).isFalse();
        assertThat(vgg.get("features.0").variableOut()).isTrue();
        assertThat(vgg.get("features.4").variableIn()).isTrue();
        assertThat(vgg.get("features.4").variableOut()).isFalse();
        assertThat(vgg.get("classifier").variableOut()).isFalse();

        Map<String, LatencyProfiler.Unit> resnet = LatencyProfiler.units(NetSpecs.named("resnet20", 3, 10, 0.25)).stream()
                .collect(Collectors.toMap(u -> u.shape().name(), Function.identity()));
        Layer join = new Layer.Residual(List.of(), List.of());
        // the last conv of a block's main branch closes the block; its shortcut conv does not
        assertThat(resnet.get("layer1.0.conv1").epilogue()).extracting(l -> l.getClass().getSimpleName()).containsExactly("Norm", "Relu");
        assertThat(resnet.get("layer1.0.conv2").epilogue()).hasSize(2).last().isEqualTo(join);
        assertThat(resnet.get("layer2.0.shortcut.0").epilogue()).extracting(l -> l.getClass().getSimpleName()).containsExactly("Norm");
        assertThat(resnet.get("layer3.2.conv2").epilogue()).last().isInstanceOf(Layer.GlobalAvgPool.class);
        // residual streams can be pruned (prune-skip), so block outputs vary too
        assertThat(resnet.get("layer1.0.conv2").variableOut()).isTrue();
        // repeated blocks time alike
        assertThat(resnet.get("layer1.1.conv1").signature()).isEqualTo(resnet.get("layer1.2.conv1").signature());
        assertThat(resnet.get("layer1.1.conv1").signature()).isNotEqualTo(resnet.get("layer1.1.conv2").signature());
    }

    @Test
    void gridsScaleTheWidthAndKeepTheFullOne() {
        List<Double> f = List.of(0.25, 0.5, 0.75, 1.0);
        assertThat(LatencyProfiler.grid(64, true, f)).containsExactly(16, 32, 48, 64);
        assertThat(LatencyProfiler.grid(3, true, f)).containsExactly(1, 2, 3);
        assertThat(LatencyProfiler.grid(10, true, List.of(0.5))).containsExactly(5, 10);
        assertThat(LatencyProfiler.grid(64, false, f)).containsExactly(64);
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
        List<LatencyCheck.Row> rows = LatencyCheck.run(spec, new LatencyModel(table, spec), 2, 7, Map.of("narrow", Map.of("features.0", 1)), 2, 0, 1);
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
        assertThat(LatencyCheck.variants(spec, 3, 7)).isEqualTo(LatencyCheck.variants(spec, 3, 7));
        assertThatThrownBy(() -> LatencyCheck.run(spec, new LatencyModel(table, spec), 1, 7, Map.of("random-1", Map.of()), 2, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named random-1");
    }
}
