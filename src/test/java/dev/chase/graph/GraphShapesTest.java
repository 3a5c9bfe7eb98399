package dev.chase.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup.Kind;
import dev.chase.graph.ChannelGroup.Columns;
import dev.chase.graph.GroupDerivation.Derived;
import dev.chase.metrics.FlopCounter;
import dev.chase.metrics.LayerShape;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Shapes inferred from the input's: agreement with the FLOP counter, flattening, and refusals. */
class GraphShapesTest {

    static List<String> models() {
        return NetSpecs.names();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyLayerOfABuiltInGraphHasTheSpatialSizeTheFlopCounterFinds(String model) {
        NetSpec spec = NetSpecs.named(model, 3, 10, 0.5);
        Map<String, Shape> shapes = spec.graph().shapes();
        for (LayerShape layer : FlopCounter.shapes(spec)) {
            Shape s = shapes.get(layer.name());
            assertThat(s).as(layer.name()).isEqualTo(new Shape(layer.out(), layer.outputSide(), layer.outputSide()));
        }
    }

    private static Node.Conv conv(String name, String in, int cin, int cout, int stride) {
        return new Node.Conv(name, in, cin, cout, 3, stride, 1, 1, 1, false);
    }

    @Test
    void convolutionsAndPoolingShrinkTheMapAsTheirWindowsSay() {
        LayerGraph g = new LayerGraph(List.of(new Node.Input("x", 3, 32, 30), conv("a", "x", 3, 8, 2),
                new Node.Conv("dilated", "a", 8, 8, 3, 1, 0, 2, 1, false), new Node.Pool("pool", "dilated", false, 2, 2, 0),
                new Node.GlobalAvgPool("gap", "pool")));
        assertThat(g.shapes()).containsEntry("a", new Shape(8, 16, 15)).containsEntry("dilated", new Shape(8, 12, 11))
                .containsEntry("pool", new Shape(8, 6, 5)).containsEntry("gap", new Shape(8, 1, 1));
    }

    /** A classic VGG head: the last 512 x 2 x 2 map flattened into 2048 features. */
    @Test
    void aLinearLayerAfterAFlattenReadsEveryChannelAsOneColumnPerPixel() {
        LayerGraph g = new LayerGraph(List.of(new Node.Input("x", 1, 8, 8), conv("a", "x", 1, 4, 2), conv("b", "a", 4, 6, 2),
                new Node.Concat("cat", List.of("b", "b")), new Node.Flatten("flat", "cat"), new Node.Dropout("drop", "flat", 0.5),
                new Node.Linear("fc", "drop", 48, 10, true)));
        assertThat(g.shapes()).containsEntry("flat", new Shape(48, 1, 1));
        List<Derived> groups = GroupDerivation.derive(g);

        Derived b = groups.stream().filter(d -> d.group().producers().contains("b")).findFirst().orElseThrow();
        assertThat(b.group().width()).isEqualTo(6);
        assertThat(b.group().consumers()).containsExactly("fc");
        assertThat(b.group().kind()).isEqualTo(Kind.FIXED);
        // the first copy of b is read from column 0, 4 columns per channel; the second after its 6 x 4 columns
        assertThat(b.group().columns()).containsEntry("fc", List.of(new Columns(0, 4), new Columns(24, 4)));
    }

    @Test
    void shapesThatDoNotFitAreRefusedNamingTheNode() {
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 2, 2),
                new Node.Conv("big", "x", 3, 8, 5, 1, 0, 1, 1, false))))
                .isInstanceOf(ChaseException.class)
                .hasMessage("node big slides a window of 5 pixels over a side of 2 (padding 0): the input is too small");
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 4, 4), new Node.Linear("fc", "x", 3, 2, true))))
                .isInstanceOf(ChaseException.class).hasMessage("linear fc reads a 3x4x4 map; flatten or globally pool it first");
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 4, 4), conv("a", "x", 3, 8, 2),
                new Node.Concat("cat", List.of("x", "a"))))).isInstanceOf(ChaseException.class)
                .hasMessage("concat cat joins x (3x4x4) and a (8x2x2), whose maps differ in size");
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 3, 4, 4), conv("a", "x", 3, 8, 2),
                new Node.Mul("gated", "a", "x")))).isInstanceOf(ChaseException.class)
                .hasMessage("mul gated gates a (8x2x2) with x (3x4x4); a gate has the same channels and is 8x1x1 or the same shape");
        assertThatThrownBy(() -> new LayerGraph(List.of(new Node.Input("x", 0, 4, 4)))).isInstanceOf(ChaseException.class)
                .hasMessage("input x needs positive channels, height and width");
    }
}
