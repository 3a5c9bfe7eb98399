package dev.chase.channel;

import static dev.chase.channel.ChannelPrunerTest.all;
import static dev.chase.channel.ChannelPrunerTest.ramp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional --round-to post-step. */
class WidthRoundingTest {

    @Test
    void roundsToTheNearestFeasibleMultiple() {
        WidthRounding k4 = new WidthRounding(4);
        assertThat(k4.roundedWidth(8, 1, 16, 0)).isEqualTo(8);   // already a multiple
        assertThat(k4.roundedWidth(9, 1, 16, 0)).isEqualTo(8);   // nearer below
        assertThat(k4.roundedWidth(11, 1, 16, 0)).isEqualTo(12); // nearer above
        assertThat(k4.roundedWidth(10, 1, 16, -1)).isEqualTo(8); // tie, too few removed so far: down
        assertThat(k4.roundedWidth(10, 1, 16, 0)).isEqualTo(12); // tie, on target or over: up
        assertThat(k4.roundedWidth(9, 9, 16, 0)).isEqualTo(12);  // 8 is below the floor
        assertThat(k4.roundedWidth(9, 1, 10, 0)).isEqualTo(8);   // 12 is more than the group had
        assertThat(k4.roundedWidth(9, 9, 10, 0)).isEqualTo(9);   // no multiple in [9, 10]: exact
        assertThat(k4.roundedWidth(3, 1, 5, 0)).isEqualTo(4);    // 0 is never a width
        assertThat(WidthRounding.NONE.roundedWidth(7, 1, 9, 0)).isEqualTo(7);
    }

    @Test
    void anEventRoundsTheGroupsItTouched() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2, new WidthRounding(4));
        // a holds the 5 lowest scores, then b the next 6; c has only high scores and width 10.
        List<GroupState> groups = List.of(
                pruner.state("a", 16, all(16), ramp(16, 0, 1)),        // 0..15
                pruner.state("b", 16, all(16), ramp(16, 4.5, 0.01)),   // 4.5, 4.51, ... (all below a[5])
                pruner.state("c", 10, all(10), ramp(10, 100, 1)));
        // C0 = 42; s = 11/42 gives R = 11: exact selection takes a[0..4] (scores 0-4) and b[0..5] (4.5-4.55).
        ChannelPruner.Event e = pruner.prune(groups, 11.0 / 42, 42, null);
        assertThat(e.goal()).isEqualTo(11);
        assertThat(e.removedByRanking()).isEqualTo(11);
        // a: 16 - 5 = 11 -> 12, giving back its best removed channel (4).
        assertThat(e.group("a").removed()).containsExactly(0, 1, 2, 3);
        // b: 16 - 6 = 10, a tie between 8 and 12; 10 removed so far < 11: down, two more of its lowest go.
        assertThat(e.group("b").removed()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(e.group("b").live()).isEqualTo(8);
        // c lost nothing, so its width 10 stays although it is no multiple of 4.
        assertThat(e.group("c").removed()).isEmpty();
        assertThat(e.removed()).isEqualTo(12);
        assertThat(Math.abs(e.removed() - e.goal())).isLessThan(4);
    }

    @Test
    void roundingRespectsTheFloor() {
        // floor(16 * 0.5 * 0.5) = 4; a would go to 4 exactly (capped), b to 13 -> 12.
        ChannelPruner pruner = new ChannelPruner(0.5, 0.5, new WidthRounding(8));
        ChannelPruner.Event e = pruner.prune(List.of(
                pruner.state("a", 16, all(16), ramp(16, 0, 0.01)),
                pruner.state("b", 16, all(16), ramp(16, 1, 1))), 15.0 / 32, 32, null);
        assertThat(e.removedByRanking()).isEqualTo(15);
        // a: 4 left; 0 is no option and 8 is nearer... 4 is equidistant from 0 and 8, but only 8 is feasible.
        assertThat(e.group("a").live()).isEqualTo(8);
        // b: 16 - 3 = 13 -> 16 (nearer than 8).
        assertThat(e.group("b").live()).isEqualTo(16);
        assertThat(e.removed()).isEqualTo(8);
        assertThat(e.goal() - e.removed()).isLessThan(2 * 8);
    }

    @Test
    void badMultipleIsAUserError() {
        assertThatThrownBy(() -> new WidthRounding(0))
                .isInstanceOf(ChaseException.class).hasMessageContaining("--round-to");
    }
}
