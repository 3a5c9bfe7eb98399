package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.chase.channel.ChannelController;
import dev.chase.config.TrainConfig;
import dev.chase.data.BatchLoader;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.model.MaskableWeight;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.run.ChannelTable;
import dev.chase.run.EpochMetrics;
import dev.chase.run.ShrinkReport;
import dev.chase.run.SparsityMetrics;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code chase} method over short real runs: channel events, dead channels, budget, shrink, reload, resume. */
class ChaseTrainingTest {
    @TempDir
    Path tmp;

    /** Masked training, as the reference does, so removed channels stay in the tensors (ShrinkDuringTrainingTest: the default). */
    private static TrainConfig config(String model, boolean pruneSkip) {
        return TrainConfig.defaults().with("model", model, "width", 0.25, "dataset", "synthetic", "epochs", 2, "batch-size", 50,
                "lr", 0.05, "lr-schedule", "cosine", "method", "chase", "update-interval", 10, "channel-interval", 10,
                "channel-sparsity", 0.5, "soft-bound-end", 1, "prune-skip", pruneSkip, "shrink-during-training", false);
    }

    @ParameterizedTest
    @CsvSource({"resnet20,false", "resnet20,true", "vgg11,false"})
    void removesChannelsKeepsThemDeadAndShrinksToAnEquivalentNetwork(String model, boolean pruneSkip) {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        Path runDir = tmp.resolve(model + pruneSkip);
        try (TrainingRun run = TrainingRun.create(runDir, config(model, pruneSkip), data)) {
            assertThat(run.train(Integer.MAX_VALUE, TrainListener.SILENT)).isTrue();
            SparseTraining sparse = run.sparse();
            ChannelController channels = sparse.channels();
            long c0 = channels.prunable().stream().mapToLong(g -> g.width()).sum();
            // the cubic schedule ends at epoch 1 (T_c = 40 steps); events at t = 5, 15, 25, 35, and the last one aims at
            // s_c(35) = 0.499, so removing ceil(R) channels lands exactly on S_c = 0.5 for these widths
            assertThat(channels.channelSparsity()).isGreaterThanOrEqualTo(0.5).isLessThan(0.5 + 1.0 / c0);
            if (pruneSkip) {
                assertThat(channels.prunable()).anyMatch(g -> g.kind() == dev.chase.graph.ChannelGroup.Kind.STREAM);
            }
            // dead channels: zero weights, zero masks, and the final-phase update restored the budget exactly
            Network net = run.network();
            Map<String, NDArray> structural = sparse.model().structural();
            assertThat(structural).isNotEmpty();
            for (MaskableWeight w : net.maskableWeights()) {
                NDArray f = structural.get(w.name());
                if (f == null) {
                    continue;
                }
                try (NDArray dead = f.eq(0);
                        NDArray wDead = w.parameter().getArray().abs().mul(dead);
                        NDArray mDead = sparse.model().masks().mask(w.name()).mul(dead)) {
                    assertThat(wDead.max().getFloat()).as(w.name()).isZero();
                    assertThat(mDead.max().getFloat()).as(w.name()).isZero();
                }
            }
            assertThat(sparse.model().masks().nonZeros()).isEqualTo((long) Math.floor(sparse.model().budget().baseline()));
            EpochMetrics last = run.history().get(1);
            assertThat(last.sparsity().channels().prunable()).isEqualTo(channels.channelSparsity());
            // per-channel statistics: removed channels are counted as dead in every producer, and marked in channels.json
            long removed = channels.prunable().stream()
                    .mapToLong(g -> (long) (g.width() - dev.chase.channel.AliveVectors.count(channels.alive().get(g.name())))
                            * g.producers().size())
                    .sum();
            assertThat(removed).isPositive();
            assertThat(last.sparsity().convChannels().values().stream().mapToLong(SparsityMetrics.ConvLayer::dead).sum())
                    .isEqualTo(removed);
            ChannelTable table = run.directory().readChannels().orElseThrow();
            for (var g : channels.prunable()) {
                for (String producer : g.producers()) {
                    ChannelTable.Layer l = table.layers().stream().filter(x -> x.layer().equals(producer)).findFirst().orElseThrow();
                    assertThat(l.prunable()).isTrue();
                    assertThat(l.alive()).as(producer).containsExactly(channels.alive().get(g.name()));
                }
            }

            ShrinkReport shrink = run.shrinkReport();
            assertThat(shrink.slimWeights()).isLessThan(shrink.denseWeights());
            // the slim network computes the masked network's function: same test accuracy (500 images)
            assertThat(shrink.slimTestAccuracy()).isCloseTo(shrink.maskedTestAccuracy(), offset(1.0 / 500));
            channels.widths().forEach((name, w) -> assertThat(shrink.widthsAfter().get(name)).isEqualTo(w));

            try (NDManager m = NDManager.newBaseManager();
                    BatchLoader test = new BatchLoader(data.test(), data.evalTransform(), 100, false, false, 0)) {
                Network slim = SavedModel.load(runDir.resolve("model-slim"), m);
                assertThat(Evaluator.evaluate(slim.block(), test, m).accuracy()).isEqualTo(shrink.recalibratedTestAccuracy());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void chaseWithoutChannelSparsityTrainsExactlyLikeMest() {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        TrainConfig chase = config("resnet20", false).with("channel-sparsity", 0.0);
        TrainConfig mest = TrainConfig.defaults().with("model", "resnet20", "width", 0.25, "dataset", "synthetic", "epochs", 2,
                "batch-size", 50, "lr", 0.05, "lr-schedule", "cosine", "method", "mest", "update-interval", 10, "soft-bound-end", 1);
        try (TrainingRun a = TrainingRun.create(tmp.resolve("chase0"), chase, data);
                TrainingRun b = TrainingRun.create(tmp.resolve("mest"), mest, data)) {
            a.train(Integer.MAX_VALUE, TrainListener.SILENT);
            b.train(Integer.MAX_VALUE, TrainListener.SILENT);
            var pa = a.network().block().getParameters();
            var pb = b.network().block().getParameters();
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i).getValue().getArray().contentEquals(pa.get(i).getValue().getArray())).as(pa.get(i).getKey()).isTrue();
            }
            assertThat(a.sparse().channels().channelSparsity()).isZero();
            assertThat(a.history().get(1).testAccuracy()).isEqualTo(b.history().get(1).testAccuracy());
        }
    }

    @ParameterizedTest
    @CsvSource({"resnet20,true"})
    void resumingAChaseRunGivesBitwiseTheSameRun(String model, boolean pruneSkip) {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        TrainConfig c = config(model, pruneSkip).with("soft-bound-end", 2, "channel-end", 2);
        try (TrainingRun a = TrainingRun.create(tmp.resolve("a"), c, data)) {
            a.train(Integer.MAX_VALUE, TrainListener.SILENT);
        }
        try (TrainingRun b = TrainingRun.create(tmp.resolve("b"), c, data)) {
            b.train(1, TrainListener.SILENT);
        }
        try (TrainingRun a = TrainingRun.resume(tmp.resolve("a"), data);
                TrainingRun b = TrainingRun.resume(tmp.resolve("b"), data)) {
            assertThat(b.sparse().channels().channelSparsity()).isGreaterThan(0).isLessThan(0.5);
            b.train(Integer.MAX_VALUE, TrainListener.SILENT);
            var pa = a.network().block().getParameters();
            var pb = b.network().block().getParameters();
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i).getValue().getArray().contentEquals(pa.get(i).getValue().getArray())).as(pa.get(i).getKey()).isTrue();
            }
            a.sparse().channels().alive().forEach((name, alive) ->
                    assertThat(b.sparse().channels().alive().get(name)).as(name).containsExactly(alive));
            assertThat(b.shrinkReport().slimWeights()).isEqualTo(
                    dev.chase.io.Json.MAPPER.convertValue(readShrink(tmp.resolve("a")), ShrinkReport.class).slimWeights());
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readShrink(Path run) {
        try {
            return dev.chase.io.Json.MAPPER.readTree(run.resolve("shrink.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
