package dev.chase.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The legend series of {@code chase compare}: runs with different kinds of channel budget get different dots. */
class ComparisonTest {

    private static Comparison.Row row(String method, String budget, boolean pruneSkip) {
        return new Comparison.Row("runs/x", "x", "resnet32", "fashion-mnist", method, 0.1, 0.5, pruneSkip, budget, 0.9, 0.9,
                0.5, "shrunk", 100.0, 1.5, 1);
    }

    @Test
    void seriesTellBudgetKindsAndPruneSkipApart() {
        assertThat(row("chase", "S_c 0.3", false).series()).isEqualTo("chase, S_c budget");
        assertThat(row("chase", "S_c 0.7", false).series()).isEqualTo(row("chase", "S_c 0.3", false).series());
        assertThat(row("chase", "FLOPs 0.5", true).series()).isEqualTo("chase, FLOPs budget (prune skip)");
        assertThat(row("chase", "latency 0.5", false).series()).isEqualTo("chase, latency budget");
        assertThat(row("rigl", null, false).series()).isEqualTo("rigl");
    }
}
