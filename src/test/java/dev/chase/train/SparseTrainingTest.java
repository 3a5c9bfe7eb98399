package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.chase.config.RunConfig;
import dev.chase.config.TrainConfig;
import dev.chase.data.BatchLoader;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.sparse.CosineDecay;
import dev.chase.sparse.SparseModel;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariants of every sparse method over a real (short) training run, checked after every step. */
class SparseTrainingTest {
    private static final int STEPS_PER_EPOCH = 40;
    private static final int EPOCHS = 2;

    private static TrainConfig config(String method, Object... extra) {
        Object[] base = {"model", "resnet20", "width", 0.25, "dataset", "synthetic", "epochs", EPOCHS, "batch-size", 50,
            "lr", 0.05, "lr-schedule", "cosine", "method", method};
        Object[] all = new Object[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return TrainConfig.defaults().with(all).resolved();
    }

    @ParameterizedTest
    @ValueSource(strings = {"static", "set", "rigl", "rigl-global", "mest"})
    void invariantsHoldAfterEveryStep(String variant) {
        String method = variant.replace("-global", "");
        TrainConfig c = variant.endsWith("-global")
                ? config(method, "update-interval", 7, "scope", "global")
                : method.equals("mest") ? config(method, "update-interval", 7, "soft-bound-end", 1)
                : method.equals("static") ? config(method) : config(method, "update-interval", 7);
        DataBundle data = DataCatalog.open("synthetic", null, false);
        try (NDManager m = NDManager.newBaseManager();
                BatchLoader loader = new BatchLoader(data.train(), data.trainTransform(), c.batchSize(), true, false, c.seed())) {
            assertThat(loader.numBatches()).isEqualTo(STEPS_PER_EPOCH);
            Engine.getInstance().setRandomSeed((int) c.seed());
            Network net = Network.build(NetSpecs.named(c.model(), 3, 10, c.width()));
            net.initialize(m);
            Sgd sgd = new Sgd(m, c.momentum(), c.weightDecay());
            try (SparseTraining sparse = SparseTraining.start(m, net, sgd, RunConfig.from(c).resolved(), STEPS_PER_EPOCH, null)) {
                SparseModel model = sparse.model();
                long dTot = model.budget().totalParams();
                long initialNnz = model.masks().nonZeros();
                assertThat((double) initialNnz).isCloseTo(0.1 * dTot, org.assertj.core.data.Offset.offset(net.maskableWeights().size() + 1.0));
                Map<String, Long> initialPerLayer = model.masks().nonZerosPerTensor();
                Map<String, NDArray> initialMasks = new LinkedHashMap<>();
                model.masks().masks().forEach((k, v) -> initialMasks.put(k, v.duplicate()));
                Map<String, String> sgdKeys = sgdKeys(net);
                TrainStep step = new TrainStep(net.block(), sgd, new CrossEntropy(0), sparse);
                long t = 0;
                int updates = 0;
                CosineDecay g = CosineDecay.softBound(c.density(), c.deathRate() == null ? 0 : c.deathRate(), STEPS_PER_EPOCH);
                for (int e = 0; e < EPOCHS; e++) {
                    for (int b = 0; b < STEPS_PER_EPOCH; b++) {
                        try (NDManager sub = m.newSubManager()) {
                            BatchLoader.Batch batch = loader.load(e, b, sub);
                            DstUpdaterProbe before = new DstUpdaterProbe(sparse.lastUpdate());
                            t++;
                            assertThat(step.run(sub, batch.images(), batch.labels(), 0.05, t).finite()).isTrue();
                            boolean updated = before.changed(sparse.lastUpdate());
                            updates += updated ? 1 : 0;
                            assertMaskedZero(net, sgd, sgdKeys, model);
                            long nnz = model.masks().nonZeros();
                            switch (method) {
                                case "static" -> {
                                    assertThat(updated).isFalse();
                                    initialMasks.forEach((k, v) -> assertThat(model.masks().mask(k).contentEquals(v)).isTrue());
                                }
                                case "set", "rigl" -> {
                                    assertThat(nnz).isEqualTo(initialNnz);
                                    if (c.scope().equals("layer")) {
                                        assertThat(model.masks().nonZerosPerTensor()).isEqualTo(initialPerLayer);
                                    }
                                }
                                case "mest" -> {
                                    if (updated && t < STEPS_PER_EPOCH) {
                                        assertThat(nnz).as("soft bound at t=%d", t).isEqualTo((long) Math.floor(dTot * g.value(t)));
                                    } else if (updated) {
                                        assertThat(nnz).as("final phase at t=%d", t).isEqualTo((long) Math.floor(0.1 * dTot));
                                    }
                                }
                                default -> throw new IllegalStateException(method);
                            }
                        }
                    }
                }
                int expected = switch (method) {
                    case "static" -> 0;
                    // updates at t = 7, 14, ... while t < 0.75 * 80 = 60
                    case "set", "rigl" -> 8;
                    // every 7 steps over all 80 (soft bound until 40, then the final phase)
                    default -> 11;
                };
                assertThat(updates).isEqualTo(expected);
                if (!method.equals("static")) {
                    assertThat(model.itopRate()).isGreaterThan((double) initialNnz / dTot);
                }
                initialMasks.values().forEach(NDArray::close);
            }
        }
    }

    @Test
    void staticAtFullDensityTrainsExactlyLikeDense() {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        TrainConfig dense = config("dense");
        TrainConfig full = config("static", "density", 1.0);
        try (TrainingRun a = TrainingRun.create(tmp("dense"), dense, data);
                TrainingRun b = TrainingRun.create(tmp("full"), full, data)) {
            a.train(1, TrainListener.SILENT);
            b.train(1, TrainListener.SILENT);
            var pa = a.network().block().getParameters();
            var pb = b.network().block().getParameters();
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i).getValue().getArray().contentEquals(pa.get(i).getValue().getArray())).as(pa.get(i).getKey()).isTrue();
            }
            assertThat(b.history().get(0).sparsity().density()).isEqualTo(1.0);
            assertThat(a.history().get(0).sparsity()).isNull();
        }
    }

    private static java.nio.file.Path tmp(String name) {
        try {
            return java.nio.file.Files.createTempDirectory("chase-" + name).resolve("run");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> sgdKeys(Network net) {
        Map<Parameter, String> keys = new IdentityHashMap<>();
        for (Pair<String, Parameter> p : net.block().getParameters()) {
            keys.put(p.getValue(), p.getKey());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (MaskableWeight w : net.maskableWeights()) {
            out.put(w.name(), keys.get(w.parameter()));
        }
        return out;
    }

    private static void assertMaskedZero(Network net, Sgd sgd, Map<String, String> sgdKeys, SparseModel model) {
        for (MaskableWeight w : net.maskableWeights()) {
            NDArray mask = model.masks().mask(w.name());
            try (NDArray off = mask.eq(0);
                    NDArray wOff = w.parameter().getArray().abs().mul(off);
                    NDArray wMax = wOff.max()) {
                assertThat(wMax.getFloat()).as("masked weights of %s", w.name()).isZero();
                NDArray buf = sgd.buffer(sgdKeys.get(w.name()));
                if (buf != null) {
                    try (NDArray bOff = buf.abs().mul(off);
                            NDArray bMax = bOff.max()) {
                        assertThat(bMax.getFloat()).as("momentum of masked weights of %s", w.name()).isZero();
                    }
                }
            }
        }
    }

    /** Tells whether a new mask update happened (the updater's last result object changed). */
    private record DstUpdaterProbe(Object last) {
        boolean changed(Object now) {
            return now != last;
        }
    }
}
