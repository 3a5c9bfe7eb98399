package dev.chase.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.config.TrainConfig;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guards against a sparse core that stalls early: on the shape of the reference's short VGG
 * schedule (plain VGG, batch 100, lr 0.1 then 0.01, a soft-bound update every 13 steps whose
 * first one grows half the budget again at zero, channel events), the per-step training loss of a
 * sparse run must fall as the same run made dense does. A core that breaks the network at an
 * update (the wrong weights pruned, grown weights not starting at zero, masks and momentum out
 * of step) stays near chance (ln 10) instead. The synthetic set keeps it fast: the dense run
 * leaves chance within the first 20 steps.
 */
class EarlyLearningTest {
    private static final double CHANCE = Math.log(10);

    @TempDir
    static Path tmp;

    /** The dense reference curve, trained once for all methods. */
    private static List<Float> dense;

    private static TrainConfig config(String method) {
        TrainConfig c = TrainConfig.defaults().with("model", "vgg11", "width", 0.25, "dataset", "synthetic", "epochs", 2,
                "batch-size", 100, "lr", 0.1, "lr-schedule", "step", "seed", 41, "method", method);
        if (!method.equals("dense")) {
            c = c.with("density", 0.1, "update-interval", 13, "death-rate", 0.05, "soft-bound-end", 2);
        }
        if (method.equals("chase")) {
            c = c.with("channel-sparsity", 0.5, "min-ratio", 0.2, "channel-interval", 26);
        }
        return c;
    }

    private static List<Float> stepLoss(String method) {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        try (TrainingRun run = TrainingRun.create(tmp.resolve(method), config(method), data)) {
            run.train(Integer.MAX_VALUE, TrainListener.SILENT);
            return run.history().stream().flatMap(m -> m.stepLoss().stream()).toList();
        }
    }

    private static double mean(List<Float> losses, int from, int to) {
        return losses.subList(from, to).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mest", "chase"})
    void aSparseRunLeavesChanceAsTheDenseRunDoes(String method) {
        if (dense == null) {
            dense = stepLoss("dense");
        }
        List<Float> sparse = stepLoss(method);
        assertThat(sparse).hasSize(dense.size()).hasSize(40);
        // steps 14-20 follow the first soft-bound update (step 13); steps 31-40 come after the
        // second and third (26, 39), Chase's channel event (step 20, which removes 44% of the
        // channels at once and costs a few steps near chance) and the drop to lr 0.01 (after 20)
        for (int[] window : new int[][] {{13, 20}, {30, 40}}) {
            double d = mean(dense, window[0], window[1]);
            double s = mean(sparse, window[0], window[1]);
            assertThat(d).as("dense loss, steps %d-%d", window[0] + 1, window[1]).isLessThan(0.5 * CHANCE);
            assertThat(s).as("%s loss, steps %d-%d (dense %.3f)", method, window[0] + 1, window[1], d)
                    .isLessThan(0.5 * CHANCE).isLessThan(d + 0.5);
        }
    }
}
