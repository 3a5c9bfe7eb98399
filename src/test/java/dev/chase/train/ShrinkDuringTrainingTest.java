package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.chase.channel.Shrinker;
import dev.chase.config.RunConfig;
import dev.chase.config.TrainConfig;
import dev.chase.data.BatchLoader;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.run.Checkpoint;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import dev.chase.run.RunFingerprints;
import dev.chase.run.ShrinkReport;
import dev.chase.run.SparsityMetrics;
import dev.chase.sparse.MaskSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Shrink while training against masked training with the same seed.
 *
 * <p>Why not bitwise: a narrower conv sums over fewer input channels, and the engine's kernels may
 * block those sums differently than over the masked (zero) channels, so results differ in the last
 * bits from the first step after an event (about 1e-8 on the weights here; the ResNet-20 runs below
 * are bitwise equal with one engine thread, not with two). Training carries such differences on.
 * Decisions that rank many values against one threshold (global magnitude pruning, gradient growth)
 * can then resolve near-ties the other way, and at the MEST soft bound, which swaps up to half the
 * budget per update, such flips cascade over later updates (as they do between two masked runs whose
 * weights differ by 1e-6). So the tests check: the exact carry-over of every piece of state at a
 * narrowing; a mask update right after an event that agrees up to a few near-tied positions (at
 * most 1% of the positions it changes; none measured); and whole runs whose mask updates precede
 * the events, so rounding cannot flip them, giving identical channel decisions after every event,
 * identical masks, and weights, loss and accuracy equal within rounding-sized tolerances.
 */
class ShrinkDuringTrainingTest {
    @TempDir
    Path tmp;

    /**
     * One epoch of 20 steps: mask updates at t = 5, 10, 15 (soft bound), channel events at t = 8 and
     * 18 (each removes channels).
     */
    private static TrainConfig config(String model, boolean pruneSkip, boolean shrink, Object... extra) {
        TrainConfig c = TrainConfig.defaults().with("model", model, "width", 0.25, "dataset", "synthetic", "epochs", 1,
                "batch-size", 100, "lr", 0.02, "lr-schedule", "cosine", "method", "chase", "update-interval", 5,
                "soft-bound-end", 1, "final-phase", false, "channel-interval", 10, "channel-end", 1, "channel-sparsity", 0.5,
                "prune-skip", pruneSkip, "shrink-during-training", shrink);
        return (extra.length == 0 ? c : c.with(extra)).resolved();
    }

    @ParameterizedTest
    @CsvSource({"vgg11,false", "resnet20,true"})
    void narrowingCarriesTheStateExactlyAndTheNextMaskUpdateAgrees(String model, boolean pruneSkip) {
        TrainConfig masked = config(model, pruneSkip, false);
        TrainConfig shrink = config(model, pruneSkip, true);
        DataBundle data = DataCatalog.open("synthetic", null, false);
        try (NDManager m = NDManager.newBaseManager();
                BatchLoader loader = new BatchLoader(data.train(), data.trainTransform(), 100, true, false, masked.seed());
                Instance a = new Instance(m, masked, loader.numBatches());
                Instance b = new Instance(m, shrink, loader.numBatches())) {
            while (!b.sparse.narrowingDue()) {
                a.step(loader);
                b.step(loader);
            }
            assertThat(b.t).as("the first channel event").isEqualTo(8);
            assertThat(a.sparse.model().structural()).isNotEmpty();

            // the masked run's state sliced to the alive channels (up to now both runs computed the same)
            NDManager snapshot = m.newSubManager();
            Shrinker slicer = Shrinker.of(a.net, a.sparse.channels().keptPositions());
            Map<String, Parameter> byKey = new LinkedHashMap<>();
            a.net.block().getParameters().forEach(p -> byKey.put(p.getKey(), p.getValue()));
            Map<String, NDArray> params = new LinkedHashMap<>();
            byKey.forEach((k, p) -> params.put(k, slicer.slice(p, p.getArray(), snapshot)));
            Map<String, NDArray> momentum = new LinkedHashMap<>();
            a.sgd.buffers().forEach((k, v) -> momentum.put(k, slicer.slice(byKey.get(k), v, snapshot)));
            Map<String, NDArray> masks = new LinkedHashMap<>();
            a.sparse.model().masks().masks().forEach((k, v) -> masks.put(k, slicer.slice(k, "weight", v, snapshot)));
            Map<String, NDArray> ever = new LinkedHashMap<>();
            a.sparse.model().everActive().forEach((k, v) -> ever.put(k, slicer.slice(k, "weight", v, snapshot)));
            BatchLoader.Batch probe = loader.load(0, 0, snapshot);
            NDArray logits = a.net.block().forward(new ParameterStore(snapshot, false), new NDList(probe.images()), false)
                    .singletonOrThrow();

            b.narrow();

            assertThat(b.net.spec()).isEqualTo(slicer.narrowSpec());
            for (Pair<String, Parameter> p : b.net.block().getParameters()) {
                assertThat(p.getValue().getArray().contentEquals(params.get(p.getKey()))).as(p.getKey()).isTrue();
            }
            assertThat(b.sgd.buffers().keySet()).isEqualTo(momentum.keySet());
            momentum.forEach((k, v) -> assertThat(b.sgd.buffer(k).contentEquals(v)).as("momentum " + k).isTrue());
            masks.forEach((k, v) -> assertThat(b.sparse.model().masks().mask(k).contentEquals(v)).as("mask " + k).isTrue());
            ever.forEach((k, v) -> assertThat(b.sparse.model().everActive().get(k).contentEquals(v)).as("ever " + k).isTrue());
            // nothing removed is held any more; budget, ITOP rate, densities and channel records read as on the masked run
            assertThat(b.sparse.model().structural()).isEmpty();
            assertThat(b.sparse.narrowingDue()).isFalse();
            assertThat(b.sparse.model().everActiveRemoved()).isPositive();
            assertSameSparsity(b.sparse.metrics(), a.sparse.metrics(), 2e-5);
            assertThat(b.sparse.channels().alive()).containsOnlyKeys(a.sparse.channels().alive().keySet());
            a.sparse.channels().alive().forEach((k, v) -> assertThat(b.sparse.channels().alive().get(k)).containsExactly(v));
            // the same function (eval mode, so the BatchNorm running statistics came along too)
            NDArray narrowLogits = b.net.block().forward(new ParameterStore(snapshot, false), new NDList(probe.images()), false)
                    .singletonOrThrow();
            assertThat(largestDifference(narrowLogits, logits)).isLessThan(1e-4);
            snapshot.close();

            // two more steps, the second with a mask update (soft bound: prune by magnitude to the budget, regrow by gradient)
            a.step(loader);
            b.step(loader);
            a.step(loader);
            b.step(loader);
            assertThat(a.sparse.lastUpdate()).isNotNull();
            long changed = a.sparse.lastUpdate().pruned() + a.sparse.lastUpdate().grown();
            assertThat(b.sparse.lastUpdate().pruned()).isEqualTo(a.sparse.lastUpdate().pruned());
            assertThat(b.sparse.lastUpdate().grown()).isEqualTo(a.sparse.lastUpdate().grown());
            assertThat(b.sparse.model().masks().nonZeros()).isEqualTo(a.sparse.model().masks().nonZeros());
            long differ = 0;
            try (NDManager s = m.newSubManager();
                    MaskSet sliced = slicer.shrinkMasks(a.sparse.model().masks(), s)) {
                for (String name : sliced.names()) {
                    try (NDArray d = sliced.mask(name).neq(b.sparse.model().masks().mask(name)).countNonzero()) {
                        differ += d.getLong();
                    }
                }
            }
            System.out.printf("%s: %d of %d mask positions changed by the update after the event differ%n", model, differ, changed);
            // measured: 0 to about 1 in 1000; a swapped pair counts twice
            assertThat(differ).isLessThanOrEqualTo(Math.max(2, changed / 100));
        }
    }

    @ParameterizedTest
    @CsvSource({"resnet20,false", "resnet20,true", "vgg11,false"})
    void makesTheMaskedRunsDecisionsOnTheNarrowerNetwork(String model, boolean pruneSkip) {
        // no mask updates (their interval exceeds the run), so rounding cannot flip them; channel events at t = 5, 10, 15
        Object[] timing = {"update-interval", 100, "channel-interval", 5};
        DataBundle data = DataCatalog.open("synthetic", null, false);
        try (TrainingRun masked = TrainingRun.create(tmp.resolve("masked"), config(model, pruneSkip, false, timing), data);
                TrainingRun shrunk = TrainingRun.create(tmp.resolve("shrunk"), config(model, pruneSkip, true, timing), data);
                NDManager m = NDManager.newBaseManager()) {
            Trace a = new Trace(masked, false);
            Trace b = new Trace(shrunk, true);
            masked.train(Integer.MAX_VALUE, a);
            shrunk.train(Integer.MAX_VALUE, b);

            // identical channel decisions after every event and identical mask counts after every step
            assertThat(a.aliveChanges).hasSize(4);
            assertThat(b.aliveChanges).containsExactlyElementsOf(a.aliveChanges);
            assertThat(b.nonZeros).containsExactlyElementsOf(a.nonZeros);

            // the masked run's final state, sliced to the alive channels, against the shrunk run's
            Shrinker slicer = Shrinker.of(masked.network(), masked.sparse().channels().keptPositions());
            try (MaskSet slicedMasks = slicer.shrinkMasks(masked.sparse().model().masks(), m)) {
                shrunk.sparse().model().masks().masks().forEach((name, mask) ->
                        assertThat(mask.contentEquals(slicedMasks.mask(name))).as("mask " + name).isTrue());
            }
            Network sliced = slicer.shrinkNetwork(m);
            Map<String, Parameter> expected = new LinkedHashMap<>();
            sliced.block().getParameters().forEach(p -> expected.put(p.getKey(), p.getValue()));
            Map<String, Parameter> maskedParams = new LinkedHashMap<>();
            masked.network().block().getParameters().forEach(p -> maskedParams.put(p.getKey(), p.getValue()));
            // parameters (BatchNorm running statistics included) and momentum buffers
            Difference parameters = new Difference();
            for (Pair<String, Parameter> p : shrunk.network().block().getParameters()) {
                NDArray want = expected.get(p.getKey()).getArray();
                assertThat(p.getValue().getArray().getShape()).as(p.getKey()).isEqualTo(want.getShape());
                parameters.add(p.getKey(), p.getValue().getArray(), want);
            }
            Difference momentum = new Difference();
            for (Map.Entry<String, NDArray> e : shrunk.momentum().entrySet()) {
                try (NDManager s = m.newSubManager()) {
                    momentum.add(e.getKey(), e.getValue(), slicer.slice(maskedParams.get(e.getKey()), masked.momentum().get(e.getKey()), s));
                }
            }
            EpochMetrics x = masked.history().get(0);
            EpochMetrics y = shrunk.history().get(0);
            System.out.printf("%s prune-skip %s: parameters differ by %s, momentum by %s; train loss by %.3g, test accuracy by %.3g%n",
                    model, pruneSkip, parameters, momentum, Math.abs(y.trainLoss() - x.trainLoss()),
                    Math.abs(y.testAccuracy() - x.testAccuracy()));
            // Relative differences measured on this machine (2 engine threads, the suite's setting; the kernels split
            // the narrower convs differently): ResNet-20 up to 1.1e-3 (a BatchNorm running variance) and 3e-2,
            // VGG-11 3.5e-5 and 2.6e-3. Momentum is the touchier one: it sums gradients, and a BatchNorm over a channel
            // of tiny variance scales input differences by up to 1/sqrt(eps). The exact carry-over is checked by the
            // test above; a mistake there would show here as order 1. With oneDNN's SSE4.1 kernels (DNNL_MAX_CPU_ISA=SSE41,
            // an AMD EPYC Zen 5, 2026-12-05): ResNet-20 parameters 1.7e-3, momentum 4.8e-2, UMM quantiles up to 2.3e-2.
            assertThat(parameters.worst).isLessThan(1e-2);
            assertThat(momentum.worst).isLessThan(1e-1);
            // the same sparsity and channel records (UMM statistics up to the weights' differences); the loss up to rounding
            assertSameSparsity(y.sparsity(), x.sparsity(), 5e-2);
            assertThat(y.trainLoss()).isCloseTo(x.trainLoss(), offset(1e-4));
            // one test image of 500 may flip where two logits nearly tie
            assertThat(y.testAccuracy()).isCloseTo(x.testAccuracy(), offset(1.0 / 500 + 1e-9));

            // the end-of-run shrink and the final model
            ShrinkReport rx = masked.shrinkReport();
            ShrinkReport ry = shrunk.shrinkReport();
            assertThat(ry.widthsBefore()).isEqualTo(rx.widthsBefore());
            assertThat(ry.widthsAfter()).isEqualTo(rx.widthsAfter());
            assertThat(ry.denseWeights()).isEqualTo(rx.denseWeights());
            assertThat(ry.slimWeights()).isEqualTo(rx.slimWeights());
            assertThat(ry.nonZeros()).isEqualTo(rx.nonZeros());
            assertThat(ry.slimTestAccuracy()).isCloseTo(rx.slimTestAccuracy(), offset(1.0 / 500 + 1e-9));
            assertThat(ry.recalibratedTestAccuracy()).isCloseTo(rx.recalibratedTestAccuracy(), offset(1.0 / 500 + 1e-9));
            // model/ holds the configured architecture in both modes: sliced to the alive channels it is exactly the
            // network the shrunk run trained, and the masked run's model/ computes the same function
            Network saved = SavedModel.load(tmp.resolve("shrunk").resolve("model"), m);
            assertThat(saved.spec()).isEqualTo(masked.network().spec());
            Network savedSliced = Shrinker.of(saved, shrunk.sparse().channels().live().presentChannels()).shrinkNetwork(m);
            Map<String, Parameter> trained = new LinkedHashMap<>();
            shrunk.network().block().getParameters().forEach(p -> trained.put(p.getKey(), p.getValue()));
            savedSliced.block().getParameters().forEach(p ->
                    assertThat(p.getValue().getArray().contentEquals(trained.get(p.getKey()).getArray())).as(p.getKey()).isTrue());
            try (BatchLoader test = new BatchLoader(data.test(), data.evalTransform(), 100, false, false, 0)) {
                assertThat(Evaluator.evaluate(saved.block(), test, m).accuracy())
                        .isCloseTo(Evaluator.evaluate(SavedModel.load(tmp.resolve("masked").resolve("model"), m).block(), test, m)
                                .accuracy(), offset(1.0 / 500 + 1e-9));
            }
        }
    }

    @Test
    void aResumedRunRebuildsTheNarrowerNetworkAndContinuesBitwise() throws Exception {
        // two epochs, mask updates every 5 steps and channel events at t = 8, 18, 28, 38
        TrainConfig c = config("resnet20", true, true, "epochs", 2, "soft-bound-end", 2, "channel-end", 2);
        DataBundle data = DataCatalog.open("synthetic", null, false);
        try (TrainingRun a = TrainingRun.create(tmp.resolve("a"), c, data)) {
            a.train(Integer.MAX_VALUE, TrainListener.SILENT);
        }
        try (TrainingRun b = TrainingRun.create(tmp.resolve("b"), c, data)) {
            b.train(1, TrainListener.SILENT);
        }
        RunDirectory dirB = RunDirectory.open(tmp.resolve("b"));
        Network original = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
        try (TrainingRun a = TrainingRun.resume(tmp.resolve("a"), data);
                TrainingRun b = TrainingRun.resume(tmp.resolve("b"), data)) {
            // the checkpoint recorded the narrower network, and the resume rebuilt it
            assertThat(b.network().spec()).isNotEqualTo(original.spec())
                    .isEqualTo(original.spec().withGroupWidths(b.sparse().channels().widths()))
                    .isEqualTo(Checkpoint.readHeader(dirB.latestCheckpoint().orElseThrow()).netSpec());
            assertThat(b.sparse().model().everActiveRemoved()).isPositive();
            b.train(Integer.MAX_VALUE, TrainListener.SILENT);
            var pa = a.network().block().getParameters();
            var pb = b.network().block().getParameters();
            assertThat(pb.size()).isEqualTo(pa.size());
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i).getValue().getArray().contentEquals(pa.get(i).getValue().getArray())).as(pa.get(i).getKey()).isTrue();
            }
            a.momentum().forEach((k, v) -> assertThat(b.momentum().get(k).contentEquals(v)).as("momentum " + k).isTrue());
            a.sparse().model().masks().masks().forEach((k, v) ->
                    assertThat(b.sparse().model().masks().mask(k).contentEquals(v)).as("mask " + k).isTrue());
            a.sparse().channels().alive().forEach((k, v) -> assertThat(b.sparse().channels().alive().get(k)).as(k).containsExactly(v));
            for (int e = 0; e < 2; e++) {
                assertThat(b.history().get(e).sparsity()).isEqualTo(a.history().get(e).sparsity());
                assertThat(b.history().get(e).testAccuracy()).isEqualTo(a.history().get(e).testAccuracy());
            }
            // the final model is in the configured architecture; the end-of-run shrink had nothing left to remove
            try (NDManager m = NDManager.newBaseManager()) {
                assertThat(SavedModel.load(tmp.resolve("b").resolve("model"), m).spec()).isEqualTo(original.spec());
                assertThat(SavedModel.load(tmp.resolve("b").resolve("model-slim"), m).spec()).isEqualTo(b.network().spec());
            }
            assertThat(b.shrinkReport().slimWeights()).isEqualTo(b.network().maskableWeights().stream()
                    .mapToLong(w -> w.shape().size()).sum());
            assertThat(b.shrinkReport().denseWeights()).isEqualTo(original.maskableWeights().stream()
                    .mapToLong(w -> w.shape().size()).sum());
        }

        // a config that does not shrink cannot take over the narrower checkpoint: the checksum in fingerprints.json refuses
        // any edit; without it (a run from an older chase) the checkpoint's own checks do
        java.nio.file.Files.delete(tmp.resolve("b").resolve(RunFingerprints.FILE));
        Path config = tmp.resolve("b").resolve("config.json");
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.chase.io.Json.MAPPER.readTree(config.toFile());
        tree.put("shrink-during-training", false);
        java.nio.file.Files.writeString(config, dev.chase.io.Json.writePretty(tree));
        assertThatThrownBy(() -> TrainingRun.resume(tmp.resolve("b"), data))
                .isInstanceOf(dev.chase.ChaseException.class).hasMessageContaining("does not match this model");
        // nor can a shrinking config of another architecture: the checkpoint's network is no narrowing of it
        tree.put("shrink-during-training", true);
        tree.put("model", "resnet32");
        java.nio.file.Files.writeString(config, dev.chase.io.Json.writePretty(tree));
        assertThatThrownBy(() -> TrainingRun.resume(tmp.resolve("b"), data))
                .isInstanceOf(dev.chase.ChaseException.class).hasMessageContaining("is not the run's resnet32 with fewer channels");
    }

    /**
     * Equal sparsity records: every count and density exactly; the UMM quantiles of the per-conv
     * statistics up to a relative tolerance: UMM sums |W| over a narrower filter on the shrunk network
     * (the removed entries are zeros, but the summation order can change the last bit, which the
     * 6-digit quantiles may show), and it follows the weights' own rounding differences.
     */
    private static void assertSameSparsity(SparsityMetrics actual, SparsityMetrics expected, double ummTolerance) {
        assertThat(new SparsityMetrics(actual.nonZeros(), actual.budget(), actual.density(), actual.liveDensity(),
                actual.itopRate(), actual.layers(), actual.channels(), null))
                .isEqualTo(new SparsityMetrics(expected.nonZeros(), expected.budget(), expected.density(), expected.liveDensity(),
                        expected.itopRate(), expected.layers(), expected.channels(), null));
        assertThat(actual.convChannels().keySet()).containsExactlyElementsOf(expected.convChannels().keySet());
        expected.convChannels().forEach((layer, e) -> {
            SparsityMetrics.ConvLayer a = actual.convChannels().get(layer);
            assertThat(new SparsityMetrics.ConvLayer(a.channels(), a.dead(), a.prunable(), a.aliveDensity(), a.ratio(), null,
                    a.amenable())).as(layer).isEqualTo(new SparsityMetrics.ConvLayer(e.channels(), e.dead(), e.prunable(),
                            e.aliveDensity(), e.ratio(), null, e.amenable()));
            double[] x = quantiles(a.umm());
            double[] y = quantiles(e.umm());
            for (int i = 0; i < y.length; i++) {
                assertThat(x[i]).as(layer + " UMM quantile " + i).isCloseTo(y[i], offset(ummTolerance * Math.abs(y[i])));
            }
        });
    }

    private static double[] quantiles(SparsityMetrics.Quantiles q) {
        return q == null ? new double[0] : new double[] {q.min(), q.p10(), q.p25(), q.median(), q.p75(), q.p90(), q.max()};
    }

    /** A sparse-training state driven step by step, as {@link TrainingRun} drives it. */
    private static final class Instance implements AutoCloseable {
        final NDManager parent;
        final TrainConfig config;
        final Sgd sgd;
        final SparseTraining sparse;
        NDManager netManager;
        Network net;
        TrainStep trainStep;
        long t;

        Instance(NDManager parent, TrainConfig config, int stepsPerEpoch) {
            this.parent = parent;
            this.config = config;
            Engine.getInstance().setRandomSeed((int) config.seed());
            net = Network.build(NetSpecs.named(config.model(), 3, 10, config.width()));
            netManager = parent.newSubManager();
            net.initialize(netManager);
            sgd = new Sgd(parent, config.momentum(), config.weightDecay());
            sparse = SparseTraining.start(parent, net, sgd, RunConfig.from(config).resolved(), stepsPerEpoch, null);
            trainStep = new TrainStep(net.block(), sgd, new CrossEntropy(0), sparse);
        }

        void step(BatchLoader loader) {
            try (NDManager sub = parent.newSubManager()) {
                BatchLoader.Batch batch = loader.load((int) (t / loader.numBatches()), (int) (t % loader.numBatches()), sub);
                assertThat(trainStep.run(sub, batch.images(), batch.labels(), config.lr(), ++t).finite()).isTrue();
            }
        }

        void narrow() {
            NDManager next = parent.newSubManager();
            net = sparse.narrow(next);
            trainStep = new TrainStep(net.block(), sgd, new CrossEntropy(0), sparse);
            netManager.close();
            netManager = next;
        }

        @Override
        public void close() {
            sparse.close();
            netManager.close();
        }
    }

    /** What a run looked like after every step. */
    private static final class Trace implements TrainListener {
        private final TrainingRun run;
        private final boolean shrinks;
        final List<Long> nonZeros = new ArrayList<>();
        final List<String> aliveChanges = new ArrayList<>();
        private Map<String, boolean[]> last;
        private long step;

        Trace(TrainingRun run, boolean shrinks) {
            this.run = run;
            this.shrinks = shrinks;
        }

        @Override
        public void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
            step++;
            SparseTraining sparse = run.sparse();
            nonZeros.add(sparse.model().masks().nonZeros());
            Map<String, boolean[]> alive = sparse.channels().alive();
            if (last == null || alive.entrySet().stream().anyMatch(e -> !Arrays.equals(e.getValue(), last.get(e.getKey())))) {
                StringBuilder s = new StringBuilder("step " + step + ":");
                alive.forEach((name, a) -> s.append(' ').append(name).append('=').append(Arrays.toString(a)));
                aliveChanges.add(s.toString());
                last = new LinkedHashMap<>();
                alive.forEach((name, a) -> last.put(name, a.clone()));
            }
            if (shrinks) {
                // after every step the network holds exactly the alive channels and nothing is masked structurally
                assertThat(sparse.narrowingDue()).isFalse();
                assertThat(sparse.model().structural()).isEmpty();
                assertThat(run.network().spec()).isEqualTo(NetSpecs.named(run.config().model(), 3, 10, run.config().width())
                        .withGroupWidths(sparse.channels().widths()));
            }
        }
    }

    /**
     * The largest max |a - b| / (1 + max |b|) over pairs of tensors: absolute for tensors of entries
     * below 1 (weights, momentum, and those whose gradient is pure rounding noise, like a conv bias
     * before a BatchNorm), relative for large ones (running variances).
     */
    private static final class Difference {
        double worst;
        String where = "nothing";

        void add(String name, NDArray a, NDArray b) {
            try (NDArray d = a.sub(b).abs().max();
                    NDArray scale = b.abs().max()) {
                double x = d.getFloat() / (1 + scale.getFloat());
                if (x > worst) {
                    worst = x;
                    where = name;
                }
            }
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.3g (%s)", worst, where);
        }
    }

    private static double largestDifference(NDArray a, NDArray b) {
        try (NDArray d = a.sub(b).abs().max()) {
            return d.getFloat();
        }
    }
}
