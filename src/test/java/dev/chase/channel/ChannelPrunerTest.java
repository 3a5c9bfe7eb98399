package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The channel-pruning event (algorithm §6.4, canonical form of §10 #4). */
class ChannelPrunerTest {

    static boolean[] all(int n) {
        boolean[] a = new boolean[n];
        Arrays.fill(a, true);
        return a;
    }

    static double[] scores(double... s) {
        return s;
    }

    static double[] ramp(int n, double start, double step) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = start + i * step;
        }
        return s;
    }

    @Test
    void floorsFollowTheReference() {
        ChannelPruner vgg = new ChannelPruner(0.5, 0.2);
        assertThat(List.of(vgg.floor(64), vgg.floor(128), vgg.floor(256), vgg.floor(512)))
                .containsExactly(6, 12, 25, 51);
        ChannelPruner r50 = new ChannelPruner(0.5, 0.5);
        assertThat(List.of(r50.floor(64), r50.floor(128), r50.floor(256), r50.floor(512)))
                .containsExactly(16, 32, 64, 128);
        assertThat(new ChannelPruner(0.4, 0.2).floor(1000)).isEqualTo(120);
        // Never zero: a group always keeps one channel.
        assertThat(vgg.floor(4)).isEqualTo(1);
    }

    @Test
    void removesExactlyTheCeilingOfRLowestScoresGlobally() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        List<GroupState> groups = List.of(
                pruner.state("a", 4, all(4), scores(0.9, 0.1, 0.5, 0.7)),
                pruner.state("b", 4, all(4), scores(0.2, 0.8, 0.3, 0.6)),
                pruner.state("c", 4, all(4), scores(0.4, 1.0, 1.1, 1.2)));
        // C0 = 12, s = 0.25: R = 12 - 9 = 3 exactly.
        ChannelPruner.Event e = pruner.prune(groups, 0.25);
        assertThat(e.goal()).isEqualTo(3);
        assertThat(e.removed()).isEqualTo(3);
        assertThat(e.group("a").removed()).containsExactly(1);
        assertThat(e.group("b").removed()).containsExactly(0, 2);
        assertThat(e.group("c").removed()).isEmpty();
        assertThat(e.group("b").alive()).containsExactly(false, true, false, true);
        // s = 0.3: R = 12 - 8.4 = 3.6, so 4 channels go (the next lowest is c[0] = 0.4).
        ChannelPruner.Event f = pruner.prune(groups, 0.3);
        assertThat(f.excess()).isCloseTo(3.6, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(f.removed()).isEqualTo(4);
        assertThat(f.group("c").removed()).containsExactly(0);
        assertThat(f.shortfall()).isZero();
        assertThat(f.rounds()).isEqualTo(1);
    }

    @Test
    void aGroupOfBlocksLosesWholeBlocksRankedByTheirMeanScore() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        // a: blocks of 2 with means 0.5, 0.15, 0.9; b: single channels
        List<GroupState> groups = List.of(
                pruner.state("a", 6, all(6), scores(0.2, 0.8, 0.1, 0.2, 0.9, 0.9), 2),
                pruner.state("b", 4, all(4), scores(0.3, 0.6, 0.4, 0.7)));
        // C0 = 10, s = 0.2: goal 2. Ranked: a's block 1 (0.15, 0.15), b[0] = 0.3: the block goes whole (2 channels)
        ChannelPruner.Event e = pruner.prune(groups, 0.2);
        assertThat(e.goal()).isEqualTo(2);
        assertThat(e.group("a").removed()).containsExactly(2, 3);
        assertThat(e.group("b").removed()).isEmpty();
        // s = 0.3: goal 3; the lowest three are a's block 1 and b[0]
        ChannelPruner.Event f = pruner.prune(groups, 0.3);
        assertThat(f.group("a").removed()).containsExactly(2, 3);
        assertThat(f.group("b").removed()).containsExactly(0);
        // s = 0.5: goal 5 = a's block 1, b[0], b[2], then block 0 (mean 0.5) comes before b[1] = 0.6: 6 channels go,
        // one more than the goal, since a block goes whole
        ChannelPruner.Event g = pruner.prune(groups, 0.5);
        assertThat(g.group("a").removed()).containsExactly(0, 1, 2, 3);
        assertThat(g.group("b").removed()).containsExactly(0, 2);
        assertThat(g.removed()).isEqualTo(6);
        // the floor (1) rounds up to one block: a keeps a whole block
        ChannelPruner.Event all = pruner.prune(groups, 1.0);
        assertThat(all.group("a").live()).isEqualTo(2);
        assertThat(all.group("a").floor()).isEqualTo(2);
        assertThat(all.group("a").capped()).isTrue();
        assertThatThrownBy(() -> pruner.state("a", 6, new boolean[] {true, false, true, true, true, true}, ramp(6, 0, 1), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partly removed");
        assertThatThrownBy(() -> pruner.state("a", 6, all(6), ramp(6, 0, 1), 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nothingWhenTheNetworkIsAlreadyNarrowEnough() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        boolean[] alive = {true, false, false, true};
        ChannelPruner.Event e = pruner.prune(
                List.of(pruner.state("a", 4, alive, scores(1, 2, 3, 4))), 0.5, 4, null);
        assertThat(e.goal()).isZero();
        assertThat(e.removed()).isZero();
        assertThat(e.rounds()).isZero();
        assertThat(e.group("a").alive()).containsExactly(alive);
        // Floating-point noise above an exact target removes nothing either.
        ChannelPruner.Event noise = pruner.prune(
                List.of(pruner.state("a", 10, all(10), ramp(10, 0, 1))), 0.3 - 1e-15, 10, null);
        assertThat(noise.removed()).isEqualTo(3);
    }

    @Test
    void aGroupThatWouldBreakItsFloorIsCappedAndTheShortfallComesFromTheOthers() {
        // floor(10 * 0.5 * 0.6) = 3. Group a holds the 10 lowest scores of the network.
        ChannelPruner pruner = new ChannelPruner(0.5, 0.6);
        List<GroupState> groups = List.of(
                pruner.state("a", 10, all(10), ramp(10, 0.01, 0.01)),
                pruner.state("b", 10, all(10), ramp(10, 1.0, 1.0)),   // 1, 2, 3, ...
                pruner.state("c", 10, all(10), ramp(10, 1.5, 1.0)));  // 1.5, 2.5, ...
        // C0 = 30, s = 0.4: goal 12. Round 1 takes a[0..9], b[0], c[0]; a keeps exactly 3 (its highest)
        // and is capped; round 2 takes the 3 missing ones from b and c: b[1] = 2, c[1] = 2.5, b[2] = 3.
        ChannelPruner.Event e = pruner.prune(groups, 0.4);
        assertThat(e.goal()).isEqualTo(12);
        assertThat(e.removed()).isEqualTo(12);
        assertThat(e.rounds()).isEqualTo(2);
        assertThat(e.group("a").removed()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(e.group("a").live()).isEqualTo(3);
        assertThat(e.group("b").removed()).containsExactly(0, 1, 2);
        assertThat(e.group("c").removed()).containsExactly(0, 1);
        assertThat(e.capped()).containsExactly("a");
    }

    @Test
    void laterRoundsUseFreshScoresFromTheRescorer() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.6);
        List<GroupState> groups = List.of(
                pruner.state("a", 10, all(10), ramp(10, 0.01, 0.01)),
                pruner.state("b", 10, all(10), ramp(10, 1.0, 1.0)),
                pruner.state("c", 10, all(10), ramp(10, 1.5, 1.0)));
        List<Map<String, boolean[]>> seen = new ArrayList<>();
        // After round 1 the rescorer says c's channels are now the weakest (as when its inputs were cut).
        ChannelPruner.Event e = pruner.prune(groups, 0.4, 30, alive -> {
            seen.add(alive);
            return Map.of("c", ramp(10, 0.5, 0.1));
        });
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).get("a")).containsExactly(false, false, false, false, false, false, false,
                true, true, true);
        assertThat(e.group("b").removed()).containsExactly(0);
        // c[0] went in round 1; round 2 ranks c[1..] at 0.6, 0.7, ... below b's 2, 3, ...
        assertThat(e.group("c").removed()).containsExactly(0, 1, 2, 3);
        assertThat(e.removed()).isEqualTo(12);
    }

    @Test
    void tiesAreBrokenByGroupOrderThenChannelIndex() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        List<GroupState> groups = List.of(
                pruner.state("a", 3, all(3), scores(1, 0, 0)),
                pruner.state("b", 3, all(3), scores(0, 0, 1)));
        ChannelPruner.Event e = pruner.prune(groups, 0.5, 6, null);
        assertThat(e.group("a").removed()).containsExactly(1, 2);
        assertThat(e.group("b").removed()).containsExactly(0);
        // Same input, same answer.
        assertThat(pruner.prune(groups, 0.5, 6, null)).isEqualTo(e);
        // All equal: the first group's first channels go, up to its floor.
        ChannelPruner.Event flat = pruner.prune(List.of(
                new GroupState("a", 4, 2, all(4), new double[4]),
                new GroupState("b", 4, 2, all(4), new double[4])), 0.5, 8, null);
        assertThat(flat.group("a").removed()).containsExactly(0, 1);
        assertThat(flat.group("b").removed()).containsExactly(0, 1);
        assertThat(flat.rounds()).isEqualTo(2);
    }

    @Test
    void anUnreachableTargetRemovesWhatTheFloorsAllowAndReportsTheShortfall() {
        // beta = 1, S_c = 0.5: every group keeps at least half its channels.
        ChannelPruner pruner = new ChannelPruner(0.5, 1.0);
        List<GroupState> groups = List.of(
                pruner.state("a", 8, all(8), ramp(8, 0, 1)),
                pruner.state("b", 6, all(6), ramp(6, 0.5, 1)),
                new GroupState("c", 2, 2, all(2), scores(0, 0)));
        ChannelPruner.Event e = pruner.prune(groups, 0.9, 16, null);
        assertThat(e.goal()).isEqualTo(15); // R = 16 - 1.6 = 14.4
        assertThat(e.removed()).isEqualTo(7);
        assertThat(e.shortfall()).isEqualTo(8);
        assertThat(e.group("a").live()).isEqualTo(4);
        assertThat(e.group("b").live()).isEqualTo(3);
        assertThat(e.group("c").removed()).isEmpty();
        assertThat(e.capped()).containsExactly("a", "b", "c");
        assertThat(e.rounds()).isLessThanOrEqualTo(groups.size() + 1);
        // Another event at the floors does nothing, in one round.
        ChannelPruner.Event again = pruner.prune(List.of(
                pruner.state("a", 8, e.group("a").alive(), ramp(8, 0, 1)),
                pruner.state("b", 6, e.group("b").alive(), ramp(6, 0.5, 1)),
                new GroupState("c", 2, 2, all(2), scores(0, 0))), 0.9, 16, null);
        assertThat(again.removed()).isZero();
        assertThat(again.shortfall()).isEqualTo(8);
        assertThat(again.rounds()).isEqualTo(1);
    }

    @Test
    void nanScoresRankLastAndNeverCrash() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        ChannelPruner.Event e = pruner.prune(List.of(
                pruner.state("a", 4, all(4), scores(Double.NaN, 3, Double.NaN, 1)),
                pruner.state("b", 4, all(4), scores(2, Double.NaN, -0.0, 0.0))), 0.5, 8, null);
        assertThat(e.group("a").removed()).containsExactly(3);
        assertThat(e.group("b").removed()).containsExactly(0, 2, 3);
        ChannelPruner.Event allNan = pruner.prune(List.of(
                pruner.state("a", 4, all(4), scores(Double.NaN, Double.NaN, Double.NaN, Double.NaN))), 0.5);
        assertThat(allNan.group("a").removed()).containsExactly(0, 1);
    }

    @Test
    void eventsCompose() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        ChannelSchedule schedule = ChannelSchedule.cubic(0.5, 1000, 100, 100);
        boolean[] a = all(20);
        boolean[] b = all(20);
        for (long t : schedule.events()) {
            ChannelPruner.Event e = pruner.prune(List.of(
                    pruner.state("a", 20, a, ramp(20, 0, 1)),
                    pruner.state("b", 20, b, ramp(20, 0.5, 1))), schedule.target(t), 40, null);
            a = e.group("a").alive();
            b = e.group("b").alive();
            int live = e.group("a").live() + e.group("b").live();
            assertThat(live).isEqualTo((int) Math.floor(40 * (1 - schedule.target(t)) + 1e-9));
        }
        assertThat(ChannelPrunerTest.count(a) + ChannelPrunerTest.count(b)).isEqualTo(20);
    }

    static int count(boolean[] a) {
        int n = 0;
        for (boolean x : a) {
            n += x ? 1 : 0;
        }
        return n;
    }

    @Test
    void badFlagsAreUserErrors() {
        assertThatThrownBy(() -> new ChannelPruner(1.0, 0.2))
                .isInstanceOf(ChaseException.class).hasMessageContaining("S_c").hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> new ChannelPruner(-0.01, 0.2)).isInstanceOf(ChaseException.class);
        assertThatThrownBy(() -> new ChannelPruner(Double.NaN, 0.2)).isInstanceOf(ChaseException.class);
        assertThatThrownBy(() -> new ChannelPruner(0.5, 0.0))
                .isInstanceOf(ChaseException.class).hasMessageContaining("beta").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new ChannelPruner(0.5, 1.01)).isInstanceOf(ChaseException.class);
        assertThatThrownBy(() -> new ChannelPruner(0.5, Double.NaN)).isInstanceOf(ChaseException.class);
        assertThat(new ChannelPruner(0.0, 1.0).floor(10)).isEqualTo(10);
    }

    @Test
    void badCallsAreProgrammingErrors() {
        ChannelPruner pruner = new ChannelPruner(0.5, 0.2);
        GroupState g = pruner.state("a", 4, all(4), ramp(4, 0, 1));
        assertThatThrownBy(() -> pruner.prune(List.of(g, g), 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> pruner.prune(List.of(g), Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupState("x", 4, 1, all(4), new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pruner.prune(List.of(g), 0.9, 4, alive -> Map.of("a", new double[2])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rescorer");
    }
}
