package dev.chase.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.graph.Shape;
import dev.chase.model.GraphModels;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GraphBlockTest {
    static List<String> models() {
        return NetSpecs.names().stream().filter(n -> !GraphModels.isNamed(n)).toList();
    }

    /** A built-in model's graph draws the same initial weights as its Network and computes the same logits. */
    @ParameterizedTest
    @MethodSource("models")
    void aBuiltInModelsGraphIsTheSameNetwork(String model) {
        NetSpec spec = NetSpecs.named(model, 3, 10, 0.125);
        ai.djl.ndarray.types.Shape input = new ai.djl.ndarray.types.Shape(2, 3, spec.inputSize(), spec.inputSize());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            Network network = Network.build(spec);
            network.initialize(manager);
            Engine.getInstance().setRandomSeed(7);
            GraphBlock graph = new GraphBlock(spec.graph(), spec.init());
            graph.initialize(manager, DataType.FLOAT32, input);

            List<Parameter> expected = parameters(network.block());
            List<Parameter> actual = parameters(graph);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).getArray().toFloatArray()).as(i + " " + actual.get(i).getName() + " "
                        + actual.get(i).getArray().getShape() + " vs " + expected.get(i).getArray().getShape())
                        .containsExactly(expected.get(i).getArray().toFloatArray());
            }
            NDArray x = manager.randomNormal(input);
            ParameterStore store = new ParameterStore(manager, false);
            for (boolean training : new boolean[] {false, true}) {
                NDArray want = network.block().forward(store, new NDList(x), training).singletonOrThrow();
                NDArray got = graph.forward(store, new NDList(x), training).singletonOrThrow();
                assertThat(got.getShape()).isEqualTo(want.getShape());
                assertThat(got.toFloatArray()).as("training " + training).containsExactly(want.toFloatArray());
            }
        }
    }

    @Test
    void everyNodeKindRunsForwardAndBackward() {
        List<Node> nodes = List.of(new Node.Input("x", 3, 12, 12),
                new Node.Conv("stem", "x", 3, 8, 3, 1, 1, 1, 1, false), new Node.Norm("bn", "stem"),
                new Node.Act("act", "bn", Node.Activation.RELU6),
                new Node.Conv("dw", "act", 8, 8, 3, 2, 2, 2, 8, false),
                new Node.Act("swish", "dw", Node.Activation.HARD_SWISH),
                new Node.GlobalAvgPool("squeeze", "swish"), new Node.Conv("reduce", "squeeze", 8, 4, 1, 1, 0, 1, 1, true),
                new Node.Act("silu", "reduce", Node.Activation.SILU), new Node.Conv("expand", "silu", 4, 8, 1, 1, 0, 1, 1, true),
                new Node.Act("gate", "expand", Node.Activation.HARD_SIGMOID), new Node.Mul("excite", "swish", "gate"),
                new Node.Conv("side", "excite", 8, 6, 1, 1, 0, 1, 2, false), new Node.Concat("cat", List.of("excite", "side")),
                new Node.Pool("avg", "cat", false, 3, 2, 1), new Node.Pool("max", "avg", true, 2, 1, 0),
                new Node.Conv("back", "max", 14, 14, 1, 1, 0, 1, 1, false), new Node.Add("join", List.of("max", "back")),
                new Node.Act("sig", "join", Node.Activation.SIGMOID), new Node.Flatten("flat", "sig"),
                new Node.Dropout("drop", "flat", 0.5), new Node.Linear("fc", "drop", 14 * 2 * 2, 5, true));
        LayerGraph g = new LayerGraph(nodes);
        assertThat(g.shapes().get("max")).isEqualTo(new Shape(14, 2, 2));
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            GraphBlock block = new GraphBlock(g, WeightInit.KAIMING_FAN_IN);
            block.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(4, 3, 12, 12));
            assertThat(block.layer("dw").getParameters().get("weight").getArray().getShape())
                    .isEqualTo(new ai.djl.ndarray.types.Shape(8, 1, 3, 3));
            assertThat(block.getOutputShapes(new ai.djl.ndarray.types.Shape[] {new ai.djl.ndarray.types.Shape(4, 3, 12, 12)})[0])
                    .isEqualTo(new ai.djl.ndarray.types.Shape(4, 5));
            NDArray x = manager.randomNormal(new ai.djl.ndarray.types.Shape(4, 3, 12, 12));
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                assertThat(out.getShape()).isEqualTo(new ai.djl.ndarray.types.Shape(4, 5));
                collector.backward(out.square().sum());
            }
            for (String layer : List.of("stem", "dw", "reduce", "expand", "side", "back", "fc")) {
                NDArray grad = block.layer(layer).getParameters().get("weight").getArray().getGradient();
                assertThat(grad.isNaN().any().getBoolean()).as(layer).isFalse();
                assertThat(grad.abs().sum().getFloat()).as(layer).isPositive();
            }
        }
    }

    @Test
    void activationsComputeTheirPyTorchFormulas() {
        float[] in = {-4f, -3f, -1.5f, -0.5f, 0f, 0.5f, 2f, 3f, 5f, 7f};
        check(Node.Activation.RELU, in, v -> Math.max(0, v));
        check(Node.Activation.RELU6, in, v -> Math.min(6, Math.max(0, v)));
        check(Node.Activation.SIGMOID, in, v -> 1 / (1 + Math.exp(-v)));
        check(Node.Activation.SILU, in, v -> v / (1 + Math.exp(-v)));
        check(Node.Activation.HARD_SIGMOID, in, v -> Math.min(1, Math.max(0, v / 6 + 0.5)));
        check(Node.Activation.HARD_SWISH, in, v -> v * Math.min(1, Math.max(0, v / 6 + 0.5)));
    }

    private static void check(Node.Activation kind, float[] in, DoubleUnaryOperator formula) {
        LayerGraph g = new LayerGraph(List.of(new Node.Input("x", in.length, 1, 1), new Node.Act("a", "x", kind)));
        try (NDManager manager = NDManager.newBaseManager()) {
            GraphBlock block = new GraphBlock(g, WeightInit.KAIMING_FAN_IN);
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(1, in.length, 1, 1);
            block.initialize(manager, DataType.FLOAT32, shape);
            float[] out = block.forward(new ParameterStore(manager, false), new NDList(manager.create(in, shape)), false)
                    .singletonOrThrow().toFloatArray();
            for (int i = 0; i < in.length; i++) {
                assertThat((double) out[i]).as(kind + " at " + in[i]).isCloseTo(formula.applyAsDouble(in[i]),
                        org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    private static List<Parameter> parameters(Block block) {
        List<Parameter> out = new ArrayList<>();
        block.getParameters().forEach(p -> out.add(p.getValue()));
        return out;
    }
}
