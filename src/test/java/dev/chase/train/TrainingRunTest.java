package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.chase.config.TrainConfig;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.run.ChannelTable;
import dev.chase.run.EpochMetrics;
import dev.chase.run.SparsityMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingRunTest {
    @TempDir
    Path tmp;

    static TrainConfig config(String model, double width, String dataset, int epochs, int batch) {
        return TrainConfig.defaults().with("model", model, "width", width, "dataset", dataset, "epochs", epochs,
                "batch-size", batch, "lr", 0.05, "lr-schedule", "cosine");
    }

    @Test
    void learnsTheSyntheticSetFarAboveChance() {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        try (TrainingRun run = TrainingRun.create(tmp.resolve("syn"), config("resnet20", 0.25, "synthetic", 2, 32), data)) {
            assertThat(run.train(Integer.MAX_VALUE, TrainListener.SILENT)).isTrue();
            List<EpochMetrics> h = run.history();
            assertThat(h).hasSize(2);
            // 500 test images, 10 balanced classes: chance is 10% with a standard deviation of
            // 1.3 points, so 60% is more than 35 standard deviations away from luck.
            assertThat(h.get(1).testAccuracy()).isGreaterThan(0.6);
            assertThat(h.get(1).step()).isEqualTo(2 * 63);
        }
    }

    @Test
    void learnsTheEmbeddedFashionMnistSubset() {
        DataBundle data = DataCatalog.open("fashion-mnist-subset", null, false);
        try (TrainingRun run = TrainingRun.create(tmp.resolve("fm"), config("resnet20", 0.25, "fashion-mnist-subset", 1, 64), data)) {
            run.train(Integer.MAX_VALUE, TrainListener.SILENT);
            // 2,000 balanced test images: chance is 10% (standard deviation 0.7 points); one epoch of
            // a small ResNet reaches well over 70%, so 60% cannot be passed by luck.
            assertThat(run.history().get(0).testAccuracy()).isGreaterThan(0.6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "rigl", "mest"})
    void stoppingAndResumingGivesBitwiseTheSameRunAsNotStopping(String method) {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        TrainConfig config = config("resnet20", 0.25, "synthetic", 2, 50).with("method", method);
        if (!method.equals("dense")) {
            // masks change in both epochs (40 steps each)
            config = config.with("update-interval", 15);
        }
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        try (TrainingRun run = TrainingRun.create(straight, config, data)) {
            run.train(Integer.MAX_VALUE, TrainListener.SILENT);
        }
        try (TrainingRun run = TrainingRun.create(resumed, config, data)) {
            assertThat(run.train(1, TrainListener.SILENT)).isFalse();
            assertThat(run.directory().latestCheckpoint()).isPresent();
        }
        try (TrainingRun a = TrainingRun.resume(straight, data);
                TrainingRun b = TrainingRun.resume(resumed, data)) {
            assertThat(b.epoch()).isEqualTo(1);
            assertThat(b.train(Integer.MAX_VALUE, TrainListener.SILENT)).isTrue();
            assertThat(a.epoch()).isEqualTo(2);
            assertSameParameters(a, b);
            Map<String, NDArray> ma = a.momentum();
            Map<String, NDArray> mb = b.momentum();
            assertThat(mb.keySet()).isEqualTo(ma.keySet());
            ma.forEach((name, buf) -> assertThat(mb.get(name).contentEquals(buf)).as(name).isTrue());
            List<EpochMetrics> ha = a.history();
            List<EpochMetrics> hb = b.history();
            for (int i = 0; i < 2; i++) {
                assertThat(hb.get(i).trainLoss()).isEqualTo(ha.get(i).trainLoss());
                assertThat(hb.get(i).testAccuracy()).isEqualTo(ha.get(i).testAccuracy());
                assertThat(hb.get(i).testLoss()).isEqualTo(ha.get(i).testLoss());
                assertThat(hb.get(i).step()).isEqualTo(ha.get(i).step());
                assertThat(hb.get(i).stepLoss()).hasSize(40).isEqualTo(ha.get(i).stepLoss());
                assertThat(hb.get(i).maskUpdates()).isEqualTo(ha.get(i).maskUpdates());
            }
            if (method.equals("dense")) {
                assertThat(hb.get(1).maskUpdates()).isNull();
            } else {
                // every 15 steps: 15 and 30 in epoch 1; 45 in epoch 2, then 60 and 75 too unless RigL has stopped (at 75% of 80 steps)
                assertThat(hb.get(0).maskUpdates()).extracting(EpochMetrics.MaskUpdate::step).containsExactly(15L, 30L);
                assertThat(hb.get(1).maskUpdates()).extracting(EpochMetrics.MaskUpdate::step)
                        .containsExactlyElementsOf(method.equals("rigl") ? List.of(45L) : List.of(45L, 60L, 75L));
                assertThat(b.directory().readMetrics().get(1).maskUpdates()).isEqualTo(hb.get(1).maskUpdates());
            }
            assertThat(b.directory().readMetrics()).hasSize(2);
            if (b.sparse() != null) {
                b.sparse().model().masks().masks().forEach((name, mask) ->
                        assertThat(a.sparse().model().masks().mask(name).contentEquals(mask)).as(name).isTrue());
                assertThat(hb.get(1).sparsity()).isEqualTo(ha.get(1).sparsity());
                assertThat(hb.get(1).sparsity().density()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.001));
            }
        }
    }

    @Test
    void sparseRunsLogPerChannelStatisticsEveryEpochAndTheFinalTable() {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        TrainConfig config = config("resnet20", 0.25, "synthetic", 2, 50).with("method", "rigl", "update-interval", 15);
        try (TrainingRun run = TrainingRun.create(tmp.resolve("rigl"), config, data)) {
            run.train(Integer.MAX_VALUE, TrainListener.SILENT);
            var convNames = run.network().maskableWeights().stream().filter(w -> w.shape().dimension() == 4).toList();
            for (EpochMetrics m : run.directory().readMetrics()) {
                Map<String, SparsityMetrics.ConvLayer> convs = m.sparsity().convChannels();
                assertThat(convs.keySet()).containsExactlyElementsOf(convNames.stream().map(w -> w.name()).toList());
                convNames.forEach(w -> {
                    SparsityMetrics.ConvLayer l = convs.get(w.name());
                    assertThat(l.channels()).isEqualTo(w.shape().get(0));
                    assertThat(l.dead()).isZero();
                    // conv1 of every block produces an INTERNAL group
                    assertThat(l.prunable()).as(w.name()).isEqualTo(w.name().endsWith("conv1") && w.name().startsWith("layer"));
                    // nothing removed: rho_l is the layer density logged beside it
                    assertThat(l.aliveDensity()).isCloseTo(m.sparsity().layers().get(w.name()), org.assertj.core.data.Offset.offset(1e-5));
                    assertThat(l.ratio().min()).isLessThanOrEqualTo(1.0);
                    assertThat(l.ratio().max()).isGreaterThanOrEqualTo(1.0);
                });
            }
            ChannelTable table = run.directory().readChannels().orElseThrow();
            assertThat(table.epoch()).isEqualTo(2);
            assertThat(table.method()).isEqualTo("rigl");
            Map<String, SparsityMetrics.ConvLayer> last = run.history().get(1).sparsity().convChannels();
            assertThat(table.layers()).extracting(ChannelTable.Layer::layer).containsExactlyElementsOf(last.keySet());
            for (ChannelTable.Layer l : table.layers()) {
                SparsityMetrics.ConvLayer summary = last.get(l.layer());
                assertThat(l.prunable()).isEqualTo(summary.prunable());
                assertThat(l.alive()).hasSize(summary.channels()).doesNotContain(false);
                // the table's weights add up to the layer density, and its ratios give the logged counts
                double nnz = java.util.Arrays.stream(l.density()).map(d -> d * l.fanIn()).sum();
                assertThat(nnz / (l.density().length * l.fanIn())).isCloseTo(run.history().get(1).sparsity().layers().get(l.layer()),
                        org.assertj.core.data.Offset.offset(1e-9));
                for (double alpha : SparsityMetrics.ConvLayer.ALPHAS) {
                    assertThat(java.util.Arrays.stream(l.ratio()).filter(r -> r <= alpha).count()).as(l.layer() + " " + alpha)
                            .isEqualTo((long) summary.amenable().get(SparsityMetrics.ConvLayer.key(alpha)));
                }
                assertThat(SparsityMetrics.Quantiles.of(l.umm())).isEqualTo(summary.umm());
            }
        }
    }

    private static void assertSameParameters(TrainingRun a, TrainingRun b) {
        var pa = a.network().block().getParameters();
        var pb = b.network().block().getParameters();
        assertThat(pb.size()).isEqualTo(pa.size());
        for (int i = 0; i < pa.size(); i++) {
            Pair<String, Parameter> x = pa.get(i);
            Pair<String, Parameter> y = pb.get(i);
            assertThat(y.getValue().getArray().contentEquals(x.getValue().getArray())).as(x.getKey()).isTrue();
        }
    }
}
