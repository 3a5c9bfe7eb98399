package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhysicalChannelsTest {
    private static Map<String, boolean[]> vectors(boolean[] a, boolean[] b) {
        Map<String, boolean[]> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    @Test
    void aFullNetworkTranslatesByIdentity() {
        PhysicalChannels live = PhysicalChannels.full(Map.of("a", 3));
        boolean[] alive = {true, false, true};
        assertThat(live.toLive(Map.of("a", alive)).get("a")).containsExactly(alive);
        assertThat(live.toOriginal(Map.of("a", new double[] {1, 2, 3}), Double.NaN).get("a")).containsExactly(1, 2, 3);
        assertThat(live.holdsRemoved(Map.of("a", alive))).isTrue();
        assertThat(live.kept(Map.of("a", alive)).get("a")).containsExactly(0, 2);
        assertThat(live.widths()).containsEntry("a", 3);
    }

    @Test
    void positionsMapToThePresentOriginalChannels() {
        // group a: original channels 1, 3, 4 of 5 present; group b: all 2 present
        PhysicalChannels live = PhysicalChannels.of(vectors(new boolean[] {false, true, false, true, true}, new boolean[] {true, true}));
        assertThat(live.widths()).containsExactly(Map.entry("a", 3), Map.entry("b", 2));

        // an event removes original channel 3 of a: physical position 1
        Map<String, boolean[]> alive = vectors(new boolean[] {false, true, false, false, true}, new boolean[] {true, true});
        assertThat(live.toLive(alive).get("a")).containsExactly(true, false, true);
        assertThat(live.toLive(alive).get("b")).containsExactly(true, true);
        assertThat(live.holdsRemoved(alive)).isTrue();
        assertThat(live.kept(alive).get("a")).containsExactly(0, 2);
        assertThat(live.kept(alive).get("b")).containsExactly(0, 1);

        // scores of the physical positions land on the original indices; absent channels get the filler
        double[] scores = live.toOriginal(Map.of("a", new double[] {0.5, 0.25, 0.75}), -1).get("a");
        assertThat(scores).containsExactly(-1, 0.5, -1, 0.25, 0.75);

        // after narrowing, the present set is the alive set and nothing removed is held any more
        PhysicalChannels narrower = live.narrowedTo(alive);
        assertThat(narrower.widths()).containsExactly(Map.entry("a", 2), Map.entry("b", 2));
        assertThat(narrower.holdsRemoved(alive)).isFalse();
        assertThat(narrower.toLive(alive).get("a")).containsExactly(true, true);
        assertThat(narrower.toOriginal(Map.of("a", new double[] {7, 8}), 0).get("a")).containsExactly(0, 7, 0, 0, 8);
    }

    @Test
    void refusesMismatchedVectors() {
        PhysicalChannels live = PhysicalChannels.full(Map.of("a", 3));
        assertThatThrownBy(() -> live.toLive(Map.of("a", new boolean[4]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 original channels");
        assertThatThrownBy(() -> live.toLive(Map.of("z", new boolean[3]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown channel group z");
        assertThatThrownBy(() -> live.toOriginal(Map.of("a", new double[2]), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PhysicalChannels.of(Map.of("a", new boolean[3]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no channel left");
    }
}
