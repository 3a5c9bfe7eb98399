package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.chase.ManagedTest;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-channel densities, ratios and UMM of masked convs, on hand-made masks. */
class ConvChannelsTest extends ManagedTest {
    /** A 4 x 1 x 2 x 2 conv (fan-in 4) whose masked positions hold large weights that must not count. */
    private NDArray weight() {
        return manager.create(new float[] {
            1, -2, 3, -4, //
            0.5f, -0.5f, 100, 100, //
            -2, 100, 100, 100, //
            100, 100, 100, 100}, new Shape(4, 1, 2, 2));
    }

    /** Channels with 4, 2, 1 and 0 active weights. */
    private NDArray mask() {
        return manager.create(new float[] {
            1, 1, 1, 1, //
            1, 1, 0, 0, //
            1, 0, 0, 0, //
            0, 0, 0, 0}, new Shape(4, 1, 2, 2));
    }

    @Test
    void countsDensitiesRatiosAndUmmOfEveryChannel() {
        ConvChannels c = ConvChannels.measure("conv", true, weight(), mask(), null);
        assertThat(c.fanIn()).isEqualTo(4);
        assertThat(c.channels()).isEqualTo(4);
        assertThat(c.dead()).isZero();
        assertThat(c.nonZeros()).containsExactly(4, 2, 1, 0);
        assertThat(c.densities()).containsExactly(1.0, 0.5, 0.25, 0.0);
        // rho_l = 7 / (4 * 4); ratio = nnz * 4 / 7
        assertThat(c.aliveDensity()).isEqualTo(7.0 / 16);
        assertThat(c.ratios()).containsExactly(new double[] {16.0 / 7, 8.0 / 7, 4.0 / 7, 0}, within(1e-15));
        // UMM = sum of |W| over the active positions / 4
        assertThat(c.umm()).containsExactly(new double[] {10.0 / 4, 1.0 / 4, 2.0 / 4, 0}, within(1e-7));
    }

    @Test
    void removedChannelsAreLeftOutOfTheLayerDensity() {
        // channel 3 (already empty) is removed: rho_l = 7 / (3 * 4), ratio = nnz * 3 / 7
        ConvChannels c = ConvChannels.measure("conv", false, weight(), mask(), new boolean[] {true, true, true, false});
        assertThat(c.dead()).isEqualTo(1);
        assertThat(c.prunable()).isFalse();
        assertThat(c.aliveDensity()).isEqualTo(7.0 / 12);
        assertThat(c.ratios()).containsExactly(new double[] {12.0 / 7, 6.0 / 7, 3.0 / 7, 0}, within(1e-15));
    }

    @Test
    void anEmptyLayerHasRatioZero() {
        NDArray none = manager.zeros(new Shape(4, 1, 2, 2), DataType.FLOAT32);
        ConvChannels c = ConvChannels.measure("conv", true, weight(), none, null);
        assertThat(c.aliveDensity()).isZero();
        assertThat(c.ratios()).containsOnly(0.0);
        assertThat(c.umm()).containsOnly(0.0);
    }

    @Test
    void measuresEveryConvOfANetworkWithPrunableFlagsAndDeadChannels() {
        Network net = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
        ChannelGroup victim = net.channelGroups().stream().filter(g -> g.kind() == ChannelGroup.Kind.INTERNAL).findFirst()
                .orElseThrow();
        boolean[] alive = new boolean[victim.width()];
        java.util.Arrays.fill(alive, true);
        alive[0] = false;
        alive[2] = false;
        Map<String, boolean[]> aliveMap = Map.of(victim.name(), alive);
        Map<String, NDArray> structural = StructuralMasks.of(manager, net, aliveMap);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        Map<String, NDArray> masks = new LinkedHashMap<>();
        for (MaskableWeight w : net.maskableWeights()) {
            weights.put(w.name(), manager.ones(w.shape()));
            masks.put(w.name(), structural.getOrDefault(w.name(), manager.ones(w.shape())));
        }
        List<String> internal = net.channelGroups().stream().filter(g -> g.kind() == ChannelGroup.Kind.INTERNAL)
                .map(ChannelGroup::name).toList();

        List<ConvChannels> convs = ConvChannels.measure(net, weights, masks, aliveMap, internal);

        assertThat(convs).extracting(ConvChannels::layer).containsExactlyElementsOf(net.maskableWeights().stream()
                .filter(w -> w.shape().dimension() == 4).map(MaskableWeight::name).toList());
        for (ConvChannels c : convs) {
            boolean producesInternal = net.channelGroups().stream()
                    .anyMatch(g -> g.kind() == ChannelGroup.Kind.INTERNAL && g.producers().contains(c.layer()));
            assertThat(c.prunable()).as(c.layer()).isEqualTo(producesInternal);
            boolean isVictim = victim.producers().contains(c.layer());
            assertThat(c.dead()).as(c.layer()).isEqualTo(isVictim ? 2 : 0);
            // every alive row has the same count: the producer lost whole rows, the consumer the same columns in every row
            double[] r = c.ratios();
            for (int ch = 0; ch < r.length; ch++) {
                assertThat(r[ch]).as(c.layer() + " channel " + ch).isEqualTo(c.alive()[ch] ? 1.0 : 0.0, within(1e-12));
            }
            long in = c.fanIn() / 9;
            double expected = victim.consumers().contains(c.layer()) ? (double) (in - 2) / in : 1.0;
            assertThat(c.aliveDensity()).as(c.layer()).isCloseTo(expected, within(1e-12));
            // all weights are 1: UMM is the channel density
            assertThat(c.umm()).as(c.layer()).containsExactly(c.densities(), within(1e-6));
        }
    }
}
