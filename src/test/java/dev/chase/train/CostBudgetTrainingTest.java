package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chase.ChaseException;
import dev.chase.channel.ChannelController;
import dev.chase.channel.ChannelPruner;
import dev.chase.config.TrainConfig;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.LatencyModel;
import dev.chase.metrics.LatencyTable;
import dev.chase.metrics.LayerShape;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.NetSpec;
import dev.chase.model.SavedModel;
import dev.chase.run.LatencyTableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Chase with a FLOPs or latency budget over short real runs: the final dense-of-slim cost meets the target. */
class CostBudgetTrainingTest {
    @TempDir
    Path tmp;

    /** One epoch of 40 steps; the cubic ramp ends at step 40, events every 5 steps, the last at 35 (99.8% of the ramp). */
    private static TrainConfig config(String model) {
        return TrainConfig.defaults().with("model", model, "width", 0.25, "dataset", "synthetic", "epochs", 1, "batch-size", 50,
                "lr", 0.05, "lr-schedule", "cosine", "method", "chase", "update-interval", 10, "channel-interval", 5,
                "soft-bound-end", 1);
    }

    @ParameterizedTest
    @CsvSource({"resnet20,true,1,false", "vgg11,false,1,false", "resnet20,false,2,false", "resnet20,true,1,true"})
    void targetFlopsEndsAtTheTargetFractionOfDenseOfSlimFlops(String model, boolean pruneSkip, int roundTo, boolean shrink) {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        Path runDir = tmp.resolve(model + pruneSkip + roundTo + shrink);
        TrainConfig c = config(model).with("target-flops", 0.5, "prune-skip", pruneSkip, "round-to", roundTo,
                "shrink-during-training", shrink);
        try (TrainingRun run = TrainingRun.create(runDir, c, data)) {
            assertThat(run.config().channelSparsity()).isNull();
            assertThat(run.train(Integer.MAX_VALUE, TrainListener.SILENT)).isTrue();
            ChannelController channels = run.sparse().channels();
            NetSpec original = TrainingRun.newRunSpec(c, data);
            NetSpec slim = SavedModel.spec(runDir.resolve("model-slim"));
            double fraction = (double) FlopCounter.dense(slim) / FlopCounter.dense(original);
            // the last event aims at 1 - 0.5 * (1 - (1 - 35/40)^3) = 0.50098 of the dense FLOPs and stops within one
            // step's saving below it (one channel, or with --round-to a block of channels)
            double lastTarget = 1 - 0.5 * (1 - Math.pow(1 - 35.0 / 40, 3));
            assertThat(fraction).isLessThanOrEqualTo(lastTarget + 1e-9).isGreaterThan(lastTarget - (roundTo == 1 ? 0.05 : 0.1));
            assertThat(channels.costFraction()).isCloseTo(fraction, within(1e-12));
            assertThat(run.history().get(0).sparsity().channels().costFraction()).isCloseTo(fraction, within(1e-12));
            // floors come from the equivalent channel sparsity 1 - sqrt(0.5)
            ChannelPruner floors = new ChannelPruner(1 - Math.sqrt(0.5), 0.2);
            for (ChannelGroup g : channels.prunable()) {
                assertThat(channels.widths().get(g.name())).as(g.name()).isGreaterThanOrEqualTo(floors.floor(g.width()));
                if (roundTo > 1 && channels.widths().get(g.name()) < g.width()) {
                    int w = channels.widths().get(g.name());
                    assertThat(w % roundTo == 0 || w == floors.floor(g.width())).as(g.name() + " width " + w).isTrue();
                }
            }
            if (pruneSkip) {
                assertThat(channels.prunable()).anyMatch(g -> g.kind() == ChannelGroup.Kind.STREAM);
            }
        }
    }

    @Test
    void costAwareEventsSaveMoreFlopsThanTheSameNumberOfChannelsByScore() {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        try (TrainingRun flops = TrainingRun.create(tmp.resolve("flops"), config("vgg11").with("target-flops", 0.5), data)) {
            flops.train(Integer.MAX_VALUE, TrainListener.SILENT);
            double sc = flops.sparse().channels().channelSparsity();
            double flopsFraction = flops.sparse().channels().costFraction();
            try (TrainingRun count = TrainingRun.create(tmp.resolve("count"), config("vgg11").with("channel-sparsity", sc), data)) {
                count.train(Integer.MAX_VALUE, TrainListener.SILENT);
                NetSpec original = count.network().spec();
                double countFraction = (double) FlopCounter.dense(original.withGroupWidths(count.sparse().channels().widths()))
                        / FlopCounter.dense(original);
                // about as many channels removed, but the channel-count run removed cheaper ones
                assertThat(count.sparse().channels().channelSparsity()).isCloseTo(sc, within(0.02));
                assertThat(flopsFraction).isLessThan(countFraction);
            }
        }
    }

    /** A latency table for a run's architecture whose milliseconds are FLOPs / 1e6 at in, out ∈ {w/2, w}. */
    private static LatencyTable syntheticTable(TrainConfig c, NetSpec spec) {
        List<LatencyTable.Entry> entries = new ArrayList<>();
        for (LayerShape s : FlopCounter.shapes(spec)) {
            int[] ins = s.in() > 1 && s.conv() && s.in() != spec.inChannels() ? new int[] {s.in() / 2, s.in()} : new int[] {s.in()};
            int[] outs = s.conv() ? new int[] {s.out() / 2, s.out()} : new int[] {s.out()};
            double[][] ms = new double[ins.length][outs.length];
            for (int i = 0; i < ins.length; i++) {
                for (int j = 0; j < outs.length; j++) {
                    ms[i][j] = 2.0 * ins[i] * outs[j] * s.kernel() * s.kernel() * s.outputPixels() / 1e6;
                }
            }
            entries.add(new LatencyTable.Entry(s.name(), s.in(), s.out(), s.inputSide(), ins, outs, ms));
        }
        LatencyTable.Key k = LatencyTableFiles.key(c, spec);
        return new LatencyTable(LatencyTable.FORMAT, k, 0, 1, List.of(0.5, 1.0), entries);
    }

    @Test
    void targetLatencyUsesItsTableKeepsACopyAndResumesFromIt() throws Exception {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        Path tableFile = tmp.resolve("table.json");
        TrainConfig c = config("resnet20").with("epochs", 2, "target-latency", 0.6, "latency-table", tableFile.toString());
        NetSpec spec = TrainingRun.newRunSpec(c, data);
        assertThatThrownBy(() -> TrainingRun.create(tmp.resolve("none"), c, data)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("does not exist");
        assertThat(tmp.resolve("none")).doesNotExist();
        LatencyTableFiles.write(tableFile, syntheticTable(c, spec));

        Path runDir = tmp.resolve("latency");
        try (TrainingRun run = TrainingRun.create(runDir, c, data)) {
            run.train(1, TrainListener.SILENT);
        }
        assertThat(runDir.resolve(LatencyTableFiles.RUN_FILE)).exists();
        Files.delete(tableFile); // resuming reads the run's copy
        try (TrainingRun run = TrainingRun.resume(runDir, data)) {
            run.train(Integer.MAX_VALUE, TrainListener.SILENT);
            ChannelController channels = run.sparse().channels();
            LatencyModel model = new LatencyModel(LatencyTableFiles.read(runDir.resolve(LatencyTableFiles.RUN_FILE)), spec);
            double predicted = model.cost(spec.withGroupWidths(channels.widths())) / model.cost(spec);
            double lastTarget = 1 - 0.4 * (1 - Math.pow(1 - 35.0 / 40, 3));
            assertThat(predicted).isLessThanOrEqualTo(lastTarget + 1e-9).isGreaterThan(lastTarget - 0.05);
            assertThat(channels.costFraction()).isCloseTo(predicted, within(1e-12));
        }
    }

    @Test
    void budgetsAreAlternatives() {
        TrainConfig chase = config("resnet20");
        assertThatThrownBy(() -> chase.with("channel-sparsity", 0.5, "target-flops", 0.5)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("alternative channel budgets");
        assertThatThrownBy(() -> chase.with("target-latency", 0.5, "target-flops", 0.5)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("alternative channel budgets");
        assertThatThrownBy(() -> chase.with("latency-table", "t.json")).isInstanceOf(ChaseException.class)
                .hasMessageContaining("--latency-table is only used with --target-latency");
        assertThatThrownBy(() -> chase.with("target-flops", 0.0)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("in (0, 1]");
        assertThatThrownBy(() -> chase.with("method", "mest", "target-flops", 0.5)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("does not use --channel-interval, --target-flops");
        assertThat(chase.resolved().channelSparsity()).isEqualTo(0.5);
        assertThat(chase.with("target-flops", 0.4).resolved().channelSparsity()).isNull();
        assertThat(chase.with("target-flops", 0.4).resolved().targetFlops()).isEqualTo(0.4);
    }
}
