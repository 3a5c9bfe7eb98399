package dev.chase.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Histogram binning of ρ_{ℓ,c}/ρ_ℓ: left-closed bins of 0.1, the last one open to the right. */
class ChannelAnalysisTest {
    @Test
    void binsAreLeftClosedAndTheLastIsOpen() {
        assertThat(ChannelAnalysis.bin(0)).isZero();
        assertThat(ChannelAnalysis.bin(0.0999)).isZero();
        // 3/10 computed from counts lands on the edge 0.3 exactly, not in the bin below
        assertThat(ChannelAnalysis.bin(3.0 / 10)).isEqualTo(3);
        assertThat(ChannelAnalysis.bin(0.29999)).isEqualTo(2);
        assertThat(ChannelAnalysis.bin(1.0)).isEqualTo(10);
        assertThat(ChannelAnalysis.bin(1.99)).isEqualTo(19);
        assertThat(ChannelAnalysis.bin(2.0)).isEqualTo(20);
        assertThat(ChannelAnalysis.bin(17.5)).isEqualTo(20);
        assertThat(ChannelAnalysis.criterion("0")).isEqualTo("empty (ratio = 0)");
        assertThat(ChannelAnalysis.criterion("0.5")).isEqualTo("ratio <= 0.5");
    }
}
