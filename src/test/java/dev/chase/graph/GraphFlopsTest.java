package dev.chase.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.Flops;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.SpecGraphs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GraphFlopsTest {
    static List<String> models() {
        return NetSpecs.names();
    }

    /** Two independent counts: the graph's shape inference and FlopCounter's walk of the spec's layers. */
    @ParameterizedTest
    @MethodSource("models")
    void aBuiltInModelsGraphCostsWhatFlopCounterCounts(String model) {
        NetSpec spec = NetSpecs.named(model, 3, 10, 0.5);
        List<GraphFlops.Layer> graph = GraphFlops.dense(SpecGraphs.of(spec));
        List<Flops.Layer> counter = FlopCounter.count(spec).layers();
        assertThat(graph.stream().map(l -> new GraphFlops.Layer(l.name(), l.outputPixels(), l.weights(), l.flops())))
                .containsExactlyElementsOf(counter.stream()
                        .map(l -> new GraphFlops.Layer(l.name(), l.outputPixels(), l.weights(), l.dense())).toList());
    }

    @Test
    void aGroupedConvolutionReadsItsShareOfTheInputChannels() {
        LayerGraph g = new LayerGraph(List.of(new Node.Input("x", 8, 10, 10),
                new Node.Conv("dw", "x", 8, 8, 3, 2, 1, 1, 8, true), new Node.Conv("g", "dw", 8, 16, 1, 1, 0, 1, 4, false),
                new Node.GlobalAvgPool("p", "g"), new Node.Linear("fc", "p", 16, 5, false)));
        assertThat(GraphFlops.dense(g)).containsExactly(new GraphFlops.Layer("dw", 25, 72, (2 * 72 + 8) * 25),
                new GraphFlops.Layer("g", 25, 32, 2 * 32 * 25), new GraphFlops.Layer("fc", 1, 80, 160));
    }
}
