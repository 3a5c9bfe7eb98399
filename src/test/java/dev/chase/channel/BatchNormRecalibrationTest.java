package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.chase.ChaseException;
import dev.chase.ManagedTest;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recalibrated running statistics are the plain average over the batches of each batch's
 * statistics (update_bn with momentum None), computed here independently by walking a VGG layer by
 * layer in training mode.
 */
class BatchNormRecalibrationTest extends ManagedTest {
    @Test
    void runningStatisticsAreTheAverageOfTheBatchStatistics() {
        Network net = network("vgg11", 0.125);
        // Unequal batch sizes: every batch weighs the same, whatever its size (as in update_bn).
        List<NDArray> batches = List.of(
                manager.randomNormal(1f, 2f, new Shape(4, 3, 16, 16), ai.djl.ndarray.types.DataType.FLOAT32),
                manager.randomNormal(-1f, 1f, new Shape(4, 3, 16, 16), ai.djl.ndarray.types.DataType.FLOAT32),
                manager.randomNormal(0f, 3f, new Shape(2, 3, 16, 16), ai.djl.ndarray.types.DataType.FLOAT32));
        Map<String, NDArray[]> expected = expectedStatistics(net, batches);
        Map<String, NDArray> before = otherParameters(net);

        int used = BatchNormRecalibration.recalibrate(net, BatchNormRecalibration.Batches.of(batches));

        assertThat(used).isEqualTo(3);
        assertThat(expected).hasSize(8);
        for (Map.Entry<String, NDArray[]> e : expected.entrySet()) {
            BatchNorm bn = net.norm(e.getKey());
            NDArray mean = bn.getParameters().get("runningMean").getArray();
            NDArray var = bn.getParameters().get("runningVar").getArray();
            float meanDiff = mean.sub(e.getValue()[0]).abs().max().getFloat();
            float varDiff = var.sub(e.getValue()[1]).abs().div(e.getValue()[1].abs().add(1f)).max().getFloat();
            System.out.printf("recalibrate %s: max |mean diff| = %.3g, max var diff (relative) = %.3g%n",
                    e.getKey(), meanDiff, varDiff);
            assertThat(meanDiff).as(e.getKey()).isLessThan(1e-5f);
            assertThat(varDiff).as(e.getKey()).isLessThan(1e-5f);
        }
        assertThat(otherParameters(net)).allSatisfy((name, value) ->
                assertThat(value.contentEquals(before.get(name))).as(name).isTrue());
    }

    @Test
    void aResNetIsTheAverageOfItsSingleBatchRecalibrations() {
        Network net = network("resnet20", 0.25);
        List<NDArray> batches = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            batches.add(manager.randomNormal(new Shape(3, 3, 8, 8)));
        }
        Map<String, NDArray> sum = new LinkedHashMap<>();
        for (NDArray batch : batches) {
            BatchNormRecalibration.recalibrate(net, BatchNormRecalibration.Batches.of(List.of(batch)));
            runningStatistics(net).forEach((name, value) -> sum.merge(name, value, NDArray::add));
        }
        BatchNormRecalibration.recalibrate(net, BatchNormRecalibration.Batches.of(batches));
        Map<String, NDArray> all = runningStatistics(net);
        assertThat(all).hasSize(sum.size());
        all.forEach((name, value) -> {
            NDArray average = sum.get(name).div(3f);
            assertThat(value.sub(average).abs().div(average.abs().add(1f)).max().getFloat()).as(name)
                    .isLessThan(1e-5f);
        });
    }

    @Test
    void noBatchesIsAnErrorAndChangesNothing() {
        Network net = network("resnet20", 0.25);
        Map<String, NDArray> before = runningStatistics(net);
        assertThatThrownBy(() -> BatchNormRecalibration.recalibrate(net, visitor -> { }))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot recalibrate BatchNorm statistics: there are no batches");
        runningStatistics(net).forEach((name, value) ->
                assertThat(value.contentEquals(before.get(name))).as(name).isTrue());
    }

    @Test
    void aFailingPassRestoresTheStatistics() {
        Network net = network("resnet20", 0.25);
        Map<String, NDArray> before = runningStatistics(net);
        NDArray good = manager.randomNormal(new Shape(2, 3, 8, 8));
        assertThatThrownBy(() -> BatchNormRecalibration.recalibrate(net, visitor -> {
            visitor.accept(good);
            throw new IllegalStateException("loader broke");
        })).isInstanceOf(IllegalStateException.class).hasMessage("loader broke");
        runningStatistics(net).forEach((name, value) ->
                assertThat(value.contentEquals(before.get(name))).as(name).isTrue());
    }

    // ---------------------------------------------------------------------------------------------

    private Network network(String model, double width) {
        Engine.getInstance().setRandomSeed(23);
        Network net = Network.build(NetSpecs.named(model, 3, 10, width));
        net.initialize(manager);
        return net;
    }

    /**
     * For each BatchNorm of a VGG (a plain sequence of layers), the average over the batches of the
     * per-channel mean and unbiased variance of its input in a training-mode pass.
     */
    private Map<String, NDArray[]> expectedStatistics(Network net, List<NDArray> batches) {
        Map<Block, String> names = new IdentityHashMap<>();
        for (ChannelGroup g : net.channelGroups()) {
            g.norms().forEach(n -> names.put(net.norm(n), n));
        }
        Map<String, NDArray[]> sums = new LinkedHashMap<>();
        ParameterStore ps = new ParameterStore(manager, false);
        for (NDArray batch : batches) {
            NDList x = new NDList(batch);
            for (Pair<String, Block> child : net.block().getChildren()) {
                String bn = names.get(child.getValue());
                if (bn != null) {
                    // (C, N*H*W): PyTorch's engine reduces over one axis at a time.
                    NDArray in = x.singletonOrThrow().transpose(1, 0, 2, 3);
                    in = in.reshape(in.getShape().get(0), -1);
                    long n = in.getShape().get(1);
                    NDArray mean = in.mean(new int[] {1});
                    NDArray var = in.sub(mean.reshape(-1, 1)).square().sum(new int[] {1}).div((float) (n - 1));
                    sums.merge(bn, new NDArray[] {mean, var},
                            (a, b) -> new NDArray[] {a[0].add(b[0]), a[1].add(b[1])});
                }
                x = child.getValue().forward(ps, x, true);
            }
        }
        Map<String, NDArray[]> averages = new LinkedHashMap<>();
        float count = batches.size();
        sums.forEach((name, s) -> averages.put(name, new NDArray[] {s[0].div(count), s[1].div(count)}));
        return averages;
    }

    /** Copies of every running mean and variance, keyed {@code layer/parameter}. */
    private static Map<String, NDArray> runningStatistics(Network net) {
        Map<String, NDArray> stats = new LinkedHashMap<>();
        for (ChannelGroup g : net.channelGroups()) {
            for (String n : g.norms()) {
                for (String p : List.of("runningMean", "runningVar")) {
                    stats.put(n + "/" + p, net.norm(n).getParameters().get(p).getArray().duplicate());
                }
            }
        }
        return stats;
    }

    /** Copies of every parameter that is not a running statistic. */
    private static Map<String, NDArray> otherParameters(Network net) {
        Map<String, NDArray> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.block().getParameters()) {
            if (!p.getKey().endsWith("runningMean") && !p.getKey().endsWith("runningVar")) {
                values.put(p.getKey(), p.getValue().getArray().duplicate());
            }
        }
        return values;
    }
}
