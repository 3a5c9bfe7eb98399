package dev.chase.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chase.report.Comparison;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mean ± sd over seeds per configuration and Δ to the baseline, from hand-made run results. */
class SweepResultsTest {
    private static final SweepPlan PLAN = SweepPlan.expand(new SweepSpec(Path.of("grid.yaml"), Map.of("dataset", "fashion-mnist"),
            List.of(new SweepSpec.Axis("model", List.of("resnet32", "vgg16")), new SweepSpec.Axis("seed", List.of("1", "2"))),
            List.of(Map.of("method", "rigl"), ordered("method", "chase", "target-flops", "0.5")), Map.of("method", "rigl")));

    /** Keys in the order given, as a sweep file's mapping has them (Map.of has no order). */
    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private final Map<String, Comparison.Row> rows = new LinkedHashMap<>();

    private void finished(String method, String model, String seed, double accuracy, Double imagesPerSecond) {
        SweepEntry e = PLAN.entries().stream().filter(x -> x.config().get("method").equals(method) && x.config().get("model").equals(model)
                && x.config().get("seed").equals(seed)).findFirst().orElseThrow();
        rows.put(e.name(), new Comparison.Row("runs/" + e.name(), e.name(), model, "fashion-mnist", method, 0.1, 0, false, null,
                accuracy, accuracy, 0.5, "masked", imagesPerSecond, imagesPerSecond == null ? null : 1.0, imagesPerSecond == null ? null : 1));
    }

    @Test
    void meanAndSampleSdOverSeedsAndDeltaToTheBaselineOfTheSameModel() {
        finished("rigl", "resnet32", "1", 0.90, 100.0);
        finished("rigl", "resnet32", "2", 0.92, 200.0);
        finished("chase", "resnet32", "1", 0.88, null); // seed 2 unfinished
        finished("rigl", "vgg16", "1", 0.80, null);
        finished("rigl", "vgg16", "2", 0.80, null);
        finished("chase", "vgg16", "1", 0.85, null);
        finished("chase", "vgg16", "2", 0.83, null);
        SweepResults results = SweepResults.of(PLAN, rows, new Comparison(Comparison.BATCH_SIZE, List.copyOf(rows.values())));

        Map<String, SweepResults.Configuration> byLabel = new LinkedHashMap<>();
        results.configurations().forEach(c -> byLabel.put(c.label(), c));
        assertThat(byLabel).containsOnlyKeys("rigl-resnet32", "rigl-vgg16", "chase-target-flops0.5-resnet32", "chase-target-flops0.5-vgg16");

        SweepResults.Configuration rigl = byLabel.get("rigl-resnet32");
        assertThat(rigl.accuracy().mean()).isCloseTo(0.91, within(1e-12));
        assertThat(rigl.accuracy().sd()).isCloseTo(Math.sqrt(2 * 0.01 * 0.01), within(1e-12));
        assertThat(rigl.imagesPerSecond()).isCloseTo(150.0, within(1e-12));
        assertThat(rigl.deltaAccuracy()).isCloseTo(0.0, within(1e-12));

        SweepResults.Configuration chase = byLabel.get("chase-target-flops0.5-resnet32");
        assertThat(chase.finished()).isEqualTo(1);
        assertThat(chase.runs()).isEqualTo(2);
        assertThat(chase.seeds()).containsExactly("1");
        assertThat(chase.accuracy().sd()).as("one seed has no sd").isNull();
        assertThat(chase.baseline()).isEqualTo("rigl-resnet32");
        assertThat(chase.deltaAccuracy()).isCloseTo(-0.03, within(1e-12));

        SweepResults.Configuration chaseVgg = byLabel.get("chase-target-flops0.5-vgg16");
        assertThat(chaseVgg.baseline()).isEqualTo("rigl-vgg16");
        assertThat(chaseVgg.deltaAccuracy()).isCloseTo(0.04, within(1e-12));
        assertThat(byLabel.get("rigl-vgg16").accuracy().sd()).isCloseTo(0.0, within(1e-12));

        String md = results.markdown();
        assertThat(md).contains("| rigl-resnet32 | 2/2 | 1, 2 | 91.00 ± 1.41 | +0.00 | rigl-resnet32 |")
                .contains("| chase-target-flops0.5-resnet32 | 1/2 | 1 | 88.00 | -3.00 | rigl-resnet32 |")
                .contains("| chase-target-flops0.5-vgg16 | 2/2 | 1, 2 | 84.00 ± 1.41 | +4.00 | rigl-vgg16 |")
                .contains("| 150.0 |");
    }

    @Test
    void noFinishedRunsGiveAnEmptyTableAndNoDelta() {
        SweepResults results = SweepResults.of(PLAN, Map.of(), null);
        assertThat(results.configurations()).hasSize(4).allSatisfy(c -> {
            assertThat(c.accuracy()).isNull();
            assertThat(c.deltaAccuracy()).isNull();
            assertThat(c.finished()).isZero();
        });
        assertThat(results.markdown()).contains("| rigl-resnet32 | 0/2 |  | – | – | rigl-resnet32 |");
    }
}
