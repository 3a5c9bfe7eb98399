package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.chase.ChaseException;
import dev.chase.config.Channels;
import dev.chase.metrics.CostModel;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.Network;
import dev.chase.model.VggSpec;
import dev.chase.model.WeightInit;
import dev.chase.sparse.MaskedTensor;
import dev.chase.sparse.SparseModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-run channel controller on hand-made tensors: a VGG with one prunable conv of 4 channels
 * (features.0, 1 -> 4) whose rows are set by hand, a fixed last conv, S_c 0.5, β 0.2, events every
 * 10 steps until step 11 (cubic ramp: the event at step 10 aims for s = 0.5 (1 - (1/11)^3) = 0.4996,
 * so it removes ceil(4 - 4 (1 - s)) = 2 channels).
 */
class ChannelControllerTest {
    private static final Channels CHANNELS = new Channels(new Channels.ChannelCount(0.5), 0.2, 10, 1, Channels.Score.UMM,
            Channels.Schedule.CUBIC, false, 1, false);
    private static final ChannelSchedule SCHEDULE = new ChannelSchedule(ChannelSchedule.Form.CUBIC, 0.5, 11, 10, 0);

    private static Network network(NDManager m) {
        Network net = Network.build(new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(4), List.of(4))));
        net.initialize(m);
        return net;
    }

    private static Map<String, NDArray> weights(Network net) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (MaskableWeight w : net.maskableWeights()) {
            out.put(w.name(), w.parameter().getArray());
        }
        return out;
    }

    private static SparseModel denseMasks(NDManager m, Network net) {
        Map<String, NDArray> masks = new LinkedHashMap<>();
        for (MaskableWeight w : net.maskableWeights()) {
            masks.put(w.name(), m.ones(w.shape()));
        }
        List<MaskedTensor> tensors = net.maskableWeights().stream().map(w -> new MaskedTensor(w.name(), w.shape())).toList();
        return SparseModel.restore(m, tensors, masks, masks, 1.0, 0);
    }

    @Test
    void removesTheChannelsOfLowestUnmaskedMeanMagnitudeAndKeepsThemOut() {
        try (NDManager m = NDManager.newBaseManager()) {
            Network net = network(m);
            ChannelGroup group = net.channelGroups().stream().filter(g -> g.kind() == ChannelGroup.Kind.INTERNAL).findFirst()
                    .orElseThrow();
            String producer = group.producers().get(0);
            String consumer = group.consumers().get(0);
            // rows of |w| 0.5, 0.01, 0.3, 0.02: channels 1 and 3 have the lowest UMM
            float[] rows = new float[4 * 9];
            float[] magnitude = {0.5f, 0.01f, 0.3f, 0.02f};
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (i % 2 == 0 ? 1 : -1) * magnitude[i / 9];
            }
            Map<String, NDArray> w = weights(net);
            w.get(producer).set(rows);
            Parameter bias = net.conv(producer).getParameters().get("bias");
            bias.getArray().set(new float[] {1, 1, 1, 1});
            SparseModel model = denseMasks(m, net);
            ChannelController c = ChannelController.start(net, CHANNELS, SCHEDULE, null);

            assertThat(c.prunable()).extracting(ChannelGroup::name).containsExactly(group.name());
            assertThat(c.isEvent(0)).isTrue();
            assertThat(c.isEvent(5)).isFalse();
            assertThat(c.isEvent(10)).isTrue();
            c.prune(10, model, w, m);

            assertThat(c.alive().get(group.name())).containsExactly(true, false, true, false);
            assertThat(c.channelSparsity()).isEqualTo(0.5);
            assertThat(c.widths()).containsEntry(group.name(), 2);
            // the masks lose the removed channels' rows in the producer and columns in the consumer
            float[] producerMask = model.masks().mask(producer).toFloatArray();
            for (int i = 0; i < producerMask.length; i++) {
                assertThat(producerMask[i]).as("producer mask %d", i).isEqualTo(i / 9 % 2 == 0 ? 1f : 0f);
            }
            NDArray consumerMask = model.masks().mask(consumer);
            assertThat(consumerMask.get(":, 1").sum().getFloat()).isZero();
            assertThat(consumerMask.get(":, 3").sum().getFloat()).isZero();
            assertThat(consumerMask.get(":, 0").sum().getFloat()).isEqualTo(4 * 9);
            // the removed channels' biases are zeroed after the step, with their momentum
            NDArray momentum = m.ones(bias.getArray().getShape());
            c.zeroDeadBiases(p -> p == bias ? momentum : null);
            assertThat(bias.getArray().toFloatArray()).containsExactly(1, 0, 1, 0);
            assertThat(momentum.toFloatArray()).containsExactly(1, 0, 1, 0);
        }
    }

    @Test
    void aCostBudgetNeedsItsCostModelAndPruneSkipNeedsResidualStreams() {
        try (NDManager m = NDManager.newBaseManager()) {
            Network net = network(m);
            Channels flops = new Channels(new Channels.Flops(0.5), 0.2, 10, 1, Channels.Score.UMM, Channels.Schedule.CUBIC, false,
                    1, false);
            assertThatThrownBy(() -> ChannelController.start(net, flops, SCHEDULE, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs");
            assertThat(ChannelController.start(net, flops, SCHEDULE, CostModel.FLOPS).costFraction()).isEqualTo(1.0);
            Channels skip = new Channels(new Channels.ChannelCount(0.5), 0.2, 10, 1, Channels.Score.UMM, Channels.Schedule.CUBIC,
                    true, 1, false);
            assertThatThrownBy(() -> ChannelController.start(net, skip, SCHEDULE, null)).isInstanceOf(ChaseException.class)
                    .hasMessageContaining("no residual streams");
        }
    }
}
