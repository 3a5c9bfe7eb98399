package dev.chase.channel;

import static dev.chase.channel.ChannelPrunerTest.all;
import static dev.chase.channel.ChannelPrunerTest.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.metrics.FlopCounter;
import dev.chase.model.VggSpec;
import dev.chase.model.WeightInit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost-aware channel event: target reached within one channel's saving, floors, the score/saving rule. */
class CostPrunerTest {

    /**
     * 1 input channel, 16x16: features.0 (1->8) at 16x16, pool, features.4 (8->8) at 8x8, pool,
     * features.8 (8->4, fixed) at 4x4, classifier. A channel of features.0 saves 2·9·256 + 256 in
     * its producer and 2·8·9·64 in features.4 = 14080 FLOPs; one of features.4 saves 2·8·9·64 + 64
     * and 2·4·9·16 = 10432.
     */
    static VggSpec tinyVgg() {
        return new VggSpec(1, 2, 16, WeightInit.VGG_CIFAR, List.of(List.of(8), List.of(8), List.of(4)));
    }

    static CostPruner.Cost flops(VggSpec spec) {
        return widths -> FlopCounter.dense(spec.withGroupWidths(widths));
    }

    static double[] constant(int n, double v) {
        double[] s = new double[n];
        java.util.Arrays.fill(s, v);
        return s;
    }

    @Test
    void savingsFollowTheLayersAtTheirRealSizes() {
        VggSpec spec = tinyVgg();
        CostPruner.Cost cost = flops(spec);
        double full = cost.of(Map.of("features.0", 8, "features.4", 8));
        assertThat(full - cost.of(Map.of("features.0", 7, "features.4", 8))).isEqualTo(2 * 9 * 256 + 256 + 2 * 8 * 9 * 64);
        assertThat(full - cost.of(Map.of("features.0", 8, "features.4", 7))).isEqualTo(2 * 8 * 9 * 64 + 64 + 2 * 4 * 9 * 16);
    }

    @Test
    void reachesTheTargetWithinOneChannelsSavingAndIsDeterministic() {
        VggSpec spec = tinyVgg();
        CostPruner.Cost cost = flops(spec);
        ChannelPruner floors = new ChannelPruner(0.5, 0.2);
        List<GroupState> groups = List.of(
                floors.state("features.0", 8, all(8), new double[] {0.9, 0.2, 0.5, 0.7, 0.4, 0.8, 0.3, 0.6}),
                floors.state("features.4", 8, all(8), new double[] {0.35, 0.1, 0.45, 0.25, 0.6, 0.15, 0.5, 0.05}));
        double dense = FlopCounter.dense(spec);
        for (double fraction : new double[] {0.9, 0.7, 0.5, 0.35}) {
            double target = fraction * dense;
            CostPruner.Event e = new CostPruner().prune(groups, target, cost);
            assertThat(e.reached()).as("fraction %s", fraction).isTrue();
            assertThat(e.after()).isLessThanOrEqualTo(target).isEqualTo(cost.of(widths(e)));
            // One channel fewer removed would be above the target: the last removal was needed.
            boolean lastNeeded = e.groups().stream().filter(g -> g.removed().length > 0).anyMatch(g -> {
                Map<String, Integer> back = widths(e);
                back.merge(g.name(), 1, Integer::sum);
                return cost.of(back) > target;
            });
            assertThat(lastNeeded).as("fraction %s", fraction).isTrue();
            assertThat(new CostPruner().prune(groups, target, cost)).isEqualTo(e);
        }
    }

    @Test
    void prefersChannelsThatAreCheapToKeepRelativeToWhatTheyCost() {
        VggSpec spec = tinyVgg();
        ChannelPruner floors = new ChannelPruner(0.5, 0.2);
        // features.4 scores lower (0.25 < 0.3), but saves less: 0.3/14080 < 0.25/10432, so features.0 goes first.
        List<GroupState> groups = List.of(
                floors.state("features.0", 8, all(8), constant(8, 0.3)),
                floors.state("features.4", 8, all(8), constant(8, 0.25)));
        double dense = FlopCounter.dense(spec);
        CostPruner.Event e = new CostPruner().prune(groups, dense - 1, flops(spec));
        assertThat(e.removed()).isEqualTo(1);
        assertThat(e.group("features.0").removed()).containsExactly(0);
        assertThat(e.group("features.4").removed()).isEmpty();
        // The channel-count event ranks by score alone and takes the cheap-to-keep channel.
        ChannelPruner.Event byCount = floors.prune(groups, 1.0 / 16);
        assertThat(byCount.group("features.4").removed()).containsExactly(0);
        // ScoreTensors low enough in features.4 outweigh its smaller saving.
        List<GroupState> lower = List.of(groups.get(0), floors.state("features.4", 8, all(8), constant(8, 0.2)));
        assertThat(new CostPruner().prune(lower, dense - 1, flops(spec)).group("features.4").removed()).containsExactly(0);
    }

    @Test
    void savingsAreRecomputedAsNeighboursNarrow() {
        // a and b feed each other (cost 10·a·b), z stands alone (25 per channel); all floors 1.
        CostPruner.Cost cost = w -> 10.0 * w.get("a") * w.get("b") + 25.0 * w.get("z");
        List<GroupState> groups = List.of(
                new GroupState("a", 4, 1, all(4), constant(4, 1.0)),
                new GroupState("b", 4, 1, all(4), constant(4, 1.0)),
                new GroupState("z", 4, 1, all(4), constant(4, 0.8)));
        // a goes first (1/40, tied with b, earlier group) and keeps going while b's saving falls
        // (10·a); at a's floor, b saves 10 (ratio 0.1) and z 25 (0.032): z goes, reaching 115 <= 120.
        // With the savings of the start (b: 40) b would have gone instead.
        CostPruner.Event e = new CostPruner().prune(groups, 120, cost);
        assertThat(e.group("a").removed()).hasSize(3);
        assertThat(e.group("b").removed()).isEmpty();
        assertThat(e.group("z").removed()).containsExactly(0);
        assertThat(e.before()).isEqualTo(260);
        assertThat(e.after()).isEqualTo(115);
    }

    @Test
    void aGroupOfBlocksStepsByWholeBlocksAlsoWithRounding() {
        // cost 10 per channel of a (blocks of 4), 11 per channel of z; all floors 1 (a's: one block)
        CostPruner.Cost cost = w -> 10.0 * w.get("a") + 11.0 * w.get("z");
        List<GroupState> groups = List.of(
                new GroupState("a", 8, 1, all(8), scores(0.5, 0.5, 0.5, 0.5, 0.1, 0.2, 0.1, 0.2), 4),
                new GroupState("z", 4, 1, all(4), scores(0.9, 0.9, 0.9, 0.9)));
        // block 1 of a: score 0.6 for a saving of 40 (0.015) against z's 0.9 / 11: it goes first, whole
        CostPruner.Event e = new CostPruner().prune(groups, 110, cost);
        assertThat(e.group("a").removed()).containsExactly(4, 5, 6, 7);
        assertThat(e.group("z").removed()).isEmpty();
        assertThat(e.after()).isEqualTo(84);
        // rounding to 8 with blocks of 4: a step takes a from 16 to 8 channels, its two lowest blocks (means 0.1 and 0.2)
        List<GroupState> wide = List.of(
                new GroupState("a", 16, 1, all(16), scores(0.5, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.6, 0.6, 0.6, 0.6, 0.2, 0.2,
                        0.2, 0.2), 4),
                new GroupState("z", 4, 1, all(4), scores(0.9, 0.9, 0.9, 0.9)));
        CostPruner.Event rounded = new CostPruner(new WidthRounding(8)).prune(wide, 180, cost);
        assertThat(rounded.group("a").removed()).containsExactly(4, 5, 6, 7, 12, 13, 14, 15);
        assertThat(rounded.group("z").removed()).isEmpty();
        assertThat(rounded.after()).isEqualTo(124);
        assertThat(new WidthRounding(6).forBlock(4).multiple()).isEqualTo(12);
        assertThat(new WidthRounding(8).forBlock(4).multiple()).isEqualTo(8);
        assertThat(WidthRounding.NONE.forBlock(4).multiple()).isEqualTo(4);
    }

    @Test
    void respectsFloorsAndReportsAnUnreachableTarget() {
        VggSpec spec = tinyVgg();
        ChannelPruner floors = new ChannelPruner(0.5, 0.5); // floor of 8 channels: 2
        List<GroupState> groups = List.of(
                floors.state("features.0", 8, all(8), constant(8, 0.3)),
                floors.state("features.4", 8, all(8), constant(8, 0.25)));
        CostPruner.Event e = new CostPruner().prune(groups, 0.01 * FlopCounter.dense(spec), flops(spec));
        assertThat(e.reached()).isFalse();
        assertThat(e.groups()).allSatisfy(g -> {
            assertThat(g.live()).isEqualTo(2);
            assertThat(g.capped()).isTrue();
        });
        assertThat(e.removed()).isEqualTo(12);
    }

    @Test
    void nothingWhenAlreadyCheapEnoughAndNaNScoresGoLast() {
        CostPruner.Cost cost = w -> 10.0 * w.get("a") + 10.0 * w.get("b");
        List<GroupState> groups = List.of(
                new GroupState("a", 2, 1, all(2), new double[] {Double.NaN, Double.NaN}),
                new GroupState("b", 2, 1, all(2), new double[] {5, 6}));
        CostPruner.Event none = new CostPruner().prune(groups, 40, cost);
        assertThat(none.removed()).isZero();
        assertThat(none.after()).isEqualTo(40);
        CostPruner.Event one = new CostPruner().prune(groups, 30, cost);
        assertThat(one.group("b").removed()).containsExactly(0);
        assertThat(one.group("a").removed()).isEmpty();
    }

    @Test
    void channelsThatSaveNothingGoAfterThoseThatSave() {
        // b's cost is flat: its channels save nothing, even with a lower score.
        CostPruner.Cost cost = w -> 10.0 * w.get("a");
        List<GroupState> groups = List.of(
                new GroupState("a", 3, 1, all(3), constant(3, 1.0)),
                new GroupState("b", 3, 1, all(3), constant(3, 0.0)));
        CostPruner.Event e = new CostPruner().prune(groups, 10, cost);
        assertThat(e.group("a").removed()).hasSize(2);
        assertThat(e.group("b").removed()).isEmpty();
    }

    @Test
    void withWidthRoundingAStepRemovesABlockDownToTheNextMultiple() {
        CostPruner.Cost cost = w -> 10.0 * w.get("a") + 1.0 * w.get("b");
        List<GroupState> groups = List.of(
                new GroupState("a", 8, 1, all(8), ChannelPrunerTest.ramp(8, 0.1, 0.1)),
                new GroupState("b", 8, 1, all(8), constant(8, 0.5)));
        // one step: a 8 -> 4 scores 0.1+0.2+0.3+0.4 = 1.0 for a saving of 40 (0.025 per unit); b 8 -> 4 scores 2.0 for 4 (0.5)
        CostPruner.Event e = new CostPruner(new WidthRounding(4)).prune(groups, 60, cost);
        assertThat(e.group("a").removed()).containsExactly(0, 1, 2, 3);
        assertThat(e.group("b").live()).isEqualTo(8);
        assertThat(e.removed()).isEqualTo(4);
        assertThat(e.after()).isEqualTo(48);
        // a target below what multiples of 4 allow: a stops at 4, the lowest multiple at or above its floor of 1 (4 -> 1 would
        // leave a width under K), b goes 8 -> 4, and the event ends short of the target with every width a multiple of 4
        CostPruner.Event more = new CostPruner(new WidthRounding(4)).prune(groups, 15, cost);
        assertThat(more.group("a").live()).isEqualTo(4);
        assertThat(more.group("b").live()).isEqualTo(4);
        assertThat(more.after()).isEqualTo(44);
        assertThat(more.reached()).isFalse();
        // a group narrower than K has no multiple to keep: it steps one channel at a time, here to its floor of 1
        List<GroupState> narrow = List.of(new GroupState("a", 3, 1, all(3), ChannelPrunerTest.ramp(3, 0.1, 0.1)),
                new GroupState("b", 8, 1, all(8), constant(8, 0.5)));
        CostPruner.Event stepwise = new CostPruner(new WidthRounding(4)).prune(narrow, 25, cost);
        assertThat(stepwise.group("a").removed()).containsExactly(0, 1);
        assertThat(stepwise.group("b").live()).isEqualTo(8);
        assertThat(stepwise.after()).isEqualTo(18);
        // an odd width first goes to the next lower multiple
        List<GroupState> odd = List.of(new GroupState("a", 7, 1, all(7), ChannelPrunerTest.ramp(7, 0.1, 0.1)),
                new GroupState("b", 8, 1, all(8), constant(8, 0.5)));
        assertThat(new CostPruner(new WidthRounding(4)).prune(odd, 70, cost).group("a").live()).isEqualTo(4);
    }

    @Test
    void rejectsBadInput() {
        CostPruner.Cost cost = w -> 1.0;
        GroupState g = new GroupState("a", 2, 1, all(2), new double[2]);
        assertThatThrownBy(() -> new CostPruner().prune(List.of(g, g), 0.5, cost)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new CostPruner().prune(List.of(g), Double.NaN, cost)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void budgetsMapCostFractionsToTheScheduleAndFloors() {
        ChannelBudget flops = ChannelBudget.flops(0.25);
        assertThat(flops.isCost()).isTrue();
        assertThat(flops.reduction()).isEqualTo(0.75);
        assertThat(flops.floorSparsity()).isEqualTo(0.5);
        ChannelBudget sc = ChannelBudget.channels(0.3);
        assertThat(sc.reduction()).isEqualTo(0.3);
        assertThat(sc.floorSparsity()).isEqualTo(0.3);
        assertThatThrownBy(() -> ChannelBudget.latency(0)).isInstanceOf(dev.chase.ChaseException.class)
                .hasMessageContaining("--target-latency");
        assertThatThrownBy(() -> ChannelBudget.flops(1.5)).isInstanceOf(dev.chase.ChaseException.class)
                .hasMessageContaining("--target-flops");
    }

    private static Map<String, Integer> widths(CostPruner.Event e) {
        Map<String, Integer> w = new HashMap<>();
        e.groups().forEach(g -> w.put(g.name(), g.live()));
        return w;
    }
}
