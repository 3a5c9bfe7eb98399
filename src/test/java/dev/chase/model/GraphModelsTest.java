package dev.chase.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import dev.chase.graph.GroupDerivation;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GraphModelsTest {
    static List<String> models() {
        return GraphModels.names();
    }

    /** Trainable parameters as PyTorch counts them: conv and linear weights and biases, BatchNorm gamma and beta. */
    static long parameters(LayerGraph g) {
        Map<String, Integer> channels = g.channels();
        long total = 0;
        for (Node n : g.nodes()) {
            if (n instanceof Node.Conv c) {
                total += (long) c.out() * (c.in() / c.groups()) * c.kernel() * c.kernel() + (c.bias() ? c.out() : 0);
            } else if (n instanceof Node.Linear l) {
                total += (long) l.in() * l.out() + (l.bias() ? l.out() : 0);
            } else if (n instanceof Node.Norm) {
                total += 2L * channels.get(n.name());
            }
        }
        return total;
    }

    /** The parameter counts the architectures' papers and reference code give for 10 classes. */
    @Test
    void parameterCountsMatchThePublishedOnes() {
        assertThat(parameters(GraphModels.named("resnet18", 3, 10, 1.0))).isEqualTo(11_173_962L);
        assertThat(parameters(GraphModels.named("resnet34", 3, 10, 1.0))).isEqualTo(21_282_122L);
        assertThat(parameters(GraphModels.named("wrn-28-10", 3, 10, 1.0))).isEqualTo(36_479_194L);
        assertThat(parameters(GraphModels.named("densenet-bc-100", 3, 10, 1.0))).isEqualTo(769_162L);
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyArchitectureRunsAndHasPrunableGroups(String model) {
        LayerGraph g = GraphModels.named(model, 1, 10, 0.25);
        assertThat(GroupDerivation.derive(g).stream().filter(d -> d.group().kind() == ChannelGroup.Kind.INTERNAL)).isNotEmpty();
        try (NDManager manager = NDManager.newBaseManager()) {
            GraphBlock block = new GraphBlock(g, WeightInit.KAIMING_FAN_IN);
            ai.djl.ndarray.types.Shape input = new ai.djl.ndarray.types.Shape(2, 1, 32, 32);
            block.initialize(manager, DataType.FLOAT32, input);
            assertThat(block.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(input)), true)
                    .singletonOrThrow().getShape()).isEqualTo(new ai.djl.ndarray.types.Shape(2, 10));
        }
    }

    @Test
    void wideResNetStreamsAreItsThreeStagesAndTheStem() {
        List<GroupDerivation.Derived> groups = GroupDerivation.derive(GraphModels.named("wrn-28-10", 3, 10, 1.0));
        assertThat(groups.stream().filter(d -> d.group().kind() == ChannelGroup.Kind.STREAM).map(d -> d.group().width()))
                .containsExactly(16, 160, 320, 640);
    }

    @Test
    void unknownNamesAndWidthsAreRefused() {
        assertThatThrownBy(() -> GraphModels.named("resnet19", 3, 10, 1.0)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("unknown graph architecture 'resnet19'; known: resnet18, resnet34");
        assertThatThrownBy(() -> GraphModels.named("resnet18", 3, 10, 0)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("width must be in (0, 4]");
    }
}
