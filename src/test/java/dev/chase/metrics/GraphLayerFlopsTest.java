package dev.chase.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.model.GraphSpec;
import dev.chase.model.MaskableWeight;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.WeightInit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** FlopCounter on graphs: grouped convolutions, and every built-in model's layers against the built network's weights. */
class GraphLayerFlopsTest {
    static List<String> models() {
        return NetSpecs.names();
    }

    @Test
    void aGroupedConvolutionReadsItsShareOfTheInputChannels() {
        LayerGraph g = new LayerGraph(List.of(new Node.Input("x", 8, 10, 10),
                new Node.Conv("dw", "x", 8, 8, 3, 2, 1, 1, 8, true), new Node.Conv("g", "dw", 8, 16, 1, 1, 0, 1, 4, false),
                new Node.GlobalAvgPool("p", "g"), new Node.Linear("fc", "p", 16, 5, false)));
        Flops flops = FlopCounter.count(new GraphSpec(WeightInit.PYTORCH_DEFAULT, g));
        assertThat(flops.layers()).extracting(Flops.Layer::name, Flops.Layer::outputPixels, Flops.Layer::weights, Flops.Layer::dense)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dw", 25L, 72L, (2 * 72L + 8) * 25),
                        org.assertj.core.groups.Tuple.tuple("g", 25L, 32L, 2 * 32L * 25),
                        org.assertj.core.groups.Tuple.tuple("fc", 1L, 80L, 160L));
    }

    /** The weights FlopCounter prices are the ones DJL allocates, layer by layer, for every built-in model. */
    @ParameterizedTest
    @MethodSource("models")
    void everyLayerPricesTheWeightsTheBuiltNetworkHas(String model) {
        NetSpec spec = NetSpecs.named(model, 3, 10, 0.25);
        Network net = Network.build(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager);
            Map<String, Long> built = net.maskableWeights().stream()
                    .collect(Collectors.toMap(MaskableWeight::name, w -> w.parameter().getArray().size()));
            Map<String, Long> counted = FlopCounter.count(spec).layers().stream()
                    .collect(Collectors.toMap(Flops.Layer::name, Flops.Layer::weights));
            assertThat(counted).isEqualTo(built);
        }
        assertThat(FlopCounter.count(spec).layers()).extracting(Flops.Layer::name)
                .isEqualTo(net.maskableWeights().stream().map(MaskableWeight::name).toList());
    }
}
