package dev.chase.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.graph.GroupDerivation.Derived;
import dev.chase.graph.Node.Activation;
import dev.chase.graph.ChannelGroup.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Groups of networks no built-in spec has: depthwise blocks, concatenation, squeeze-and-excitation, grouped convs. */
class HandMadeGraphsTest {

    private static Node.Conv conv(String name, String in, int cin, int cout) {
        return new Node.Conv(name, in, cin, cout, 3, 1, 1, 1, 1, false);
    }

    private static Node.Conv conv(String name, String in, int cin, int cout, int groups) {
        return new Node.Conv(name, in, cin, cout, 3, 1, 1, 1, groups, false);
    }

    private static Derived group(List<Derived> groups, String name) {
        return groups.stream().filter(d -> d.group().name().equals(name)).findFirst().orElseThrow();
    }

    /** stem -> inverted residual (1x1 expand, 3x3 depthwise, 1x1 project, + input) -> head. */
    @Test
    void anInvertedResidualTiesTheDepthwiseConvToItsExpansionAndMakesTheBlockIOAStream() {
        List<Node> nodes = new ArrayList<>(List.of(new Node.Input("x", 3, 8, 8), conv("stem", "x", 3, 16), new Node.Norm("stem.bn", "stem"),
                new Node.Act("stem.act", "stem.bn", Activation.RELU6),
                conv("expand", "stem.act", 16, 64), new Node.Norm("expand.bn", "expand"), new Node.Act("expand.act", "expand.bn",
                        Activation.RELU6),
                conv("dw", "expand.act", 64, 64, 64), new Node.Norm("dw.bn", "dw"), new Node.Act("dw.act", "dw.bn", Activation.RELU6),
                conv("project", "dw.act", 64, 16), new Node.Norm("project.bn", "project"),
                new Node.Add("sum", List.of("project.bn", "stem.act")),
                new Node.GlobalAvgPool("pool", "sum"), new Node.Flatten("flat", "pool"), new Node.Linear("fc", "flat", 16, 10, true)));
        List<Derived> groups = GroupDerivation.derive(new LayerGraph(nodes));

        assertThat(groups).extracting(d -> d.group().name()).containsExactly("stream0", "expand");
        Derived stream = group(groups, "stream0");
        assertThat(stream.group().kind()).isEqualTo(Kind.STREAM);
        assertThat(stream.group().producers()).containsExactly("stem", "project");
        assertThat(stream.group().consumers()).containsExactly("expand", "fc");
        Derived expand = group(groups, "expand");
        assertThat(expand.group().kind()).isEqualTo(Kind.INTERNAL);
        assertThat(expand.group().width()).isEqualTo(64);
        // the depthwise conv's rows follow its input channels: it produces the same group, and reads none
        assertThat(expand.group().producers()).containsExactly("expand", "dw");
        assertThat(expand.group().norms()).containsExactly("expand.bn", "dw.bn");
        assertThat(expand.group().consumers()).containsExactly("project");
    }

    @Test
    void aConcatenationsReaderReadsEachPartAtItsOffset() {
        List<Node> nodes = List.of(new Node.Input("x", 1, 8, 8), conv("a", "x", 1, 8), conv("b", "a", 8, 4),
                new Node.Concat("cat", List.of("a", "b")), conv("c", "cat", 12, 6), new Node.GlobalAvgPool("pool", "c"),
                new Node.Linear("fc", "pool", 6, 2, true));
        List<Derived> groups = GroupDerivation.derive(new LayerGraph(nodes));

        Derived a = group(groups, "stream0");
        assertThat(a.group().producers()).containsExactly("a");
        assertThat(a.group().consumers()).containsExactly("b", "c"); // read twice: shared, so a stream
        assertThat(a.group().columns()).isEmpty();
        Derived b = group(groups, "b");
        assertThat(b.group().kind()).isEqualTo(Kind.INTERNAL);
        assertThat(b.group().consumers()).containsExactly("c");
        assertThat(b.group().columns()).containsEntry("c", List.of(new ChannelGroup.Columns(8, 1)));
        assertThat(group(groups, "c").group().kind()).isEqualTo(Kind.FIXED);
        assertThat(group(groups, "c").fixedReason()).isEqualTo("it feeds the classifier");
    }

    @Test
    void aTensorConcatenatedWithItselfIsReadTwiceByTheSameConsumer() {
        List<Node> nodes = List.of(new Node.Input("x", 1, 8, 8), conv("a", "x", 1, 8), conv("b", "a", 8, 4),
                new Node.Concat("twice", List.of("b", "b")), conv("c", "twice", 8, 6));
        Derived b = group(GroupDerivation.derive(new LayerGraph(nodes)), "b");
        assertThat(b.group().consumers()).containsExactly("c");
        assertThat(b.group().columns()).containsEntry("c", List.of(new ChannelGroup.Columns(0, 1), new ChannelGroup.Columns(4, 1)));
    }

    @Test
    void aSqueezeAndExcitationGateSharesTheChannelsItGates() {
        List<Node> nodes = List.of(new Node.Input("x", 3, 8, 8), conv("body", "x", 3, 32), new Node.GlobalAvgPool("squeeze", "body"),
                new Node.Conv("reduce", "squeeze", 32, 8, 1, 1, 0, 1, 1, true), new Node.Act("reduce.act", "reduce", Activation.SILU),
                new Node.Conv("expand", "reduce.act", 8, 32, 1, 1, 0, 1, 1, true), new Node.Act("gate", "expand",
                        Activation.SIGMOID),
                new Node.Mul("excite", "body", "gate"), conv("next", "excite", 32, 16), new Node.GlobalAvgPool("pool", "next"),
                new Node.Linear("fc", "pool", 16, 10, true));
        List<Derived> groups = GroupDerivation.derive(new LayerGraph(nodes));

        Derived body = group(groups, "stream0");
        assertThat(body.group().producers()).containsExactly("body", "expand");
        assertThat(body.group().consumers()).containsExactly("reduce", "next");
        assertThat(group(groups, "reduce").group().kind()).isEqualTo(Kind.INTERNAL);
        assertThat(group(groups, "reduce").group().consumers()).containsExactly("expand");
    }

    @Test
    void aGroupedConvolutionWithAsManyOutputsAsInputsTiesThemInBlocksOfItsGroupWidth() {
        // g: 8 -> 8 in 2 groups of 4 (output block k reads input block k); h: 16 -> 32 in 2 groups is not tied
        List<Node> nodes = List.of(new Node.Input("x", 3, 8, 8), conv("a", "x", 3, 8), conv("g", "a", 8, 8, 2), conv("d", "g", 8, 8, 8),
                conv("next", "d", 8, 16), conv("h", "next", 16, 32, 2), new Node.GlobalAvgPool("pool", "h"),
                new Node.Linear("fc", "pool", 32, 2, false));
        List<Derived> groups = GroupDerivation.derive(new LayerGraph(nodes));

        Derived tied = group(groups, "a");
        assertThat(tied.group().producers()).containsExactly("a", "g", "d");
        assertThat(tied.group().consumers()).containsExactly("next");
        assertThat(tied.group().kind()).isEqualTo(Kind.INTERNAL);
        assertThat(tied.group().block()).as("g's group width; the depthwise d adds nothing").isEqualTo(4);
        // h can lose neither inputs nor outputs
        assertThat(group(groups, "next").group().kind()).isEqualTo(Kind.FIXED);
        assertThat(group(groups, "next").fixedReason()).isEqualTo("grouped convolution h (2 groups) with 16 inputs and 32 outputs");
        assertThat(group(groups, "h").fixedReason()).isEqualTo("grouped convolution h (2 groups) with 16 inputs and 32 outputs");
    }

    @Test
    void aTiedGroupedConvolutionOverAConcatenationFixesItsInputs() {
        List<Node> nodes = List.of(new Node.Input("x", 3, 8, 8), conv("a", "x", 3, 4), conv("b", "x", 3, 4),
                new Node.Concat("cat", List.of("a", "b")), conv("g", "cat", 8, 8, 2), conv("next", "g", 8, 8),
                new Node.GlobalAvgPool("pool", "next"), new Node.Linear("fc", "pool", 8, 2, false));
        List<Derived> groups = GroupDerivation.derive(new LayerGraph(nodes));
        assertThat(group(groups, "a").fixedReason()).isEqualTo("grouped convolution g over a concatenation");
        assertThat(group(groups, "g").fixedReason()).isEqualTo("grouped convolution g over a concatenation");
    }

    @Test
    void badGraphsAreRefusedNamingTheNode() {
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 8, 8), conv("a", "b", 3, 8), conv("b", "a", 8, 8))))
                .isInstanceOf(ChaseException.class).hasMessage("node a reads 'b', which comes later (a cycle, or nodes out of order)");
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 8, 8), conv("a", "y", 3, 8))))
                .isInstanceOf(ChaseException.class).hasMessage("node a reads 'y', which is not a node of the graph");
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 8, 8), conv("a", "x", 4, 8))))
                .isInstanceOf(ChaseException.class).hasMessage("conv a expects 4 input channels, x gives 3");
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 8, 8), conv("a", "x", 3, 8), conv("b", "x", 3, 4),
                new Node.Add("s", List.of("a", "b"))))).isInstanceOf(ChaseException.class)
                .hasMessage("add s sums a (8x8x8) and b (4x8x8)");
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 8, 8), new Node.Input("x", 3, 8, 8))))
                .isInstanceOf(ChaseException.class).hasMessage("node x is defined twice");
    }
}
