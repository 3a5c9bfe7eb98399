package dev.chase.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chase.ChaseException;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void softBoundGrowTargetMatchesSpec54() {
        CosineDecay g = CosineDecay.softBound(0.1, 0.05, 65_000);
        assertThat(g.value(0)).isCloseTo(0.15, within(1e-12));
        assertThat(g.value(1_000)).isCloseTo(0.14997, within(5e-6));
        assertThat(g.value(16_000)).isCloseTo(0.14289, within(5e-6));
        assertThat(g.value(32_000)).isCloseTo(0.12560, within(5e-6));
        assertThat(g.value(48_000)).isCloseTo(0.10797, within(5e-6));
        assertThat(g.value(64_000)).isCloseTo(0.10003, within(5e-6));
        assertThat(g.value(65_000)).isEqualTo(0.1);
        assertThat(g.value(70_000)).isEqualTo(0.1);
    }

    @Test
    void finalPhaseRateMatchesSpec56() {
        CosineDecay r = CosineDecay.finalPhase(80_000);
        assertThat(r.value(65_000)).isCloseTo(0.0467, within(5e-5));
        assertThat(r.value(70_000)).isCloseTo(0.0238, within(5e-5));
        assertThat(r.value(75_000)).isCloseTo(0.0098, within(5e-5));
        assertThat(r.value(80_000)).isCloseTo(0.005, within(1e-12));
    }

    @Test
    void riglUpdateFractionDecaysToZeroAtTEnd() {
        CosineDecay f = CosineDecay.updateFraction(0.3, 75_000);
        assertThat(f.value(0)).isCloseTo(0.3, within(1e-12));
        assertThat(f.value(37_500)).isCloseTo(0.15, within(1e-12));
        assertThat(f.value(74_999)).isGreaterThan(0.0).isLessThan(1e-9);
        assertThat(f.value(75_000)).isZero();
        assertThat(f.value(100_000)).isZero();
    }

    @Test
    void invalidSettingsAreUserErrors() {
        assertThatThrownBy(() -> CosineDecay.softBound(0.98, 0.05, 100)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("p0");
        assertThatThrownBy(() -> CosineDecay.softBound(0.1, 0.05, 0)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("T_dst");
        assertThatThrownBy(() -> CosineDecay.updateFraction(1.5, 10)).isInstanceOf(ChaseException.class);
        assertThatThrownBy(() -> new Budget(100, 0)).isInstanceOf(ChaseException.class);
    }

    @Test
    void budgetCounts() {
        // ResNet-50 / CIFAR-100: B = 2 365 203.2 is not an integer.
        Budget b = new Budget(23_652_032, 0.1);
        assertThat(b.baseline()).isCloseTo(2_365_203.2, within(1e-6));
        assertThat(b.pruneToBudget(2_365_204)).as("kill 0.8 < 1: the guard of §10 #3b").isZero();
        assertThat(b.pruneToBudget(2_365_200)).isZero();
        assertThat(b.pruneToBudget(2_365_205)).isEqualTo(2); // kill 1.8 -> round
        assertThat(b.pruneToBudget(2_400_000)).isEqualTo(34_797);
        double g = CosineDecay.softBound(0.1, 0.05, 65_000).value(1_000);
        assertThat(b.growTo(g, 2_365_203)).isEqualTo((long) Math.floor(23_652_032 * g - 2_365_203));
        assertThat(b.growTo(0.05, 2_365_203)).isZero();
        assertThat(b.refill(2_365_000)).isEqualTo(203);
        assertThat(Budget.fractionOf(0.0467, 1000)).isEqualTo(47);
    }
}
