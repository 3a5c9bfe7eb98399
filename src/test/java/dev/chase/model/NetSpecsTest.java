package dev.chase.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The zoo's architectures against the spec's counts, and the JSON form; no engine needed. */
class NetSpecsTest {

    private static long totalMaskable(NetSpec spec) {
        return Network.build(spec).maskableWeights().stream().mapToLong(MaskableWeight::size).sum();
    }

    private static long internalChannels(NetSpec spec) {
        return spec.channelGroups().stream()
                .filter(g -> g.kind() == ChannelGroup.Kind.INTERNAL)
                .mapToLong(ChannelGroup::width)
                .sum();
    }

    /** Conv and linear weights of CIFAR ResNet-(6n+2), counted by hand from algorithm §11.3. */
    private static long cifarResNetTotal(int n, int classes) {
        long stem = 16 * 3 * 9;
        long stage1 = 2L * n * 16 * 16 * 9;
        long stage2 = 32 * 16 * 9 + 32 * 16 + (2L * n - 1) * 32 * 32 * 9;
        long stage3 = 64 * 32 * 9 + 64 * 32 + (2L * n - 1) * 64 * 64 * 9;
        return stem + stage1 + stage2 + stage3 + 64L * classes;
    }

    @ParameterizedTest
    @CsvSource({
        "vgg19, 10, 20024000",
        "vgg19, 100, 20070080",
        "resnet50, 10, 23467712",
        "resnet50, 100, 23652032",
        "resnet20, 10, 270896",
        "resnet32, 10, 464432",
        "resnet56, 10, 851504",
        "resnet20, 100, 276656",
        "resnet50-imagenet, 1000, 25502912"
    })
    void totalMaskableWeightsMatchTheSpec(String name, int classes, long expected) {
        assertThat(totalMaskable(NetSpecs.named(name, 3, classes, 1.0))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"resnet20, 3", "resnet32, 5", "resnet56, 9"})
    void cifarResNetCountsAgreeWithAHandCount(String name, int blocksPerStage) {
        for (int classes : new int[] {10, 100}) {
            assertThat(totalMaskable(NetSpecs.named(name, 3, classes, 1.0)))
                    .isEqualTo(cifarResNetTotal(blocksPerStage, classes));
        }
    }

    @ParameterizedTest
    @CsvSource({"vgg19, 4992", "resnet50, 7552", "resnet20, 336", "resnet32, 560", "resnet56, 1008"})
    void internalChannelCountC0MatchesTheSpec(String name, long c0) {
        assertThat(internalChannels(NetSpecs.named(name, 3, 100, 1.0))).isEqualTo(c0);
    }

    @Test
    void vgg19UsesTheReferenceSequentialIndices() {
        List<String> convs = NetSpecs.named("vgg19", 3, 10, 1.0).channelGroups().stream()
                .map(ChannelGroup::name)
                .toList();
        assertThat(convs).containsExactly("features.0", "features.3", "features.7", "features.10", "features.14",
                "features.17", "features.20", "features.23", "features.27", "features.30", "features.33",
                "features.36", "features.40", "features.43", "features.46", "features.49");
        ChannelGroup last = NetSpecs.named("vgg19", 3, 10, 1.0).channelGroups().get(15);
        assertThat(last.kind()).isEqualTo(ChannelGroup.Kind.FIXED);
        assertThat(last.norms()).containsExactly("features.50");
        assertThat(last.consumers()).containsExactly("classifier");
    }

    @Test
    void resnet20StreamZeroJoinsTheStemAndStageOne() {
        NetSpec spec = NetSpecs.named("resnet20", 3, 10, 1.0);
        ChannelGroup stream0 = spec.channelGroups().get(0);
        assertThat(stream0.name()).isEqualTo("stream0");
        assertThat(stream0.kind()).isEqualTo(ChannelGroup.Kind.STREAM);
        assertThat(stream0.producers())
                .containsExactly("conv1", "layer1.0.conv2", "layer1.1.conv2", "layer1.2.conv2");
        assertThat(stream0.norms()).containsExactly("bn1", "layer1.0.bn2", "layer1.1.bn2", "layer1.2.bn2");
        assertThat(stream0.consumers()).containsExactly(
                "layer1.0.conv1", "layer1.1.conv1", "layer1.2.conv1", "layer2.0.conv1", "layer2.0.shortcut.0");
        ChannelGroup stream2 = spec.channelGroups().stream().filter(g -> g.name().equals("stream2")).findFirst()
                .orElseThrow();
        assertThat(stream2.width()).isEqualTo(64);
        assertThat(stream2.producers())
                .containsExactly("layer3.0.conv2", "layer3.0.shortcut.0", "layer3.1.conv2", "layer3.2.conv2");
        assertThat(stream2.consumers()).containsExactly("layer3.1.conv1", "layer3.2.conv1", "fc");
        assertThat(spec.channelGroups().stream().filter(g -> g.kind() == ChannelGroup.Kind.STREAM)).hasSize(3);
    }

    @Test
    void resnet50HasOneStreamPerStagePlusTheStem() {
        NetSpec spec = NetSpecs.named("resnet50", 3, 10, 1.0);
        List<ChannelGroup> streams = spec.channelGroups().stream()
                .filter(g -> g.kind() == ChannelGroup.Kind.STREAM)
                .toList();
        assertThat(streams).extracting(ChannelGroup::name)
                .containsExactly("stream0", "stream1", "stream2", "stream3", "stream4");
        assertThat(streams).extracting(ChannelGroup::width).containsExactly(64, 256, 512, 1024, 2048);
        assertThat(streams.get(0).producers()).containsExactly("conv1");
        assertThat(spec.channelGroups().stream().filter(g -> g.kind() == ChannelGroup.Kind.INTERNAL)).hasSize(32);
        assertThat(((ResNetSpec) spec).classifierBias()).isFalse();
        assertThat(((ResNetSpec) NetSpecs.named("resnet50-imagenet", 3, 1000, 1.0)).classifierBias()).isTrue();
    }

    @Test
    void widthMultiplierRoundsEveryWidth() {
        ResNetSpec spec = (ResNetSpec) NetSpecs.named("resnet50", 3, 10, 0.3);
        assertThat(spec.stemWidth()).isEqualTo(19); // round(19.2)
        assertThat(spec.stages().get(0).blocks().get(0).innerWidths()).containsExactly(19, 19);
        assertThat(spec.stages().get(0).width()).isEqualTo(77); // round(76.8), not 4 * 19
        VggSpec tiny = (VggSpec) NetSpecs.named("vgg11", 3, 10, 0.001);
        assertThat(tiny.stages()).allSatisfy(stage -> assertThat(stage).containsOnly(1));
    }

    @Test
    void namesAreListed() {
        assertThat(NetSpecs.names()).containsExactly(
                "vgg11", "vgg16", "vgg19", "resnet20", "resnet32", "resnet56", "resnet50", "resnet50-imagenet",
                "resnet18", "resnet34", "wrn-22-2", "wrn-28-10", "mobilenetv2", "densenet-bc-100");
        assertThat(NetSpecs.named(" VGG16 ", 3, 10, 1.0)).isInstanceOf(VggSpec.class);
        assertThat(NetSpecs.named("WRN-22-2", 3, 10, 1.0)).isInstanceOf(GraphSpec.class);
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> NetSpecs.named("resnet19", 3, 10, 1.0))
                .isInstanceOf(ChaseException.class)
                .hasMessage("unknown model 'resnet19'; valid models: vgg11, vgg16, vgg19, resnet20, resnet32, "
                        + "resnet56, resnet50, resnet50-imagenet, resnet18, resnet34, wrn-22-2, wrn-28-10, mobilenetv2, densenet-bc-100");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -1.0, 5.0, Double.NaN})
    void widthMultiplierOutsideTheRangeIsRejected(double multiplier) {
        assertThatThrownBy(() -> NetSpecs.named("vgg19", 3, 10, multiplier))
                .isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("width must be in (0, 4], got ");
    }

    @Test
    void badChannelAndClassCountsAreRejected() {
        assertThatThrownBy(() -> NetSpecs.named("vgg19", 0, 10, 1.0))
                .isInstanceOf(ChaseException.class)
                .hasMessage("input channels must be at least 1, got 0");
        assertThatThrownBy(() -> NetSpecs.named("resnet20", 3, -2, 1.0))
                .isInstanceOf(ChaseException.class)
                .hasMessage("number of classes must be at least 1, got -2");
    }

    @Test
    void jsonRoundTripGivesAnEqualSpecForEveryModel() {
        for (String name : NetSpecs.names()) {
            NetSpec spec = NetSpecs.named(name, 1, 7, 0.5);
            String json = NetSpecs.toJson(spec);
            assertThat(json).contains("\"family\"");
            assertThat(NetSpecs.fromJson(json)).isEqualTo(spec);
        }
    }

    @Test
    void malformedJsonIsAClearError() {
        assertThatThrownBy(() -> NetSpecs.fromJson("{\"family\": \"vgg\", \"inChannels\": 3,"))
                .isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("invalid network spec JSON (line 1");
        assertThatThrownBy(() -> NetSpecs.fromJson(""))
                .isInstanceOf(ChaseException.class)
                .hasMessage("invalid network spec: the JSON text is empty");
        assertThatThrownBy(() -> NetSpecs.fromJson("{\"family\": \"mlp\"}"))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("mlp");
        assertThatThrownBy(() -> NetSpecs.fromJson("{\"family\": \"vgg\", \"inChannels\": 3}"))
                .isInstanceOf(ChaseException.class)
                .hasMessageEndingWith("missing property 'numClasses' (index 1)");
    }

    @Test
    void invalidSpecInJsonIsAClearError() {
        String json = NetSpecs.toJson(NetSpecs.named("resnet20", 3, 10, 1.0))
                .replaceFirst("\"projection\" : true", "\"projection\" : false");
        assertThatThrownBy(() -> NetSpecs.fromJson(json))
                .isInstanceOf(ChaseException.class)
                .hasMessage("invalid network spec: layer2.0: an identity shortcut needs stride 1 and equal widths "
                        + "(in 16, out 32, stride 2); use a projection shortcut");
        String zeroWidth = NetSpecs.toJson(NetSpecs.named("vgg11", 3, 10, 1.0)).replaceFirst("64", "0");
        assertThatThrownBy(() -> NetSpecs.fromJson(zeroWidth))
                .isInstanceOf(ChaseException.class)
                .hasMessage("invalid network spec: every width of VGG stage 1 must be at least 1, got 0");
    }
}
