package dev.chase.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.chase.ManagedTest;
import dev.chase.graph.ChannelGroup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Built networks on the PyTorch engine: shapes, forward, initialisation, save/load, groups. */
class NetworkTest extends ManagedTest {
    static List<String> modelNames() {
        return NetSpecs.names();
    }

    private Network initialized(NetSpec spec, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Network net = Network.build(spec);
        net.initialize(manager);
        return net;
    }

    private NDArray forward(Network net, NDArray x, boolean training) {
        return net.block().forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    private NDArray input(NetSpec spec, int side) {
        return manager.randomNormal(new Shape(2, spec.inChannels(), side, side));
    }

    @ParameterizedTest
    @MethodSource("modelNames")
    void everyModelMapsABatchToLogits(String name) {
        NetSpec spec = NetSpecs.named(name, 3, 10, 0.25);
        Network net = initialized(spec, 1);
        int side = name.equals("resnet50-imagenet") ? 64 : 32;
        NDArray x = input(spec, side);
        assertThat(forward(net, x, false).getShape()).isEqualTo(new Shape(2, 10));
        assertThat(forward(net, x, true).getShape()).isEqualTo(new Shape(2, 10));
    }

    @ParameterizedTest
    @MethodSource("modelNames")
    void registryShapesMatchTheInitialisedParameters(String name) {
        Network net = initialized(NetSpecs.named(name, 3, 10, 0.25), 1);
        for (MaskableWeight w : net.maskableWeights()) {
            assertThat(w.parameter().getArray().getShape()).as(w.name()).isEqualTo(w.shape());
        }
        long convAndLinear = net.block().getParameters().stream()
                .filter(p -> p.getKey().endsWith("weight"))
                .count();
        assertThat(net.maskableWeights()).hasSize((int) convAndLinear);
    }

    @ParameterizedTest
    @MethodSource("modelNames")
    void everyConvOutputChannelBelongsToExactlyOneGroup(String name) {
        Network net = initialized(NetSpecs.named(name, 3, 10, 0.25), 1);
        Map<String, Integer> producedBy = new HashMap<>();
        for (ChannelGroup g : net.channelGroups()) {
            if (net.spec() instanceof LayerListSpec) { // post-activation blocks: one BatchNorm after every conv
                assertThat(g.norms()).as(g.name()).hasSameSizeAs(g.producers());
            }
            for (String producer : g.producers()) {
                producedBy.merge(producer, 1, Integer::sum);
                assertThat(net.conv(producer).getParameters().get("weight").getArray().getShape().get(0))
                        .as(producer).isEqualTo(g.width());
            }
            for (String norm : g.norms()) { // a BatchNorm over a concatenation holds the group at an offset
                assertThat(net.norm(norm).getParameters().get("gamma").getArray().getShape().get(0))
                        .as(norm).isGreaterThanOrEqualTo(g.width());
            }
            for (String consumer : g.consumers()) {
                assertThat(net.maskableWeight(consumer).parameter().getArray().getShape().get(1))
                        .as(consumer).isGreaterThanOrEqualTo(g.width());
            }
        }
        List<String> convs = net.maskableWeights().stream()
                .filter(w -> w.shape().dimension() == 4)
                .map(MaskableWeight::name)
                .toList();
        assertThat(producedBy).containsOnlyKeys(convs).allSatisfy((conv, count) -> assertThat(count).isOne());
    }

    @Test
    void maskableWeightsAreInForwardOrder() {
        Network net = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
        List<String> names = net.maskableWeights().stream().map(MaskableWeight::name).toList();
        assertThat(names.subList(names.indexOf("layer2.0.conv1"), names.indexOf("layer2.0.shortcut.0") + 1))
                .containsExactly("layer2.0.conv1", "layer2.0.conv2", "layer2.0.shortcut.0");
        assertThat(names.get(0)).isEqualTo("conv1");
        assertThat(names.get(names.size() - 1)).isEqualTo("fc");
    }

    @Test
    void backwardReachesEveryMaskableWeight() {
        NetSpec spec = NetSpecs.named("resnet50", 3, 10, 0.125);
        Network net = initialized(spec, 2);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = forward(net, input(spec, 32), true);
            collector.backward(logits.square().sum());
        }
        for (MaskableWeight w : net.maskableWeights()) {
            NDArray gradient = w.parameter().getArray().getGradient();
            assertThat(gradient.getShape()).as(w.name()).isEqualTo(w.shape());
            assertThat(gradient.abs().sum().getFloat()).as(w.name()).isPositive();
        }
    }

    @Test
    void sameSeedGivesIdenticalParametersAlsoAfterAJsonRoundTrip() {
        NetSpec spec = NetSpecs.named("resnet20", 3, 10, 0.5);
        Network a = initialized(spec, 7);
        Network b = initialized(NetSpecs.fromJson(NetSpecs.toJson(spec)), 7);
        Network c = initialized(spec, 8);
        List<Pair<String, Parameter>> pa = a.block().getParameters().stream().toList();
        List<Pair<String, Parameter>> pb = b.block().getParameters().stream().toList();
        assertThat(pb).extracting(Pair::getKey).isEqualTo(pa.stream().map(Pair::getKey).toList());
        for (int i = 0; i < pa.size(); i++) {
            NDArray x = pa.get(i).getValue().getArray();
            NDArray y = pb.get(i).getValue().getArray();
            assertThat(y.getShape()).isEqualTo(x.getShape());
            assertThat(y.contentEquals(x)).as(pa.get(i).getKey()).isTrue();
        }
        assertThat(c.maskableWeights().get(0).parameter().getArray()
                .contentEquals(a.maskableWeights().get(0).parameter().getArray())).isFalse();
    }

    @Test
    void saveAndLoadParametersReproducesTheLogits() throws Exception {
        NetSpec spec = NetSpecs.named("resnet50", 3, 10, 0.125);
        Network trained = initialized(spec, 3);
        NDArray x = input(spec, 32);
        forward(trained, x, true); // move the BatchNorm running statistics away from their initial values
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        trained.block().saveParameters(new DataOutputStream(bytes));

        Network loaded = Network.build(NetSpecs.fromJson(NetSpecs.toJson(spec)));
        loaded.block().loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        NDArray expected = forward(trained, x, false);
        NDArray actual = forward(loaded, x, false);
        assertThat(actual.contentEquals(expected)).isTrue();
        assertThat(loaded.norm("layer1.0.bn1").getParameters().get("runningMean").getArray()
                .contentEquals(trained.norm("layer1.0.bn1").getParameters().get("runningMean").getArray()))
                .isTrue();
    }

    @Test
    void vggStartsFromTheReferenceInitialisation() {
        Network net = initialized(NetSpecs.named("vgg11", 3, 100, 1.0), 5);
        NDArray classifier = net.linear("classifier").getParameters().get("weight").getArray();
        assertThat(std(classifier)).isCloseTo(0.01, within(0.0005));
        assertThat(net.linear("classifier").getParameters().get("bias").getArray().abs().max().getFloat())
                .isZero();
        NDArray conv = net.conv("features.15").getParameters().get("weight").getArray(); // 512x256x3x3
        assertThat(std(conv)).isCloseTo(Math.sqrt(2.0 / (512 * 9)), within(0.0005)); // fan_out
        assertThat(net.conv("features.15").getParameters().get("bias").getArray().abs().max().getFloat()).isZero();
        assertThat(net.norm("features.16").getParameters().get("gamma").getArray().min().getFloat()).isEqualTo(1f);
        assertThat(net.norm("features.16").getParameters().get("beta").getArray().abs().max().getFloat()).isZero();
    }

    @Test
    void resnetsStartFromTheirReferenceInitialisations() {
        Network r32 = initialized(NetSpecs.named("resnet32", 3, 10, 1.0), 5);
        NDArray conv = r32.conv("layer3.1.conv1").getParameters().get("weight").getArray(); // 64x64x3x3
        assertThat(std(conv)).isCloseTo(Math.sqrt(2.0 / (64 * 9)), within(0.003)); // fan_in
        NDArray fc = r32.linear("fc").getParameters().get("bias").getArray();
        assertThat(fc.abs().max().getFloat()).isPositive().isLessThanOrEqualTo((float) (1 / Math.sqrt(64)));

        Network r50 = initialized(NetSpecs.named("resnet50", 3, 10, 0.25), 5);
        NDArray w = r50.conv("layer4.0.conv2").getParameters().get("weight").getArray(); // 128x128x3x3
        double bound = 1 / Math.sqrt(128 * 9);
        assertThat(w.abs().max().getFloat()).isLessThanOrEqualTo((float) bound).isGreaterThan((float) (0.99 * bound));
        assertThat(r50.linear("fc").getParameters().get("bias")).isNull();
    }

    @Test
    void imagenetResNet50HasTheTorchvisionParameterCount() {
        Network net = initialized(NetSpecs.named("resnet50-imagenet", 3, 1000, 1.0), 1);
        long learnable = net.block().getParameters().stream()
                .filter(p -> !p.getKey().endsWith("runningMean") && !p.getKey().endsWith("runningVar"))
                .mapToLong(p -> p.getValue().getArray().size())
                .sum();
        assertThat(learnable).isEqualTo(25_557_032L);
    }

    private static double std(NDArray a) {
        NDArray centred = a.sub(a.mean());
        return Math.sqrt(centred.mul(centred).mean().getFloat());
    }

}
