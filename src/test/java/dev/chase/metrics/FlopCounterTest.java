package dev.chase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.chase.ChaseException;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.ResNetSpec;
import dev.chase.model.VggSpec;
import dev.chase.model.WeightInit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** FLOPs per image (algorithm §7.2) on hand-counted tiny networks and the paper's dense totals. */
class FlopCounterTest {

    /**
     * 1 input channel, 4x4 input, classes 2: features.0 conv 3x3 1->2 (bias) at 4x4, max-pool to
     * 2x2, features.4 conv 3x3 2->3 (bias) at 2x2, global pool, classifier 3->2 (bias).
     */
    static VggSpec tinyVgg() {
        return new VggSpec(1, 2, 4, WeightInit.VGG_CIFAR, List.of(List.of(2), List.of(3)));
    }

    /** 9 of features.0's 18 weights, 20 of features.4's 54, all 6 of the classifier's. */
    static Map<String, Long> tinyNonZeros() {
        Map<String, Long> nnz = new LinkedHashMap<>();
        nnz.put("features.0", 9L);
        nnz.put("features.4", 20L);
        nnz.put("classifier", 6L);
        return nnz;
    }

    /** Output pixels of every conv and linear layer, by name, in forward order. */
    private static Map<String, Long> pixels(NetSpec spec) {
        Map<String, Long> out = new LinkedHashMap<>();
        FlopCounter.costs(spec).forEach(c -> out.put(c.name(), c.outputPixels()));
        return out;
    }

    @Test
    void tinyVggByHand() {
        // dense: features.0 (2*18 + 2)*16 = 608; features.4 (2*54 + 3)*4 = 444; classifier 2*6 + 2 = 14
        assertThat(FlopCounter.dense(tinyVgg())).isEqualTo(608 + 444 + 14);
        // sparse in the full width: (2*9 + 2)*16 = 320; (2*20 + 3)*4 = 172; 14
        assertThat(FlopCounter.sparse(tinyVgg(), tinyNonZeros())).isEqualTo(320 + 172 + 14);

        // features.0 narrowed to 1 channel: it has 9 weights and 1 bias, features.4 reads 1 channel (27 weights)
        NetSpec slim = tinyVgg().withGroupWidths(Map.of("features.0", 1));
        Flops f = FlopCounter.count(tinyVgg(), slim, tinyNonZeros());
        assertThat(f.dense()).isEqualTo(1066);
        // slim counted dense: (2*9 + 1)*16 = 304; (2*27 + 3)*4 = 228; 14
        assertThat(f.slim()).isEqualTo(304 + 228 + 14);
        // sparse with one bias per live channel: (2*9 + 1)*16 = 304; (2*20 + 3)*4 = 172; 14
        assertThat(f.sparse()).isEqualTo(304 + 172 + 14);
        assertThat(f.sparseFraction()).isEqualTo(490.0 / 1066);
        assertThat(f.slimFraction()).isEqualTo(546.0 / 1066);
        assertThat(f.layers()).extracting(Flops.Layer::name).containsExactly("features.0", "features.4", "classifier");
        assertThat(f.layers().get(1)).isEqualTo(new Flops.Layer("features.4", 4, 54, 20, 444, 172, 228));
    }

    @Test
    void tinyResNetWithStridedProjectionByHand() {
        // 3 input channels, 8x8 input, stem 3->2, one basic block with stride 2 and projection to 4 channels, fc 4->2 with bias
        ResNetSpec spec = new ResNetSpec(3, 2, 8, WeightInit.KAIMING_FAN_IN, ResNetSpec.BlockType.BASIC, ResNetSpec.StemType.CIFAR, 2,
                List.of(new ResNetSpec.Stage(2, 4, List.of(new ResNetSpec.BlockSpec(List.of(2), true)))), true);
        Map<String, Long> pixels = pixels(spec);
        // stem at 8x8; conv1 3x3 stride 2 pad 1: (8 + 2 - 3)/2 + 1 = 4; conv2 stays 4; shortcut 1x1 stride 2: (8 - 1)/2 + 1 = 4
        assertThat(pixels).containsExactly(Map.entry("conv1", 64L), Map.entry("layer1.0.conv1", 16L), Map.entry("layer1.0.conv2", 16L),
                Map.entry("layer1.0.shortcut.0", 16L), Map.entry("fc", 1L));
        // stem 2*54*64 = 6912; conv1 2*36*16 = 1152; conv2 2*72*16 = 2304; shortcut 2*8*16 = 256; fc 2*8 + 2 = 18
        assertThat(FlopCounter.dense(spec)).isEqualTo(6912 + 1152 + 2304 + 256 + 18);
    }

    @Test
    void imageNetStemHalvesTwiceAndStagesHalveAgain() {
        Map<String, Long> pixels = pixels(NetSpecs.named("resnet50-imagenet", 3, 1000, 1));
        // 7x7 stride 2 pad 3: (224 + 6 - 7)/2 + 1 = 112; max-pool 3x3 stride 2 pad 1: (112 + 2 - 3)/2 + 1 = 56
        assertThat(pixels.get("conv1")).isEqualTo(112 * 112);
        assertThat(pixels.get("layer1.0.conv1")).isEqualTo(56 * 56);
        assertThat(pixels.get("layer1.0.shortcut.0")).isEqualTo(56 * 56);
        // stage 2 strides on the 3x3 conv2: conv1 still at 56, conv2, conv3 and the shortcut at 28
        assertThat(pixels.get("layer2.0.conv1")).isEqualTo(56 * 56);
        assertThat(pixels.get("layer2.0.conv2")).isEqualTo(28 * 28);
        assertThat(pixels.get("layer2.0.shortcut.0")).isEqualTo(28 * 28);
        assertThat(pixels.get("layer4.2.conv3")).isEqualTo(7 * 7);
        assertThat(pixels.get("fc")).isEqualTo(1);
    }

    @Test
    void denseTotalsOfThePaper() {
        // VGG-19 / CIFAR-10: 2 * 398,287,872 MACs of the 16 convs + 16 * 32^2 + ... biases + classifier 2*5120 + 10
        // = 796,575,754 exactly (spec: ~7.96e8)
        long vgg = FlopCounter.dense(NetSpecs.named("vgg19", 3, 10, 1));
        assertThat(vgg).isEqualTo(796_575_754L);
        assertThat((double) vgg).isCloseTo(7.96e8, withinPercentage(0.5));
        // ResNet-50 / CIFAR-10 (no biases anywhere): 2,595,659,776 exactly (spec: ~2.60e9)
        long r50 = FlopCounter.dense(NetSpecs.named("resnet50", 3, 10, 1));
        assertThat(r50).isEqualTo(2_595_659_776L);
        assertThat((double) r50).isCloseTo(2.60e9, withinPercentage(0.5));
        // ResNet-50 / ImageNet at 224x224, fc 2048->1000 with bias: 8,178,369,512 exactly (spec and RigL: 8.2e9)
        long imagenet = FlopCounter.dense(NetSpecs.named("resnet50-imagenet", 3, 1000, 1));
        assertThat(imagenet).isEqualTo(8_178_369_512L);
        assertThat((double) imagenet).isCloseTo(8.2e9, withinPercentage(0.5));
    }

    static List<String> modelNames() {
        return NetSpecs.names();
    }

    /** The output sizes followed through the layer list are those DJL computes for the initialised network's convs. */
    @ParameterizedTest
    @MethodSource("modelNames")
    void outputSizesAgreeWithTheEngine(String name) {
        NetSpec spec = NetSpecs.named(name, 3, 10, 0.25);
        Map<String, Long> pixels = pixels(spec);
        Network net = Network.build(spec);
        assertThat(pixels.keySet()).containsExactlyInAnyOrderElementsOf(net.maskableWeights().stream().map(MaskableWeight::name).toList());
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager);
            for (MaskableWeight w : net.maskableWeights()) {
                if (w.shape().dimension() == 4) {
                    Conv2d conv = net.conv(w.name());
                    Shape out = conv.getOutputShapes(conv.getInputShapes())[0];
                    assertThat(pixels.get(w.name())).as(w.name()).isEqualTo(out.get(2) * out.get(3));
                } else {
                    assertThat(pixels.get(w.name())).as(w.name()).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void nonZerosAreCountedFromTheWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Network net = Network.build(tinyVgg());
            net.initialize(manager);
            float[] w = new float[18];
            w[0] = 1;
            w[17] = -2;
            net.maskableWeight("features.0").parameter().getArray().set(w);
            Map<String, Long> nnz = FlopCounter.nonZeros(net);
            assertThat(nnz.get("features.0")).isEqualTo(2);
            assertThat(nnz.get("classifier")).isEqualTo(6);
        }
    }

    @Test
    void fullCountHasEveryFractionOne() {
        Flops f = FlopCounter.count(tinyVgg());
        assertThat(f.dense()).isEqualTo(1066);
        assertThat(f.sparse()).isEqualTo(1066);
        assertThat(f.slimFraction()).isEqualTo(1.0);
    }

    @Test
    void badCountsAreUserErrors() {
        Map<String, Long> missing = new LinkedHashMap<>(tinyNonZeros());
        missing.remove("features.4");
        assertThatThrownBy(() -> FlopCounter.sparse(tinyVgg(), missing)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("no non-zero count for layer features.4");
        Map<String, Long> tooMany = new LinkedHashMap<>(tinyNonZeros());
        tooMany.put("features.0", 10L);
        // 10 non-zeros cannot fit the 9 weights of the narrowed features.0
        assertThatThrownBy(() -> FlopCounter.count(tinyVgg(), tinyVgg().withGroupWidths(Map.of("features.0", 1)), tooMany))
                .isInstanceOf(ChaseException.class).hasMessageContaining("cannot have 10 non-zero weights");
        NetSpec other = new VggSpec(1, 2, 4, WeightInit.VGG_CIFAR, List.of(List.of(2, 2), List.of(3)));
        assertThatThrownBy(() -> FlopCounter.count(tinyVgg(), other, tinyNonZeros())).isInstanceOf(ChaseException.class)
                .hasMessageContaining("does not have the layers of the original");
    }

    @Test
    void anInputTooSmallForTheNetworkIsRefused() {
        // 2x2 input, pooled to 1x1, then pooled again: a 2x2 window cannot slide over 1x1
        // (the spec itself refuses it now, before any count can start)
        assertThatThrownBy(() -> FlopCounter.dense(new VggSpec(1, 2, 2, WeightInit.VGG_CIFAR,
                List.of(List.of(2), List.of(2), List.of(2))))).isInstanceOf(ChaseException.class)
                .hasMessageContaining("too small");
    }
}
