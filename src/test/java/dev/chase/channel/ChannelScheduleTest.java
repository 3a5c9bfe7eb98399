package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chase.ChaseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The channel-sparsity schedule and event timing (algorithm §6.3, §2.2, §10 #13). */
class ChannelScheduleTest {
    private static final ChannelSchedule VGG = ChannelSchedule.cubic(0.5, 65_000, 8_000, 1_000);

    @Test
    void vgg19EventsFallHalfAnUpdateIntervalBeforeEachMultipleOfTheChannelInterval() {
        List<Long> expected = List.of(7_500L, 15_500L, 23_500L, 31_500L, 39_500L, 47_500L, 55_500L, 63_500L);
        assertThat(VGG.events()).isEqualTo(expected);
        List<Long> scanned = LongStream.rangeClosed(-10_000, 90_000).filter(VGG::isEvent).boxed().toList();
        assertThat(scanned).isEqualTo(expected);
    }

    @Test
    void vgg19TargetsMatchTheSpec() {
        // Algorithm §6.3, checked independently: 0.5 * (1 - (1 - t/65000)^3).
        double[] expected = {0.1539, 0.2792, 0.3699, 0.4316, 0.4698, 0.4902, 0.4984, 0.5000};
        List<Long> events = VGG.events();
        for (int i = 0; i < expected.length; i++) {
            assertThat(VGG.target(events.get(i))).as("t = " + events.get(i)).isCloseTo(expected[i], within(5e-5));
        }
        assertThat(VGG.target(7_500)).isCloseTo(0.5 * (1 - Math.pow(57_500.0 / 65_000, 3)), within(1e-15));
    }

    @Test
    void targetIsZeroBeforeAndFinalAfter() {
        assertThat(VGG.target(-5)).isZero();
        assertThat(VGG.target(0)).isZero();
        assertThat(VGG.target(65_000)).isEqualTo(0.5);
        assertThat(VGG.target(1_000_000)).isEqualTo(0.5);
        double previous = 0;
        for (long t = 0; t <= 65_000; t += 500) {
            assertThat(VGG.target(t)).isGreaterThanOrEqualTo(previous);
            previous = VGG.target(t);
        }
    }

    @Test
    void cosineForm() {
        ChannelSchedule cos = ChannelSchedule.of(ChannelSchedule.Form.named("cosine"), 0.4, 1000, 100, 10);
        assertThat(cos.target(500)).isCloseTo(0.2, within(1e-12));
        assertThat(cos.target(250)).isCloseTo(0.4 * (1 - Math.cos(Math.PI / 4)) / 2, within(1e-12));
        assertThat(cos.target(1000)).isCloseTo(0.4, within(1e-12));
        assertThat(cos.target(0)).isZero();
        assertThat(cos.events()).startsWith(95L, 195L).endsWith(995L).hasSize(10);
    }

    @Test
    void resnet50EventsEveryThousandIterations() {
        ChannelSchedule r50 = ChannelSchedule.cubic(0.5, 65_000, 1_000, 1_000);
        List<Long> events = r50.events();
        assertThat(events).hasSize(65).startsWith(500L, 1_500L).endsWith(64_500L);
    }

    @Test
    void cumulativeRemovalsOverTheVgg19Events() {
        // Canonical removal of exactly ceil(R) leaves floor(C0 (1 - s)) channels, i.e. ceil(C0 s) removed
        // so far; algorithm §6.3's "approx. 768, 1394, ..." are C0 s rounded to the nearest integer.
        int c0 = 4992;
        int[] expected = {769, 1394, 1847, 2155, 2346, 2448, 2489, 2496};
        double[] spec = {768, 1394, 1846, 2154, 2345, 2447, 2488, 2496};
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        // One big group with distinct scores: no floor is ever hit, so only the count matters.
        boolean[] alive = new boolean[c0];
        java.util.Arrays.fill(alive, true);
        double[] scores = new double[c0];
        for (int i = 0; i < c0; i++) {
            scores[i] = (i * 7919) % c0;
        }
        List<Integer> cumulative = new ArrayList<>();
        for (long t : VGG.events()) {
            ChannelPruner.Event e = pruner.prune(List.of(new GroupState("all", c0, 1, alive, scores)), VGG.target(t));
            alive = e.group("all").alive();
            cumulative.add(c0 - e.group("all").live());
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat(cumulative.get(i)).isEqualTo(expected[i]);
            assertThat((double) cumulative.get(i)).isCloseTo(spec[i], within(1.0));
        }
    }

    @Test
    void badSettingsAreUserErrors() {
        assertThatThrownBy(() -> ChannelSchedule.cubic(1.0, 100, 10, 10))
                .isInstanceOf(ChaseException.class).hasMessageContaining("S_c");
        assertThatThrownBy(() -> ChannelSchedule.cubic(-0.1, 100, 10, 10)).isInstanceOf(ChaseException.class);
        assertThatThrownBy(() -> ChannelSchedule.cubic(0.5, 0, 10, 10))
                .isInstanceOf(ChaseException.class).hasMessageContaining("T_c");
        assertThatThrownBy(() -> ChannelSchedule.cubic(0.5, 100, 0, 10))
                .isInstanceOf(ChaseException.class).hasMessageContaining("interval");
        assertThatThrownBy(() -> ChannelSchedule.Form.named("linear"))
                .isInstanceOf(ChaseException.class).hasMessageContaining("cubic or cosine");
    }
}
