package dev.chase.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.chase.ChaseException;
import dev.chase.ManagedTest;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.sparse.MaskSet;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shrunk network computes what the wide network computes once the removed channels are
 * silenced (algorithm §6.6): their producer rows and biases, BatchNorm gamma and beta and consumer
 * columns set to zero. BatchNorm statistics and biases are randomised first so that every sliced
 * vector matters in eval mode.
 */
class ShrinkerTest extends ManagedTest {
    private static final Set<ChannelGroup.Kind> INTERNAL = EnumSet.of(ChannelGroup.Kind.INTERNAL);
    private static final Set<ChannelGroup.Kind> ALL = EnumSet.allOf(ChannelGroup.Kind.class);

    static Stream<Arguments> architectures() {
        return Stream.of(
                Arguments.of("vgg11", 0.25, 32, INTERNAL),
                Arguments.of("vgg11", 0.25, 32, ALL),
                Arguments.of("resnet20", 0.25, 32, INTERNAL),
                Arguments.of("resnet20", 0.25, 32, ALL),
                Arguments.of("resnet50", 0.125, 32, INTERNAL),
                Arguments.of("resnet50", 0.125, 32, ALL),
                Arguments.of("resnet50-imagenet", 0.125, 64, INTERNAL),
                Arguments.of("resnet50-imagenet", 0.125, 64, ALL));
    }

    @ParameterizedTest(name = "{0} x{1}, input {2}, shrinking {3}")
    @MethodSource("architectures")
    void shrunkNetworkMatchesTheSilencedWideNetwork(String model, double width, int inputSize,
            Set<ChannelGroup.Kind> kinds) {
        Network wide = randomNetwork(model, width);
        Map<String, long[]> kept = RandomKept.of(wide, kinds, new Random(5));
        assertThat(kept).isNotEmpty();

        Network narrow = Shrinker.shrink(wide, kept, manager);
        for (String group : kept.keySet()) {
            assertThat(narrow.channelGroup(group).width()).isEqualTo(kept.get(group).length);
        }
        silence(wide, kept);

        NDArray x = manager.randomNormal(new Shape(2, 3, inputSize, inputSize));
        NDArray expected = logits(wide, x);
        NDArray actual = logits(narrow, x);
        float diff = actual.sub(expected).abs().max().getFloat();
        System.out.printf("shrink %s x%s %s: max |logit diff| = %.3g (max |logit| = %.3g)%n", model, width, kinds,
                diff, expected.abs().max().getFloat());
        assertThat(expected.abs().max().getFloat()).isPositive();
        assertThat(diff).isLessThan(1e-4f);
    }

    @Test
    void keepingEveryChannelGivesIdenticalLogits() {
        Network wide = randomNetwork("resnet50", 0.125);
        Map<String, long[]> all = new LinkedHashMap<>();
        for (ChannelGroup g : wide.channelGroups()) {
            all.put(g.name(), LongStream.range(0, g.width()).toArray());
        }
        NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
        NDArray expected = logits(wide, x);
        assertThat(logits(Shrinker.shrink(wide, all, manager), x).sub(expected).abs().max().getFloat())
                .isZero();
        assertThat(logits(Shrinker.shrink(wide, Map.of(), manager), x).sub(expected).abs().max().getFloat())
                .isZero();
    }

    @Test
    void masksAreSlicedLikeTheirWeights() {
        Network wide = randomNetwork("resnet50", 0.125);
        Map<String, NDArray> raw = new LinkedHashMap<>();
        for (MaskableWeight w : wide.maskableWeights()) {
            raw.put(w.name(), manager.randomUniform(0f, 1f, w.shape()).lt(0.4f));
        }
        MaskSet masks = MaskSet.of(manager, raw);
        masks.applyToWeights(weights(wide));
        Map<String, long[]> kept = RandomKept.of(wide, ALL, new Random(9));

        Shrinker shrinker = Shrinker.of(wide, kept);
        Network narrow = shrinker.shrinkNetwork(manager);
        MaskSet narrowMasks = shrinker.shrinkMasks(masks, manager);

        assertThat(narrowMasks.names()).isEqualTo(masks.names());
        for (MaskableWeight w : narrow.maskableWeights()) {
            NDArray mask = narrowMasks.mask(w.name());
            assertThat(mask.getShape()).as(w.name()).isEqualTo(w.shape());
            // The sliced weights were masked before slicing: their non-zeros are exactly the sliced mask.
            NDArray weightNonZero = w.parameter().getArray().neq(0).toType(DataType.FLOAT32, false);
            assertThat(weightNonZero.eq(mask).all().getBoolean()).as(w.name()).isTrue();
            // Count the original mask's active entries at kept positions, through indicator vectors.
            NDArray inKept = masks.mask(w.name());
            ChannelGroup rows = groupWith(wide, w.name(), true);
            ChannelGroup cols = groupWith(wide, w.name(), false);
            if (rows != null && kept.containsKey(rows.name())) {
                inKept = inKept.mul(indicator(rows.width(), kept.get(rows.name())).reshape(shapeAlong(0, w.shape())));
            }
            if (cols != null && kept.containsKey(cols.name())) {
                inKept = inKept.mul(indicator(cols.width(), kept.get(cols.name())).reshape(shapeAlong(1, w.shape())));
            }
            assertThat(narrowMasks.nonZeros(w.name())).as(w.name()).isEqualTo((long) inKept.sum().getFloat());
        }
        assertThat(narrowMasks.nonZeros()).isLessThan(masks.nonZeros()).isPositive();
    }

    @Test
    void shrunkNetworkSavesAndLoadsBack(@TempDir Path dir) {
        Network wide = randomNetwork("resnet20", 0.25);
        Network narrow = Shrinker.shrink(wide, RandomKept.of(wide, ALL, new Random(3)), manager);
        SavedModel.save(dir, narrow);
        Network loaded = SavedModel.load(dir, manager);
        assertThat(loaded.spec()).isEqualTo(narrow.spec());
        NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
        assertThat(logits(loaded, x).sub(logits(narrow, x)).abs().max().getFloat()).isZero();
    }

    @Test
    void shrunkNetworkTrains() {
        Network wide = randomNetwork("resnet20", 0.25);
        Network narrow = Shrinker.shrink(wide, RandomKept.of(wide, ALL, new Random(6)), manager);
        NDArray x = manager.randomNormal(new Shape(2, 3, 16, 16));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = narrow.block().forward(new ParameterStore(manager, false), new NDList(x), true)
                    .singletonOrThrow();
            collector.backward(out.square().sum());
        }
        for (MaskableWeight w : narrow.maskableWeights()) {
            assertThat(w.parameter().getArray().getGradient().abs().sum().getFloat()).as(w.name()).isPositive();
        }
    }

    @Test
    void theSourceNetworkIsNotChanged() {
        Network wide = randomNetwork("resnet20", 0.25);
        NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
        NDArray before = logits(wide, x);
        Shrinker.shrink(wide, RandomKept.of(wide, ALL, new Random(4)), manager);
        assertThat(logits(wide, x).sub(before).abs().max().getFloat()).isZero();
    }

    @Test
    void badKeptChannelsAreRejected() {
        Engine.getInstance().setRandomSeed(1);
        Network net = Network.build(NetSpecs.named("resnet20", 3, 10, 0.25));
        net.initialize(manager);
        int width = net.channelGroup("layer1.0.conv1").width();
        assertThatThrownBy(() -> Shrinker.of(net, Map.of("layer9.0.conv1", new long[] {0})))
                .isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("cannot shrink: unknown channel group 'layer9.0.conv1'; this network's groups are: "
                        + "stream0, layer1.0.conv1, ");
        assertThatThrownBy(() -> Shrinker.of(net, Map.of("layer1.0.conv1", new long[] {0, width})))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot shrink channel group layer1.0.conv1: kept channel " + width
                        + " is out of range [0, " + width + ")");
        assertThatThrownBy(() -> Shrinker.of(net, Map.of("layer1.0.conv1", new long[] {-1, 2})))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot shrink channel group layer1.0.conv1: kept channel -1 is out of range [0, "
                        + width + ")");
        assertThatThrownBy(() -> Shrinker.of(net, Map.of("stream1", new long[0])))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot shrink channel group stream1: the list of kept channels is empty (keep at least one)");
        assertThatThrownBy(() -> Shrinker.of(net, Map.of("stream1", new long[] {3, 1, 3})))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot shrink channel group stream1: kept channel 3 is listed more than once");

        Shrinker shrinker = Shrinker.of(net, Map.of("stream1", new long[] {2, 0}));
        assertThat(shrinker.kept().get("stream1")).containsExactly(0, 2);
        MaskSet stray = MaskSet.of(manager, Map.of("nope", manager.ones(new Shape(2, 2))));
        assertThatThrownBy(() -> shrinker.shrinkMasks(stray, manager))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot shrink mask nope: the network has no maskable weight of that name");
        MaskSet wrongShape = MaskSet.of(manager, Map.of("fc", manager.ones(new Shape(2, 2))));
        assertThatThrownBy(() -> shrinker.shrinkMasks(wrongShape, manager))
                .isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("cannot shrink mask fc: its shape (2, 2) differs from the weight's");
    }

    @Test
    void keptIndicesOfAChannelMask() {
        assertThat(Shrinker.keptIndices(manager.create(new float[] {0, 1, 1, 0, 1}))).containsExactly(1, 2, 4);
        assertThat(Shrinker.keptIndices(manager.create(new boolean[] {true, false}))).containsExactly(0);
    }

    // ---------------------------------------------------------------------------------------------

    /** A network with random BatchNorm vectors and conv biases, so that slicing them matters. */
    private Network randomNetwork(String model, double width) {
        Engine.getInstance().setRandomSeed(17);
        Network net = Network.build(NetSpecs.named(model, 3, 10, width));
        net.initialize(manager);
        for (ChannelGroup g : net.channelGroups()) {
            for (String name : g.norms()) {
                BatchNorm bn = net.norm(name);
                Shape s = new Shape(g.width());
                fill(bn.getParameters().get("gamma"), manager.randomUniform(0.5f, 1.5f, s));
                fill(bn.getParameters().get("beta"), manager.randomNormal(0f, 0.2f, s, DataType.FLOAT32));
                fill(bn.getParameters().get("runningMean"), manager.randomNormal(0f, 0.2f, s, DataType.FLOAT32));
                fill(bn.getParameters().get("runningVar"), manager.randomUniform(0.5f, 1.5f, s));
            }
        }
        for (MaskableWeight w : net.maskableWeights()) {
            Parameter bias = w.layer().getParameters().get("bias");
            if (bias != null) {
                fill(bias, manager.randomNormal(0f, 0.1f, bias.getArray().getShape(), DataType.FLOAT32));
            }
        }
        return net;
    }

    private static void fill(Parameter p, NDArray value) {
        p.getArray().set(new NDIndex("..."), value);
    }

    /** Zeroes, in place, everything that reads or writes a channel that is not kept. */
    private void silence(Network net, Map<String, long[]> kept) {
        for (Map.Entry<String, long[]> e : kept.entrySet()) {
            ChannelGroup g = net.channelGroup(e.getKey());
            NDArray on = indicator(g.width(), e.getValue());
            for (String producer : g.producers()) {
                MaskableWeight w = net.maskableWeight(producer);
                w.parameter().getArray().muli(on.reshape(shapeAlong(0, w.shape())));
                Parameter bias = w.layer().getParameters().get("bias");
                if (bias != null) {
                    bias.getArray().muli(on);
                }
            }
            for (String norm : g.norms()) {
                net.norm(norm).getParameters().get("gamma").getArray().muli(on);
                net.norm(norm).getParameters().get("beta").getArray().muli(on);
            }
            for (String consumer : g.consumers()) {
                MaskableWeight w = net.maskableWeight(consumer);
                w.parameter().getArray().muli(on.reshape(shapeAlong(1, w.shape())));
            }
        }
    }

    /** 1 at the kept channels, 0 elsewhere. */
    private NDArray indicator(int width, long[] kept) {
        float[] on = new float[width];
        for (long c : kept) {
            on[(int) c] = 1f;
        }
        return manager.create(on);
    }

    /** The broadcast shape of a vector laid along one axis of a tensor of {@code shape}'s rank. */
    private static Shape shapeAlong(int axis, Shape shape) {
        long[] dims = new long[shape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[axis] = -1;
        return new Shape(dims);
    }

    /** The group whose rows (producers/norms) or columns (consumers) include this layer. */
    private static ChannelGroup groupWith(Network net, String layer, boolean rows) {
        for (ChannelGroup g : net.channelGroups()) {
            if (rows ? g.producers().contains(layer) : g.consumers().contains(layer)) {
                return g;
            }
        }
        return null;
    }

    private static Map<String, NDArray> weights(Network net) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        net.maskableWeights().forEach(w -> weights.put(w.name(), w.parameter().getArray()));
        return weights;
    }

    private NDArray logits(Network net, NDArray x) {
        return net.block().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
    }
}
