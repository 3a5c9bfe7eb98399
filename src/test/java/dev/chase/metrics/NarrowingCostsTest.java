package dev.chase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.graph.ChannelGroup;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.SmallGraphs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pricing a narrowing without building it gives, to the last bit, the cost of the narrowed architecture. */
class NarrowingCostsTest {
    static Stream<String> architectures() {
        return Stream.concat(NetSpecs.names().stream().filter(n -> !n.startsWith("onnx")), SmallGraphs.names()).distinct();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void pricesEveryNarrowingAsTheNarrowedSpecCosts(String model) {
        NetSpec spec = model.startsWith("onnx:") || dev.chase.model.GraphModels.isNamed(model) ? SmallGraphs.spec(model)
                : NetSpecs.named(model, 3, 10, 0.25);
        // Every layer's shape matters: its name, widths, kernel, groups and sides.
        CostModel shapes = l -> l.name().hashCode() % 97 + 1.5 * l.in() + 0.25 * l.out() * l.kernel() + l.groups()
                + 0.125 * l.inputSide() + l.outputSide() + (l.bias() ? 0.0625 : 0);
        Random random = new Random(model.hashCode());
        for (CostModel cost : new CostModel[] {CostModel.FLOPS, shapes}) {
            NarrowingCosts pricing = new NarrowingCosts(spec, cost);
            assertThat(pricing.of(Map.of())).isEqualTo(cost.cost(spec));
            for (int trial = 0; trial < 5; trial++) {
                Map<String, Integer> widths = new LinkedHashMap<>();
                for (ChannelGroup g : spec.channelGroups()) {
                    if (g.kind() != ChannelGroup.Kind.FIXED && random.nextBoolean()) {
                        widths.put(g.name(), g.block() * (1 + random.nextInt(g.width() / g.block())));
                    }
                }
                assertThat(pricing.of(widths)).as("%s %s", model, widths).isEqualTo(cost.cost(spec.withGroupWidths(widths)));
            }
        }
    }
}
