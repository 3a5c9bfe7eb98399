package dev.chase.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.chase.ChaseException;
import dev.chase.model.NetSpec;
import dev.chase.model.VggSpec;
import dev.chase.model.WeightInit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Predicted latency as the interpolated sum over layers, and the FLOPs cost model. */
class LatencyModelTest {

    /** 1 channel 8x8 in: features.0 (1->4), pool, features.4 (4->4, fixed), classifier (4->2). */
    static VggSpec tiny() {
        return new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(4), List.of(4)));
    }

    /** A table whose entries are ms = in·out at in, out ∈ {2, 4} (image input and classes fixed). */
    static LatencyTable table(NetSpec spec) {
        List<LatencyTable.Entry> entries = new ArrayList<>();
        for (LayerShape s : FlopCounter.shapes(spec)) {
            int[] ins = s.in() == 4 ? new int[] {2, 4} : new int[] {s.in()};
            int[] outs = s.out() == 4 ? new int[] {2, 4} : new int[] {s.out()};
            double[][] ms = new double[ins.length][outs.length];
            for (int i = 0; i < ins.length; i++) {
                for (int j = 0; j < outs.length; j++) {
                    ms[i][j] = ins[i] * outs[j];
                }
            }
            entries.add(new LatencyTable.Entry(s.name(), s.in(), s.out(), s.inputSide(), ins, outs, ms));
        }
        return new LatencyTable(LatencyTable.FORMAT, new LatencyTable.Key("tiny", 1.0, 1, 2, 8, 4, 1), 0, 1, List.of(0.5, 1.0),
                entries);
    }

    @Test
    void sumsTheInterpolatedLayersOfTheNarrowedNetwork() {
        VggSpec spec = tiny();
        LatencyModel model = new LatencyModel(table(spec), spec);
        // dense: features.0 1·4, features.4 4·4, classifier 4·2
        assertThat(model.cost(spec)).isEqualTo(4 + 16 + 8);
        // features.0 at 3 channels: 1·3 (interpolated between 2 and 4), features.4 reads 3: 3·4
        assertThat(model.cost(spec.withGroupWidths(Map.of("features.0", 3)))).isCloseTo(3 + 12 + 8, within(1e-12));
    }

    @Test
    void refusesATableOfAnotherArchitecture() {
        VggSpec spec = tiny();
        VggSpec wider = new VggSpec(1, 2, 8, WeightInit.VGG_CIFAR, List.of(List.of(8), List.of(4)));
        assertThatThrownBy(() -> new LatencyModel(table(spec), wider)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("does not describe this network").hasMessageContaining("features.0");
        VggSpec larger = new VggSpec(1, 2, 16, WeightInit.VGG_CIFAR, List.of(List.of(4), List.of(4)));
        assertThatThrownBy(() -> new LatencyModel(table(spec), larger)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("16x16");
    }

    @Test
    void flopsModelIsTheDenseFlopCount() {
        VggSpec spec = tiny();
        assertThat(CostModel.FLOPS.cost(spec)).isEqualTo(FlopCounter.dense(spec));
        NetSpec narrow = spec.withGroupWidths(Map.of("features.0", 1));
        assertThat(CostModel.FLOPS.cost(narrow)).isEqualTo(FlopCounter.count(spec, narrow,
                Map.of("features.0", 9L, "features.4", 36L, "classifier", 8L)).slim());
    }

    @Test
    void shapesCarryBothSides() {
        List<LayerShape> shapes = FlopCounter.shapes(tiny());
        assertThat(shapes).extracting(LayerShape::name).containsExactly("features.0", "features.4", "classifier");
        assertThat(shapes.get(0).inputSide()).isEqualTo(8);
        assertThat(shapes.get(1).inputSide()).isEqualTo(4);
        assertThat(shapes.get(1).outputSide()).isEqualTo(4);
        assertThat(shapes.get(2).inputSide()).isEqualTo(1);
    }
}
